/** Roles a user can hold inside an organisation, least privileged last. */
export const ROLES = ['admin', 'user'] as const

export type Role = (typeof ROLES)[number]

/** Narrows an untrusted value (e.g. a JWT claim) to a known role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** Whether the role may manage the organisation: users, vehicles, devices, tokens. */
export function canManage(role: Role): boolean {
  return role === 'admin'
}
