import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  type ApiDeps,
  AppError,
  type AuthenticatedUser,
  authenticateAccessToken,
  bearerToken,
  TWO_FACTOR_SETUP_MESSAGE,
} from '@fms/api'
import type { VehicleScope } from '@fms/db/queries/vehicle-scope'
import { z } from 'zod'
import { sendJson } from '../send-json.ts'

/**
 * The caller of a raw HTTP endpoint, authenticated like tRPC (`Authorization: Bearer <access
 * token>`); answers 401 and returns null when there is none.
 */
export async function authenticateCaller(
  req: IncomingMessage,
  res: ServerResponse,
  deps: Pick<ApiDeps, 'db' | 'jwt'>,
): Promise<(AuthenticatedUser & { scope: VehicleScope }) | null> {
  const token = bearerToken(req.headers.authorization)
  const caller = await authenticateAccessToken(deps, token)
  if (caller?.isTwoFactorSetupRequired) {
    sendJson(res, 403, { error: TWO_FACTOR_SETUP_MESSAGE })
    return null
  }
  // The user with the vehicles they may see (a user limited to vehicle groups: only theirs).
  if (caller) return { ...caller.user, scope: caller.scope }
  res.setHeader('WWW-Authenticate', 'Bearer')
  sendJson(res, 401, { error: token ? 'Invalid or expired token' : 'Sign in first' })
  return null
}

/** The input parsed by `schema`, or null after answering 400 with the fields at fault. */
export function parseOr400<T extends z.ZodType>(
  res: ServerResponse,
  schema: T,
  input: unknown,
): z.infer<T> | null {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  const fieldErrors = z.flattenError(parsed.error).fieldErrors
  sendJson(res, 400, { error: 'Invalid input', fieldErrors })
  return null
}

/** Runs `open`, answering an AppError (NOT_FOUND, FORBIDDEN, ...) with its status; null then. */
export async function orAnswer<T>(res: ServerResponse, open: () => Promise<T>): Promise<T | null> {
  try {
    return await open()
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    sendJson(res, error.httpStatus, { error: error.message })
    return null
  }
}
