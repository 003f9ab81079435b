import { z } from 'zod'
import { listInput, optionalText, requiredName, ZId } from './common.ts'

export const GROUP_SORTS = ['name', 'createdAt'] as const
/** Most vehicles set on a group in one call, and most groups on a vehicle or a user. */
export const MAX_GROUP_VEHICLES = 5000
export const MAX_GROUPS_PER_ITEM = 100

/** Ids listed once each: duplicates are dropped. */
function idList(max: number) {
  return z
    .array(ZId)
    .max(max, { error: `At most ${max}` })
    .transform((ids) => [...new Set(ids)])
}

/** A set of groups (a vehicle's, a user's). */
export const ZGroupIds = idList(MAX_GROUPS_PER_ITEM)

/**
 * The groups a user is limited to: null or an empty list: not limited (sees every vehicle);
 * otherwise only the vehicles of these groups. Admins always see every vehicle.
 */
export const ZUserGroupIds = ZGroupIds.nullable()

export const ZCreateGroupInput = z.object({
  name: requiredName(100),
  description: optionalText(1000),
  /** The group's vehicles. */
  vehicleIds: idList(MAX_GROUP_VEHICLES).optional(),
})
export type TCreateGroupInput = z.infer<typeof ZCreateGroupInput>

export const ZUpdateGroupInput = ZCreateGroupInput.partial().extend({ id: ZId })
export type TUpdateGroupInput = z.infer<typeof ZUpdateGroupInput>

export const ZListGroupsInput = listInput(GROUP_SORTS, 'name')
export type TListGroupsInput = z.infer<typeof ZListGroupsInput>
