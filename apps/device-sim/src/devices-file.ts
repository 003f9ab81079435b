import { readFile } from 'node:fs/promises'
import { ZId } from '@fms/api/schemas'

/**
 * Device ids for `--token`: one per line; the first word of a line counts (so `id  SIM-00001`
 * works), blank lines and `#` comments are skipped.
 */
export function parseDeviceIds(text: string): string[] {
  const ids: string[] = []
  text.split(/\r?\n/).forEach((line, index) => {
    const word = line
      .replace(/#.*/, '')
      .trim()
      .split(/[\s,;]+/)[0]
    if (!word) return
    if (!ZId.safeParse(word).success) {
      throw new Error(`line ${index + 1}: '${word.slice(0, 60)}' is not a device id (a UUID)`)
    }
    ids.push(word)
  })
  if (ids.length === 0) throw new Error('no device ids in the file')
  if (new Set(ids).size !== ids.length) throw new Error('a device id is listed twice')
  return ids
}

export async function readDeviceIds(path: string): Promise<string[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`)
  }
  try {
    return parseDeviceIds(text)
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`)
  }
}
