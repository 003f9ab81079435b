/**
 * A browser for single sign-on tests: follows redirects by hand, keeping the cookies a server sets
 * (the test provider's session and interaction cookies), until it lands on a page of the web app
 * (a `/#/` route), or until `stopAt` matches the next address.
 */
export class SsoBrowser {
  private readonly cookies = new Map<string, string>()

  async get(url: string): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { 'user-agent': 'SSO test browser', ...(cookie ? { cookie } : {}) },
      signal: AbortSignal.timeout(15_000),
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const index = pair.indexOf('=')
      const name = pair.slice(0, index).trim()
      const value = pair.slice(index + 1).trim()
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return response
  }

  /** Follows redirects from `url`; answers the address it stopped at. */
  async follow(url: string, stopAt?: (next: string) => boolean): Promise<string> {
    let current = url
    for (let hops = 0; hops < 20; hops++) {
      if (current.includes('/#/') || (hops > 0 && stopAt?.(current))) return current
      const response = await this.get(current)
      await response.arrayBuffer()
      const location = response.headers.get('location')
      if (!location) {
        throw new Error(`${current} answered ${response.status} without a redirect`)
      }
      current = new URL(location, current).href
    }
    throw new Error('too many redirects')
  }
}

/** The value of a query parameter of a hash route (`…/#/sso?code=…`). */
export function hashParam(address: string, name: string): string | null {
  const hash = new URL(address).hash
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : ''
  return new URLSearchParams(query).get(name)
}
