#!/usr/bin/env node
import { parseSimArgs } from './args.ts'
import { USAGE } from './usage.ts'

const EXIT_USAGE = 2

const parsed = parseSimArgs(process.argv.slice(2))

if (parsed.kind === 'help') {
  process.stdout.write(USAGE)
} else if (parsed.kind === 'error') {
  process.stderr.write(`fms-sim: ${parsed.error}\nrun with --help to see the flags\n`)
  process.exitCode = EXIT_USAGE
} else {
  const { vehicles, rate, durationSec, server } = parsed.options
  process.stdout.write(
    `fms-sim: arguments OK (${vehicles} vehicles at ${rate} Hz for ${durationSec} s against ${server}); ` +
      'the simulation engine arrives with the device-simulator issue, so nothing was sent.\n',
  )
}
