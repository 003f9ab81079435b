import { z } from 'zod'
import { listInput, optionalText, ZId } from './common.ts'

export const DEVICE_STATUSES = ['active', 'inactive'] as const
export const DEVICE_SORTS = ['createdAt', 'updatedAt'] as const

const ZMacAddress = z
  .string()
  .trim()
  .regex(/^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/, {
    error: 'A MAC address like AA:BB:CC:DD:EE:FF',
  })
  .transform((mac) => mac.toUpperCase().replaceAll('-', ':'))

const ZDeviceFields = z.object({
  macAddress: ZMacAddress.nullable().optional(),
  externalId: z
    .string()
    .trim()
    .min(1)
    .max(64, { error: 'At most 64 characters' })
    .regex(/^[A-Za-z0-9._:-]+$/, { error: 'Letters, digits, dot, dash, colon and underscore only' })
    .nullable()
    .optional(),
  model: optionalText(64),
  hwVersion: optionalText(64),
  swVersion: optionalText(64),
  status: z.enum(DEVICE_STATUSES).optional(),
  note: optionalText(1000),
  vehicleId: ZId.nullable().optional(),
  tokenId: ZId.nullable().optional(),
})

export const ZCreateDeviceInput = ZDeviceFields
export type TCreateDeviceInput = z.infer<typeof ZCreateDeviceInput>

export const ZUpdateDeviceInput = ZDeviceFields.extend({ id: ZId })
export type TUpdateDeviceInput = z.infer<typeof ZUpdateDeviceInput>

export const ZListDevicesInput = listInput(DEVICE_SORTS, 'createdAt', {
  vehicleId: ZId.optional(),
  tokenId: ZId.optional(),
})
export type TListDevicesInput = z.infer<typeof ZListDevicesInput>
