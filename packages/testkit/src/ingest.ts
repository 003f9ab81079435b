/** One point in the device wire format (snake_case), loose enough to send wrong ones too. */
export type WirePoint = Record<string, unknown>

export interface IngestAnswer {
  status: number
  headers: Headers
  /** Parsed JSON body (or the raw text when it is not JSON). */
  body: unknown
  text: string
  /** Round-trip time in milliseconds. */
  ms: number
}

export interface PostOptions {
  /** Sent as `Authorization: Bearer <token>` when given. */
  token?: string | undefined
  /** An object/array is sent as JSON; a string or bytes as they are. */
  body: unknown
  contentType?: string
  headers?: Record<string, string>
  method?: string
  /** Path and query, default `/api/telemetry`. */
  path?: string
  /** The request is aborted after this long, so a hang fails instead of stalling the test. */
  timeoutMs?: number
}

/** `POST /api/telemetry` (by default) and the answer, read in full. */
export async function postTelemetry(url: string, options: PostOptions): Promise<IngestAnswer> {
  const body =
    typeof options.body === 'string' || options.body instanceof Uint8Array
      ? (options.body as string | Uint8Array<ArrayBuffer>)
      : JSON.stringify(options.body)
  const started = performance.now()
  const res = await fetch(new URL(options.path ?? '/api/telemetry', url), {
    method: options.method ?? 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.method === 'GET' || options.method === 'HEAD' ? {} : { body }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {}
  return {
    status: res.status,
    headers: res.headers,
    body: parsed,
    text,
    ms: performance.now() - started,
  }
}

/** Posts points with a device token and answers the HTTP status. */
export async function postPoints(url: string, secret: string, points: unknown): Promise<number> {
  return (await postTelemetry(url, { token: secret, body: points })).status
}
