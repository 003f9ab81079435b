import { and, eq } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { type Organization, organizations, type User, users } from '../schema/index.ts'

/** The display settings an organization sets and a user may override. */
export type DisplaySettings = Pick<
  Organization,
  'distanceUnit' | 'volumeUnit' | 'temperatureUnit' | 'timeZone' | 'weekStart'
>

/** A user's overrides: null where the organization's setting applies. */
export type UserDisplaySettings = Pick<
  User,
  'distanceUnit' | 'volumeUnit' | 'temperatureUnit' | 'timeZone' | 'weekStart'
>

const orgSettingsColumns = {
  distanceUnit: organizations.distanceUnit,
  volumeUnit: organizations.volumeUnit,
  temperatureUnit: organizations.temperatureUnit,
  timeZone: organizations.timeZone,
  weekStart: organizations.weekStart,
}

const userSettingsColumns = {
  distanceUnit: users.distanceUnit,
  volumeUnit: users.volumeUnit,
  temperatureUnit: users.temperatureUnit,
  timeZone: users.timeZone,
  weekStart: users.weekStart,
}

export async function findOrgSettings(
  db: Database,
  orgId: string,
): Promise<DisplaySettings | null> {
  const [row] = await db
    .select(orgSettingsColumns)
    .from(organizations)
    .where(eq(organizations.id, orgId))
  return row ?? null
}

export async function updateOrgSettings(
  db: Database,
  params: { orgId: string; patch: Partial<DisplaySettings> },
): Promise<DisplaySettings | null> {
  const [row] = await db
    .update(organizations)
    .set(params.patch)
    .where(eq(organizations.id, params.orgId))
    .returning(orgSettingsColumns)
  return row ?? null
}

export async function findUserSettings(
  db: Database,
  params: { orgId: string; id: string },
): Promise<UserDisplaySettings | null> {
  const [row] = await db
    .select(userSettingsColumns)
    .from(users)
    .where(and(eq(users.id, params.id), eq(users.orgId, params.orgId)))
  return row ?? null
}

export async function updateUserSettings(
  db: Database,
  params: { orgId: string; id: string; patch: Partial<UserDisplaySettings> },
): Promise<UserDisplaySettings | null> {
  const [row] = await db
    .update(users)
    .set({ ...params.patch, updatedAt: new Date() })
    .where(and(eq(users.id, params.id), eq(users.orgId, params.orgId)))
    .returning(userSettingsColumns)
  return row ?? null
}
