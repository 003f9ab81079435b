import { postPoints, type WirePoint } from './ingest.ts'

// Distinct times for every point this process makes: a point is unique on (device_id, time).
let clock = Date.now() - 86_400_000

/** `count` points for one device with times no other call of this process uses. */
export function makePoints(deviceId: string | undefined, count: number): WirePoint[] {
  return Array.from({ length: count }, (_, i) => {
    clock += 1
    return {
      ...(deviceId ? { device_id: deviceId } : {}),
      time: new Date(clock).toISOString(),
      lat: 52.5 + (i % 100) / 1e4,
      lon: 13.4,
      speed: i % 120,
      ignition: true,
    }
  })
}

/** The identity of a wire point, `device@epochMs`. */
export function wireKey(point: WirePoint): string {
  const time = typeof point.time === 'number' ? point.time : Date.parse(String(point.time))
  return `${String(point.device_id)}@${time}`
}

const KM_PER_DEGREE = 111.32

/** A point `km` kilometres from (lat, lon) along `heading` (flat-earth: fine for a few km). */
export function moveAlong(lat: number, lon: number, heading: number, km: number) {
  const rad = (heading * Math.PI) / 180
  return {
    lat: lat + (Math.cos(rad) * km) / KM_PER_DEGREE,
    lon: lon + (Math.sin(rad) * km) / (KM_PER_DEGREE * Math.cos((lat * Math.PI) / 180)),
  }
}

export interface DriveOptions {
  serverUrl: string
  secret: string
  start: { lat: number; lon: number }
  heading: number
  speedKmh: number
  /** Wall time between points; each point is stamped with the time it is sent. */
  intervalMs?: number
}

function toDrivePoint(time: number, lat: number, lon: number, options: DriveOptions, step: number) {
  return {
    time,
    lat,
    lon,
    speed: options.speedKmh,
    heading: options.heading,
    rpm: 1800 + (step % 10) * 20,
    fuel: 80 - step * 0.01,
    coolant_temp: 86 + (step % 5),
    engine_load: 45,
    ignition: true,
  }
}

/**
 * A half hour of history ending now, one point a minute, so a vehicle page has a track and
 * charts; a drive can then continue from its last position.
 */
export function createHistory(options: DriveOptions, minutes = 30) {
  const now = Date.now()
  const points = []
  let position = options.start
  for (let i = minutes; i >= 1; i--) {
    points.push(toDrivePoint(now - i * 60_000, position.lat, position.lon, options, minutes - i))
    position = moveAlong(position.lat, position.lon, options.heading, options.speedKmh / 60)
  }
  return { points, end: position }
}

/**
 * A tracker driving in a straight line at ten times real speed (so a few seconds visibly move
 * it), posting one point per interval until stopped.
 */
export function startDriving(options: DriveOptions) {
  const intervalMs = options.intervalMs ?? 500
  let position = options.start
  let step = 0
  let lastStatus = 0
  let isStopped = false
  let inFlight: Promise<unknown> = Promise.resolve()
  const tick = () => {
    const time = Date.now()
    step += 1
    position = moveAlong(
      position.lat,
      position.lon,
      options.heading,
      (options.speedKmh * intervalMs * 10) / 3_600_000,
    )
    inFlight = postPoints(options.serverUrl, options.secret, [
      toDrivePoint(time, position.lat, position.lon, options, step),
    ]).then((status) => {
      lastStatus = status
    })
  }
  tick()
  const timer = setInterval(() => {
    if (!isStopped) tick()
  }, intervalMs)
  return {
    get position() {
      return position
    },
    get lastStatus() {
      return lastStatus
    },
    get steps() {
      return step
    },
    async stop() {
      isStopped = true
      clearInterval(timer)
      await inFlight
    },
  }
}

export interface TripOptions {
  start: { lat: number; lon: number }
  heading: number
  speedKmh: number
  /** Minutes parked (ignition off) before the trip, driving, then standing with the engine on. */
  parkedMinutes: number
  drivingMinutes: number
  stoppedMinutes: number
  /** How long ago the last point was. */
  endMinutesAgo: number
}

/**
 * One trip in history, a point a minute: parked, a straight drive, then a stop long enough to
 * end the trip, so the reports list it as complete.
 */
export function createTrip(options: TripOptions) {
  const total = options.parkedMinutes + options.drivingMinutes + options.stoppedMinutes
  const first =
    Math.floor(Date.now() / 60_000) * 60_000 - (options.endMinutesAgo + total - 1) * 60_000
  const points = []
  let position = options.start
  for (let minute = 0; minute < total; minute++) {
    const isDriving =
      minute >= options.parkedMinutes && minute < options.parkedMinutes + options.drivingMinutes
    points.push({
      time: first + minute * 60_000,
      ...position,
      speed: isDriving ? options.speedKmh : 0,
      heading: options.heading,
      ignition: minute >= options.parkedMinutes,
    })
    if (isDriving) {
      position = moveAlong(position.lat, position.lon, options.heading, options.speedKmh / 60)
    }
  }
  return points
}
