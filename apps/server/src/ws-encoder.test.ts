import { SharedFrame } from '@fms/api'
import { describe, expect, it } from 'vitest'
import { sharedFrameEncoder } from './ws.ts'

const point = {
  vehicleId: 'v1',
  deviceId: 'd1',
  time: 1,
  lat: 1,
  lon: 2,
  speed: 3,
  heading: null,
  rpm: null,
  fuel: null,
  coolantTemp: null,
  engineLoad: null,
  odometer: null,
  ignition: null,
  status: 'a "quoted" \\u0000-free status',
}

describe('WebSocket encoder', () => {
  it('splices a tracked frame in from its cached JSON, equal to plain serialization', () => {
    const frame = new SharedFrame([point])
    const message = { id: 7, result: { type: 'data', data: { json: { id: '5-0', data: frame } } } }
    const encoded = sharedFrameEncoder.encode(message) as string
    expect(JSON.parse(encoded)).toEqual(JSON.parse(JSON.stringify(message)))
    expect(encoded).toContain(frame.json)
  })

  it('encodes any other message as plain JSON', () => {
    const message = { id: 1, result: { type: 'started' } }
    expect(sharedFrameEncoder.encode(message)).toBe(JSON.stringify(message))
  })
})
