import { formatProgress, formatSummary, type Progress, type RunSummary } from './report.ts'

/** What the reporter writes to: process.stdout/stderr, or a collector in tests. */
export interface TextSink {
  write(text: string): unknown
  isTTY?: boolean
}

export interface OutputStreams {
  stdout: TextSink
  stderr: TextSink
}

/**
 * Where a run reports. Terminal mode: messages and a progress line (redrawn in place on a TTY)
 * on stderr, the summary on stdout. `--json`: stdout gets exactly one JSON object, the summary;
 * progress and messages go to stderr as JSON lines (`{"type":"progress"|"log", ...}`).
 */
export function createReporter(options: OutputStreams & { isJson: boolean }) {
  const { stdout, stderr, isJson } = options
  const isLive = !isJson && stderr.isTTY === true
  let hasProgressLine = false
  const clearProgress = () => {
    if (hasProgressLine) stderr.write('\r\x1b[2K')
    hasProgressLine = false
  }
  return {
    log(message: string) {
      if (isJson) {
        stderr.write(
          `${JSON.stringify({ type: 'log', time: new Date().toISOString(), message })}\n`,
        )
        return
      }
      clearProgress()
      stderr.write(`fms-sim: ${message}\n`)
    },
    progress(progress: Progress) {
      if (isJson) stderr.write(`${JSON.stringify({ type: 'progress', ...progress })}\n`)
      else if (isLive) {
        stderr.write(`\r\x1b[2K${formatProgress(progress)}`)
        hasProgressLine = true
      } else stderr.write(`${formatProgress(progress)}\n`)
    },
    summary(summary: RunSummary) {
      clearProgress()
      stdout.write(isJson ? `${JSON.stringify(summary)}\n` : formatSummary(summary))
    },
  }
}

export type Reporter = ReturnType<typeof createReporter>
