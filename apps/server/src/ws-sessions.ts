import type { ApiDeps } from '@fms/api'
import { WS_CLOSE } from '@fms/api/schemas'
import { hashOpaqueToken, isShareToken } from '@fms/auth'
import { findOpenRefreshFamilies } from '@fms/db/queries/refresh-tokens'
import { findActiveShareByDigest, findActiveShareIds } from '@fms/db/queries/shares'
import { findUserRoles, isIssuedBeforeSessionsEnded } from '@fms/db/queries/users'
import { findVehicleScopes } from '@fms/db/queries/vehicle-scope'
import type { WebSocket } from 'ws'
import { errorFields, logger } from './logger.ts'

interface Session {
  kind: 'user'
  userId: string
  orgId: string
  role: string
  /** The vehicles the user may see when the socket signed in ('*': all; see scopeKeyOf). */
  scopeKey: string
  /** When the socket's access token was issued (seconds). */
  issuedAt: number
  /** The session (refresh-token family, the token's `sid`); null for tokens without one. */
  sessionId: string | null
  expiryTimer: NodeJS.Timeout
}

/** A socket opened with a share link's token: it lives while the link works. */
interface ShareSession {
  kind: 'share'
  shareId: string
  expiryTimer: NodeJS.Timeout
}

/**
 * Who is signed in on each WebSocket of this node, kept true while the socket lives:
 * - a socket must present a valid access token within `authTimeoutMs` of connecting;
 * - it is closed when that token expires (`TOKEN_EXPIRED`);
 * - every `checkMs` one query re-reads the users of all sockets; a socket whose user was
 *   removed, moved, given another role or a new password is closed (`SESSION_CHANGED`), so its subscriptions
 *   end within seconds whichever node changed the user; so is the socket of a user whose visible
 *   vehicles changed (their vehicle groups, or the vehicles in them): the client reconnects and
 *   its subscriptions start again with the new set; and so is a socket whose session (the access
 *   token's `sid`, a refresh-token family) was revoked (`auth.revokeSession`, logout, reuse).
 * A socket opened with a share link's token is closed (`SHARE_ENDED`) when the link expires,
 * and within `checkMs` of its revocation.
 * Subscriptions per user are counted here too (across the user's sockets on this node).
 */
export class WsSessions {
  private readonly sessions = new Map<WebSocket, Session | ShareSession>()
  private readonly pending = new Map<WebSocket, NodeJS.Timeout>()
  private readonly timer: NodeJS.Timeout
  private isDatabaseDown = false
  /** Subscriptions open per user id on this node. */
  readonly subscriptionsByUser = new Map<string, number>()

  constructor(
    private readonly deps: Pick<ApiDeps, 'db' | 'jwt'>,
    private readonly options: { authTimeoutMs: number; checkMs: number },
  ) {
    this.timer = setInterval(() => void this.check(), options.checkMs)
    this.timer.unref()
  }

  /** A new socket: closed unless `admit` accepts a token for it in time. */
  expectToken(socket: WebSocket): void {
    const timer = setTimeout(() => {
      this.pending.delete(socket)
      socket.close(WS_CLOSE.UNAUTHENTICATED, 'Sign in first')
    }, this.options.authTimeoutMs)
    this.pending.set(socket, timer)
    socket.once('close', () => this.forget(socket))
  }

  /**
   * Checks the token a socket presented and the user it names, and closes the socket for an
   * expired, invalid or orphaned token; with no token the socket waits for the auth timeout like
   * one that said nothing.
   */
  async admit(socket: WebSocket, accessToken: string | null): Promise<void> {
    if (!accessToken) return
    if (isShareToken(accessToken)) return this.admitShare(socket, accessToken)
    const claims = await this.deps.jwt.verifyAccessToken(accessToken).catch(() => null)
    if (!claims) {
      socket.close(WS_CLOSE.TOKEN_EXPIRED, 'Access token expired or invalid')
      return
    }
    const sessionId = claims.sid ?? null
    const [roles, scopes, openFamilies] = await Promise.all([
      findUserRoles(this.deps.db, [claims.sub]),
      findVehicleScopes(this.deps.db, [claims.sub]),
      findOpenRefreshFamilies(this.deps.db, sessionId ? [sessionId] : []),
    ])
    const user = roles.get(claims.sub)
    if (
      !user ||
      user.orgId !== claims.org ||
      isIssuedBeforeSessionsEnded(claims.iat, user.sessionsValidAfter) ||
      (sessionId !== null && !openFamilies.has(sessionId))
    ) {
      socket.close(WS_CLOSE.SESSION_CHANGED, 'Session ended')
      return
    }
    if (socket.readyState !== socket.OPEN) return
    clearTimeout(this.pending.get(socket))
    this.pending.delete(socket)
    const previous = this.sessions.get(socket)
    if (previous) clearTimeout(previous.expiryTimer)
    const expiryTimer = setTimeout(
      () => socket.close(WS_CLOSE.TOKEN_EXPIRED, 'Access token expired'),
      Math.max(0, claims.exp * 1000 - Date.now()),
    )
    this.sessions.set(socket, {
      kind: 'user',
      userId: claims.sub,
      orgId: user.orgId,
      role: user.role,
      scopeKey: scopeKeyOf(scopes, claims.sub),
      issuedAt: claims.iat,
      sessionId,
      expiryTimer,
    })
  }

