import { describe, expect, it } from 'vitest'
import {
  ZCreateDeviceInput,
  ZCreateVehicleInput,
  ZListVehiclesInput,
  ZRegisterInput,
} from './schemas/index.ts'

describe('shared schemas', () => {
  it('normalizes email to lower case and rejects malformed ones', () => {
    const ok = ZRegisterInput.parse({ email: ' A@B.Co ', password: 'long enough', orgName: 'X' })
    expect(ok.email).toBe('a@b.co')
    expect(
      ZRegisterInput.safeParse({ email: 'nope', password: 'long enough', orgName: 'X' }).success,
    ).toBe(false)
  })

  it('accepts a standard VIN in any case and rejects I, O and Q', () => {
    expect(ZCreateVehicleInput.parse({ code: 'V1', vin: '1hgcm82633a004352' }).vin).toBe(
      '1HGCM82633A004352',
    )
    expect(ZCreateVehicleInput.safeParse({ code: 'V1', vin: '1HGCM82633A00435O' }).success).toBe(
      false,
    )
  })

  it('rejects a make year after next year or before 1900', () => {
    const base = { code: 'V1', vin: '1HGCM82633A004352' }
    const next = new Date().getUTCFullYear() + 1
    expect(ZCreateVehicleInput.safeParse({ ...base, makeYear: next }).success).toBe(true)
    expect(ZCreateVehicleInput.safeParse({ ...base, makeYear: next + 1 }).success).toBe(false)
    expect(ZCreateVehicleInput.safeParse({ ...base, makeYear: 1899 }).success).toBe(false)
  })

  it('normalizes MAC addresses and turns blank text into null', () => {
    const device = ZCreateDeviceInput.parse({ macAddress: 'aa-bb-cc-dd-ee-0f', note: '  ' })
    expect(device).toMatchObject({ macAddress: 'AA:BB:CC:DD:EE:0F', note: null })
  })

  it('fills list defaults and bounds the page size', () => {
    expect(ZListVehiclesInput.parse({})).toEqual({ sort: 'createdAt', order: 'desc', limit: 25 })
    expect(ZListVehiclesInput.safeParse({ limit: 101 }).success).toBe(false)
  })
})
