/** One Dockerfile instruction: `COPY --from=build /a /b` => { keyword: 'COPY', flags, args }. */
export interface Instruction {
  keyword: string
  /** `--name=value` flags before the arguments. */
  flags: Record<string, string>
  /** The rest, split on whitespace (JSON exec form kept as one string in `raw`). */
  args: string[]
  raw: string
  line: number
}

export interface Stage {
  name: string | undefined
  base: string
  instructions: Instruction[]
}

export interface Dockerfile {
  /** Instructions before the first FROM (global ARGs). */
  preamble: Instruction[]
  stages: Stage[]
}

/**
 * A small Dockerfile reader: comments, parser directives, `\` line continuations and flags.
 * Enough to check what the image contains; BuildKit stays the authority on the syntax.
 */
export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = []
  const lines = text.split('\n')
  let pending = ''
  let startLine = 0
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim()
    if (pending === '' && (trimmed === '' || trimmed.startsWith('#'))) continue
    if (pending !== '' && trimmed.startsWith('#')) continue
    if (pending === '') startLine = index + 1
    if (trimmed.endsWith('\\')) {
      pending += `${trimmed.slice(0, -1)} `
      continue
    }
    const full = `${pending}${trimmed}`.trim()
    pending = ''
    const [keyword = '', ...rest] = full.split(/\s+/)
    const flags: Record<string, string> = {}
    let args = rest
    while (args[0]?.startsWith('--')) {
      const [flag, value = ''] = args[0].slice(2).split('=')
      flags[flag!] = value
      args = args.slice(1)
    }
    instructions.push({ keyword: keyword.toUpperCase(), flags, args, raw: full, line: startLine })
  }
  const dockerfile: Dockerfile = { preamble: [], stages: [] }
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [base = '', as, name] = instruction.args
      dockerfile.stages.push({
        base,
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        instructions: [],
      })
    } else if (dockerfile.stages.length === 0) {
      dockerfile.preamble.push(instruction)
    } else {
      dockerfile.stages.at(-1)!.instructions.push(instruction)
    }
  }
  return dockerfile
}

/** The JSON exec form of CMD/ENTRYPOINT/HEALTHCHECK CMD as an array. */
export function execForm(raw: string): string[] {
  const start = raw.indexOf('[')
  if (start < 0) throw new Error(`not in exec form: ${raw}`)
  return JSON.parse(raw.slice(start)) as string[]
}

/** `KEY=value KEY2=value` of ENV instructions in a stage, merged. */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {}
  for (const instruction of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const pair of instruction.args) {
      const [key, ...value] = pair.split('=')
      env[key!] = value.join('=')
    }
  }
  return env
}
