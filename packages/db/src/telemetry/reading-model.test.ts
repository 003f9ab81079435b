import { READING_NAMES, type ReadingName, type ReadingType, readingSpec } from '@fms/engine'
import { getTableColumns } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { telemetry } from '../schema/telemetry.ts'
import { encodeCopyBinaryRows } from './copy-binary.ts'
import {
  encodeCopyRows,
  encodeJsonRows,
  TELEMETRY_COLUMNS,
  TELEMETRY_RECORD_TYPES,
  type TelemetryInsert,
} from './rows.ts'

const SQL_TYPES: Record<ReadingType, string> = {
  float8: 'double precision',
  float4: 'real',
  boolean: 'boolean',
  text: 'text',
}
/** A value of each type that survives its encoding exactly. */
const SAMPLES = { float8: 12.25, float4: 1.5, boolean: true, text: 'ok\tgo' } as const
const IDENTITY = ['time', 'org_id', 'device_id', 'vehicle_id'] as const

const base: TelemetryInsert = {
  time: Date.UTC(2024, 0, 2, 3, 4, 5, 6),
  orgId: '00000000-0000-4000-8000-000000000001',
  deviceId: '00000000-0000-4000-8000-000000000002',
  vehicleId: null,
}

function rowWith(name: ReadingName): TelemetryInsert {
  return { ...base, [name]: SAMPLES[readingSpec(name).type] }
}

/** The fields of a single binary COPY tuple: null, or each field's bytes. */
function binaryFields(tuple: Buffer): (Buffer | null)[] {
  const count = tuple.readInt16BE(0)
  const fields: (Buffer | null)[] = []
  let o = 2
  for (let i = 0; i < count; i++) {
    const length = tuple.readInt32BE(o)
    o += 4
    if (length === -1) fields.push(null)
    else {
      fields.push(tuple.subarray(o, o + length))
      o += length
    }
  }
  expect(o).toBe(tuple.length)
  return fields
}

function decodeBinary(type: ReadingType, bytes: Buffer): unknown {
  if (type === 'float8') return bytes.length === 8 ? bytes.readDoubleBE(0) : `${bytes.length} bytes`
  if (type === 'float4') return bytes.length === 4 ? bytes.readFloatBE(0) : `${bytes.length} bytes`
  if (type === 'boolean') return bytes.length === 1 ? bytes[0] === 1 : `${bytes.length} bytes`
  return bytes.toString('utf8')
}

const TEXT_FORMS = { float8: '12.25', float4: '1.5', boolean: 't', text: 'ok\\tgo' } as const

describe('the telemetry reading model', () => {
  const columns = getTableColumns(telemetry)

  it('has the copy column list: identity, every reading in order, attributes', () => {
    expect(TELEMETRY_COLUMNS).toEqual([
      ...IDENTITY,
      ...READING_NAMES.map((name) => readingSpec(name).column),
      'attributes',
    ])
    const stored = Object.values(columns)
      .map((column) => column.name)
      .filter((name) => name !== 'received_at' && name !== 'ingest_xid')
    expect([...TELEMETRY_COLUMNS].sort()).toEqual(stored.sort())
  })

  for (const name of READING_NAMES) {
    const spec = readingSpec(name)
    const index = IDENTITY.length + READING_NAMES.indexOf(name)

    describe(name, () => {
      it(`is the nullable ${SQL_TYPES[spec.type]} column ${spec.column}`, () => {
        const column = columns[name]
        expect(column?.name).toBe(spec.column)
        expect(column?.getSQLType()).toBe(SQL_TYPES[spec.type])
        expect(column?.notNull).toBe(false)
        expect(TELEMETRY_RECORD_TYPES.split(', ')[index]).toBe(`${spec.column} ${spec.type}`)
      })

      it(`goes out in binary COPY as ${spec.type}, in its column's place`, () => {
        const fields = binaryFields(encodeCopyBinaryRows([rowWith(name)]))
        expect(fields).toHaveLength(TELEMETRY_COLUMNS.length)
        expect(decodeBinary(spec.type, fields[index]!)).toBe(SAMPLES[spec.type])
        const empty = binaryFields(encodeCopyBinaryRows([base]))
        expect(empty[index]).toBeNull()
      })

      it('goes out in COPY text and in the JSON recordset under its column', () => {
        const text = encodeCopyRows([rowWith(name)])
          .replace(/\n$/, '')
          .split('\t')
        expect(text).toHaveLength(TELEMETRY_COLUMNS.length)
        expect(text[index]).toBe(TEXT_FORMS[spec.type])
        expect(encodeCopyRows([base]).split('\t')[index]).toBe('\\N')
        const [json] = JSON.parse(encodeJsonRows([rowWith(name)])) as Record<string, unknown>[]
        expect(json?.[spec.column]).toBe(SAMPLES[spec.type])
        const [empty] = JSON.parse(encodeJsonRows([base])) as Record<string, unknown>[]
        expect(empty?.[spec.column]).toBeNull()
      })
    })
  }
})
