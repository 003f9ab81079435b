import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
}

/**
 * Serves the built SPA: a file under `root` when it exists, else `index.html` (client routing).
 * Paths are normalized and must stay inside `root`. Returns false when nothing was served.
 */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  pathname: string,
): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false
  const base = resolve(root)
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return false
  }
  if (decoded.includes('\0')) return false
  const candidate = resolve(base, `.${normalize(`/${decoded}`)}`)
  if (candidate !== base && !candidate.startsWith(base + sep)) return false
  const file = (await isFile(candidate)) ? candidate : join(base, 'index.html')
  if (!(await isFile(file))) return false
  // Only content-hashed files are kept for a year; everything else (index.html, the service
  // worker, the manifest, icons) is revalidated on each load so a new version is seen at once.
  const isAsset = file.startsWith(join(base, 'assets') + sep)
  res.statusCode = 200
  res.setHeader('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream')
  res.setHeader('Cache-Control', isAsset ? 'public, max-age=31536000, immutable' : 'no-cache')
  if (req.method === 'HEAD') {
    res.end()
    return true
  }
  await new Promise<void>((done) => {
    const stream = createReadStream(file)
    stream.on('error', () => {
      res.destroy()
      done()
    })
    stream.on('end', done)
    stream.pipe(res)
  })
  return true
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}
