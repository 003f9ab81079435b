import { upsertAlerts } from '@fms/db/queries/alerts'
import { wholeOrgScope } from '@fms/db/queries/vehicle-scope'
import { createSummary, RULE_KINDS } from '@fms/engine'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInnerContext } from '../context.ts'
import { createTestApi, makeVin, type TestApi } from '../testing.ts'
import {
  buildAlertsCsv,
  formatDailyCsvHeader,
  formatDailyCsvRows,
  formatTripsCsv,
} from './report-csv.ts'

/** A CSV document's rows (no cell here holds a line break). */
function readLines(csv: string): string[] {
  expect(csv.endsWith('\r\n')).toBe(true)
  return csv.slice(0, -2).split('\r\n')
}

const START = Date.UTC(2026, 10, 2, 8)
/** Codes may start with a dash: a spreadsheet would read `-2` as a number or a formula. */
const CODE = '-2'

describe('formatTripsCsv', () => {
  it('neutralizes a vehicle code a spreadsheet would evaluate and keeps negative numbers as numbers', () => {
    const csv = formatTripsCsv([
      {
        vehicleId: 'v1',
        vehicleCode: CODE,
        start: START,
        end: START + 600_000,
        startLat: -33.9,
        startLon: -70.65,
        endLat: -33.95,
        endLon: -70.6,
        distanceKm: 6.1234,
        odometerKm: null,
        maxSpeed: 61.26,
        avgSpeed: 40,
        drivingSec: 540.4,
        idleSec: 59.6,
        isComplete: true,
        driverId: 'd1',
        driverName: '=HYPERLINK("x")',
      },
    ])
    expect(readLines(csv)[1]).toBe(
      '\'-2,v1,2026-11-02T08:00:00.000Z,2026-11-02T08:10:00.000Z,-33.9,-70.65,-33.95,-70.6,6.123,,61.3,40,540,60,true,"\'=HYPERLINK(""x"")"',
    )
  })
})

describe('formatDailyCsvRows', () => {
  it('neutralizes a vehicle code a spreadsheet would evaluate and keeps negative numbers as numbers', () => {
    const day = {
      ...createSummary({ date: '2026-11-02', start: START, end: START + 86_400_000 }),
      distanceKm: 12.5,
      fuelUsedPct: -1.24,
      tripCount: 2,
    }
    const csv = formatDailyCsvRows([
      { vehicleId: 'v1', vehicleCode: CODE, fuelTankLitres: 80, days: [day] },
      { vehicleId: 'v2', vehicleCode: '@A1', fuelTankLitres: null, days: [day] },
    ])
    const counts = RULE_KINDS.map(() => 0).join(',')
    // A 80 L tank: -1.24 % is -0.99 L (rounded to -1), and 0 % refuelled 0 L.
    expect(readLines(csv)).toEqual([
      `'-2,v1,2026-11-02,12.5,0,0,,,-1.2,0,-1,0,0,2,${counts}`,
      `'@A1,v2,2026-11-02,12.5,0,0,,,-1.2,0,,,0,2,${counts}`,
    ])
  })
})

describe('CSV units', () => {
  const trip = {
    vehicleId: 'v1',
    vehicleCode: 'T1',
    start: START,
    end: START + 600_000,
    startLat: 1,
    startLon: 2,
    endLat: 3,
    endLon: 4,
    distanceKm: 16.09344,
    odometerKm: 160.9344,
    maxSpeed: 96.56064,
    avgSpeed: 48.28032,
    drivingSec: 600,
    idleSec: 0,
    isComplete: true,
    driverId: null,
    driverName: null,
  }

  it('names miles and mph in the trips header and converts the values', () => {
    const [header, row] = readLines(
      formatTripsCsv([trip], { distanceUnit: 'mi', volumeUnit: 'gal' }),
    )
    expect(header).toContain('distance_mi,odometer_mi,max_speed_mph,avg_speed_mph')
    expect(header).not.toContain('_km')
    expect(row).toContain(',10,100,60,30,600,0,true,')
  })

  it('keeps kilometres and km/h in the metric header', () => {
    const [header] = readLines(formatTripsCsv([trip]))
    expect(header).toContain('distance_km,odometer_km,max_speed_kmh,avg_speed_kmh')
  })

  it('names miles, mph and gallons in the daily header and converts the values', () => {
    const units = { distanceUnit: 'mi', volumeUnit: 'gal' } as const
    expect(formatDailyCsvHeader(units)).toContain(
      'date,distance_mi,driving_sec,idle_sec,max_speed_mph,avg_speed_mph,fuel_used_pct,refuelled_pct,fuel_used_gal,refuelled_gal',
    )
    const day = {
      ...createSummary({ date: '2026-11-02', start: START, end: START + 86_400_000 }),
      distanceKm: 32.18688,
      fuelUsedPct: 50,
    }
    // A 75.70823568 L tank (20 US gal): 50 % is 10 gal.
    const csv = formatDailyCsvRows(
      [{ vehicleId: 'v1', vehicleCode: 'T1', fuelTankLitres: 75.70823568, days: [day] }],
      units,
    )
    expect(readLines(csv)[0]).toMatch(/^T1,v1,2026-11-02,20,0,0,,,50,0,10,0,/)
  })
})

describe('buildAlertsCsv', () => {
  let api: TestApi
  let orgId: string
  let vehicleId: string

  beforeAll(async () => {
    api = await createTestApi()
    const org = await api.registerOrg()
    orgId = org.session.user.orgId
    vehicleId = (await org.caller.vehicles.create({ code: CODE, vin: makeVin() })).id
    const alert = { orgId, vehicleId, ruleId: null, kind: 'low_fuel' as const, endTime: null }
    await upsertAlerts(api.deps.db, [
      {
        ...alert,
        key: 'a1',
        time: new Date(START),
        emittedAt: new Date(START),
        value: -12.5,
        message: '=HYPERLINK("http://evil","click")',
      },
      {
        ...alert,
        key: 'a2',
        time: new Date(START + 60_000),
        emittedAt: new Date(START + 60_000),
        value: 3,
        message: '+1 and a comma, too',
      },
    ])
  })

  afterAll(() => api?.close())

  it('neutralizes stored text a spreadsheet would evaluate, quoted, and keeps numbers as numbers', async () => {
    const csv = await buildAlertsCsv(createInnerContext(api.deps), wholeOrgScope(orgId), {
      from: new Date(START - 60_000),
      to: new Date(START + 3_600_000),
    })
    expect(readLines(csv).slice(1)).toEqual([
      `'-2,${vehicleId},low_fuel,2026-11-02T08:00:00.000Z,,-12.5,"'=HYPERLINK(""http://evil"",""click"")",,a1`,
      `'-2,${vehicleId},low_fuel,2026-11-02T08:01:00.000Z,,3,"'+1 and a comma, too",,a2`,
    ])
  })
})
