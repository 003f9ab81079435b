#!/usr/bin/env node
import { parseSimArgs } from './args.ts'
import { EXIT, runCommand } from './command.ts'
import { createReporter } from './output.ts'
import { USAGE } from './usage.ts'

const parsed = parseSimArgs(process.argv.slice(2))

if (parsed.kind === 'help') {
  process.stdout.write(USAGE)
} else if (parsed.kind === 'error') {
  process.stderr.write(`fms-sim: ${parsed.error}\nrun with --help to see the flags\n`)
  process.exitCode = EXIT.usage
} else {
  const reporter = createReporter({
    stdout: process.stdout,
    stderr: process.stderr,
    isJson: parsed.options.json,
  })
  runCommand(parsed.options, reporter).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      reporter.log(
        `failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      )
      process.exitCode = EXIT.failed
    },
  )
}
