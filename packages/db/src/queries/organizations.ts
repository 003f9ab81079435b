import { eq } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { organizations } from '../schema/index.ts'

export async function createOrganization(db: Database, params: { name: string }) {
  const [org] = await db.insert(organizations).values({ name: params.name }).returning()
  if (!org) throw new Error('organization insert returned no row')
  return org
}

export async function findOrganizationById(db: Database, id: string) {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, id))
  return org ?? null
}

/** Locks the organization row until the transaction ends: serializes changes to its admins. */
export async function lockOrganization(db: Database, id: string) {
  await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, id))
    .for('update')
}
