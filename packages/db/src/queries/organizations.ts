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
