/**
 * The readings a telemetry point carries, written once. Every other shape of a point (the
 * telemetry table's columns, the COPY encoders, the device wire schema, the live, rule and
 * history points) is derived from this table, so adding a reading is one entry here plus a
 * migration (see the package README).
 *
 * Every reading is optional: a device sends what it has, the column is nullable, and a point
 * without it carries `null`.
 */

/**
 * The PostgreSQL column type, which is also the binary COPY encoding (the two must match
 * exactly): float8 and float4 as IEEE bytes, boolean as one byte, text as UTF-8.
 */
export type ReadingType = 'float8' | 'float4' | 'boolean' | 'text'

export interface ReadingSpec {
  /** The SQL column name. */
  column: string
  type: ReadingType
  /** The JSON field devices post. */
  wire: string
  /** Other wire names accepted for the same reading (they must agree when both are sent). */
  wireAliases?: readonly string[]
  unit?: string
  /** Numbers: the accepted range, inclusive. */
  range?: readonly [min: number, max: number]
  /** Text: the longest accepted value, in characters. */
  maxLength?: number
  /** Carried on the live bus to map and vehicle subscribers. */
  live?: boolean
  /** Seen by the rules engine (alerts, trips, reports). */
  rules?: boolean
}

/** In column order. */
export const READINGS = {
  lat: {
    column: 'lat',
    type: 'float8',
    wire: 'lat',
    unit: '°',
    range: [-90, 90],
    live: true,
    rules: true,
  },
  lon: {
    column: 'lon',
    type: 'float8',
    wire: 'lon',
    wireAliases: ['long'],
    unit: '°',
    range: [-180, 180],
    live: true,
    rules: true,
  },
  speed: {
    column: 'speed',
    type: 'float4',
    wire: 'speed',
    unit: 'km/h',
    range: [0, 500],
    live: true,
    rules: true,
  },
  heading: {
    column: 'heading',
    type: 'float4',
    wire: 'heading',
    unit: '°',
    range: [0, 360],
    live: true,
  },
  altitude: {
    column: 'altitude',
    type: 'float4',
    wire: 'altitude',
    unit: 'm',
    range: [-1_000, 20_000],
  },
  rpm: {
    column: 'rpm',
    type: 'float4',
    wire: 'rpm',
    unit: 'rpm',
    range: [0, 20_000],
    live: true,
    rules: true,
  },
  fuel: {
    column: 'fuel',
    type: 'float4',
    wire: 'fuel',
    unit: '%',
    range: [0, 100],
    live: true,
    rules: true,
  },
  engineLoad: {
    column: 'engine_load',
    type: 'float4',
    wire: 'engine_load',
    unit: '%',
    range: [0, 100],
    live: true,
    rules: true,
  },
  coolantTemp: {
    column: 'coolant_temp',
    type: 'float4',
    wire: 'coolant_temp',
    unit: '°C',
    range: [-60, 250],
    live: true,
    rules: true,
  },
  odometer: {
    column: 'odometer',
    type: 'float8',
    wire: 'odometer',
    unit: 'km',
    range: [0, 100_000_000],
    live: true,
    rules: true,
  },
  ignition: { column: 'ignition', type: 'boolean', wire: 'ignition', live: true, rules: true },
  status: { column: 'status', type: 'text', wire: 'status', maxLength: 32, live: true },
  swVersion: { column: 'sw_version', type: 'text', wire: 'sw_version', maxLength: 64 },
  hwVersion: { column: 'hw_version', type: 'text', wire: 'hw_version', maxLength: 64 },
  /** The fix's horizontal accuracy (radius): a fix worse than MAX_ACCURACY_M is not used. */
  accuracy: {
    column: 'accuracy',
    type: 'float4',
    wire: 'accuracy',
    unit: 'm',
    range: [0, 1_000_000],
    rules: true,
  },
  /** The device's own verdict on the fix: false means its position (and GPS speed) is not one. */
  valid: { column: 'valid', type: 'boolean', wire: 'valid', rules: true },
  /**
   * The driver's identifier (RFID card, iButton, Traccar's `driverUniqueId`): the rules worker
   * moves the vehicle's driver timeline to the driver carrying it (see `planIdentification`).
   */
  driverId: {
    column: 'driver_id',
    type: 'text',
    wire: 'driver_id',
    maxLength: 64,
    rules: true,
  },
} as const satisfies Record<string, ReadingSpec>

export type ReadingName = keyof typeof READINGS

/** The TypeScript value of a reading of that type. */
export type ReadingValue<T extends ReadingType> = T extends 'text'
  ? string
  : T extends 'boolean'
    ? boolean
    : number

/** Every reading of a point, `null` where the device sent none. */
export type Reading = {
  -readonly [K in ReadingName]: ReadingValue<(typeof READINGS)[K]['type']> | null
}

/** The same readings as optional properties, `undefined` where the device sent none. */
export type OptionalReading = {
  -readonly [K in ReadingName]?: ReadingValue<(typeof READINGS)[K]['type']> | undefined
}

type FlaggedName<Flag extends 'live' | 'rules'> = {
  [K in ReadingName]: (typeof READINGS)[K] extends { readonly [F in Flag]: true } ? K : never
}[ReadingName]

/** The readings on the live bus. */
export type LiveReadingName = FlaggedName<'live'>
/** The readings the rules engine sees. */
export type RuleReadingName = FlaggedName<'rules'>

/** Reading names in column order. */
export const READING_NAMES = Object.keys(READINGS) as ReadingName[]
export const LIVE_READING_NAMES = READING_NAMES.filter(
  (name) => (READINGS[name] as ReadingSpec).live === true,
) as LiveReadingName[]
export const RULE_READING_NAMES = READING_NAMES.filter(
  (name) => (READINGS[name] as ReadingSpec).rules === true,
) as RuleReadingName[]

/** A reading's entry, typed as the general spec (for loops over the table). */
export function readingSpec(name: ReadingName): ReadingSpec {
  return READINGS[name]
}