  /** A share link's socket: admitted while the link works, closed at its expiry. */
  private async admitShare(socket: WebSocket, token: string): Promise<void> {
    const share = await findActiveShareByDigest(this.deps.db, hashOpaqueToken(token))
    if (!share) {
      socket.close(WS_CLOSE.SHARE_ENDED, 'Share link expired or revoked')
      return
    }
    if (socket.readyState !== socket.OPEN) return
    clearTimeout(this.pending.get(socket))
    this.pending.delete(socket)
    const previous = this.sessions.get(socket)
    if (previous) clearTimeout(previous.expiryTimer)
    const expiryTimer = setTimeout(
      () => socket.close(WS_CLOSE.SHARE_ENDED, 'Share link expired'),
      Math.max(0, share.expiresAt.getTime() - Date.now()),
    )
    this.sessions.set(socket, { kind: 'share', shareId: share.id, expiryTimer })
  }

  /**
   * Re-reads every watched user and share link at once; closes the sockets of users removed or
   * changed, and of links revoked or expired.
   */
  async check(): Promise<void> {
    if (this.sessions.size === 0) return
    const userSessions = [...this.sessions].filter(
      (entry): entry is [WebSocket, Session] => entry[1].kind === 'user',
    )
    const shareSessions = [...this.sessions].filter(
      (entry): entry is [WebSocket, ShareSession] => entry[1].kind === 'share',
    )
    const ids = [...new Set(userSessions.map(([, session]) => session.userId))]
    const shareIds = [...new Set(shareSessions.map(([, session]) => session.shareId))]
    let roles: Awaited<ReturnType<typeof findUserRoles>>
    let activeShares: Set<string>
    let scopes: Awaited<ReturnType<typeof findVehicleScopes>>
    let openFamilies: Set<string>
    const familyIds = [...new Set(userSessions.flatMap(([, session]) => session.sessionId ?? []))]
    try {
      ;[roles, activeShares, scopes, openFamilies] = await Promise.all([
        findUserRoles(this.deps.db, ids),
        findActiveShareIds(this.deps.db, shareIds),
        findVehicleScopes(this.deps.db, ids),
        findOpenRefreshFamilies(this.deps.db, familyIds),
      ])
      this.isDatabaseDown = false
    } catch (error) {
      // Sockets stay as they are while the users can't be read; their tokens still expire.
      if (!this.isDatabaseDown) logger.warn('websocket session check failed', errorFields(error))
      this.isDatabaseDown = true
      return
    }
    for (const [socket, session] of shareSessions) {
      if (activeShares.has(session.shareId)) continue
      this.forget(socket)
      socket.close(WS_CLOSE.SHARE_ENDED, 'Share link expired or revoked')
    }
    for (const [socket, session] of userSessions) {
      const user = roles.get(session.userId)
      const isEnded =
        !user ||
        isIssuedBeforeSessionsEnded(session.issuedAt, user.sessionsValidAfter) ||
        (session.sessionId !== null && !openFamilies.has(session.sessionId))
      const isSameScope = scopeKeyOf(scopes, session.userId) === session.scopeKey
      if (!isEnded && user.orgId === session.orgId && user.role === session.role && isSameScope) {
        continue
      }
      this.forget(socket)
      const reason = isEnded ? 'Session ended' : isSameScope ? 'Role changed' : 'Vehicles changed'
      socket.close(WS_CLOSE.SESSION_CHANGED, reason)
    }
  }

  close(): void {
    clearInterval(this.timer)
    for (const socket of [...this.pending.keys(), ...this.sessions.keys()]) this.forget(socket)
  }

  private forget(socket: WebSocket): void {
    clearTimeout(this.pending.get(socket))
    this.pending.delete(socket)
    const session = this.sessions.get(socket)
    if (session) clearTimeout(session.expiryTimer)
    this.sessions.delete(socket)
  }
}

/** One string per set of visible vehicles: '*' for all, else the sorted ids ('' for none). */
function scopeKeyOf(scopes: Map<string, string[] | null>, userId: string): string {
  const ids = scopes.has(userId) ? scopes.get(userId) : []
  return ids === null || ids === undefined ? '*' : ids.join(',')
}
