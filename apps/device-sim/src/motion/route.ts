import { isAnomalyActive } from '../anomalies.ts'
import { computeHeading, measureTurn } from '../geo.ts'
import type { Random } from '../random.ts'
import { type City, findNeighbours, getNode, getSpeedLimitKmh, measureEdgeM } from './city.ts'
import { computeFuelPercent, MAX_SPEED_KMH, type VehicleState } from './state.ts'

const TURN_SPEED_MS = 20 / 3.6
const TURN_DEGREES = 35
const STRAIGHT_ON_SHARE = 0.6
const RED_LIGHT_SHARE = 0.45
const LOW_FUEL_PERCENT = 12
const TO_PETROL_STATION_M = 1_500

function measureHeading(city: City, from: number, to: number): number {
  const a = getNode(city, from)
  const b = getNode(city, to)
  return computeHeading(b.x - a.x, b.y - a.y)
}

/** The junction after `to`: never back the way it came (unless it must), mostly straight on. */
function chooseNextJunction(state: VehicleState, city: City, rng: Random): number {
  const onward = findNeighbours(city, state.to).filter((id) => id !== state.from)
  if (onward.length === 0) return state.from
  const heading = measureHeading(city, state.from, state.to)
  const byTurn = onward
    .map((id) => ({ id, turn: measureTurn(heading, measureHeading(city, state.to, id)) }))
    .sort((x, y) => x.turn - y.turn)
  const straight = byTurn[0]
  const straightShare = isAnomalyActive(state.anomaly, 'overspeed') ? 0.95 : STRAIGHT_ON_SHARE
  if (straight && straight.turn < TURN_DEGREES && rng.chance(straightShare)) return straight.id
  return rng.pick(byTurn).id
}

/** Decides, on entering a street, where to go next and how this street ends. */
export function planStreetEnd(state: VehicleState, city: City, rng: Random): void {
  if (!state.isFuelNeeded && computeFuelPercent(state) < LOW_FUEL_PERCENT) {
    state.isFuelNeeded = true
    state.tripLeftM = Math.min(state.tripLeftM, TO_PETROL_STATION_M)
  }
  state.next = chooseNextJunction(state, city, rng)
  const isRacing = isAnomalyActive(state.anomaly, 'overspeed')
  if (state.tripLeftM <= 0) {
    state.endAction = 'park'
  } else if (getNode(city, state.to).hasSignal && !isRacing && rng.chance(RED_LIGHT_SHARE)) {
    state.endAction = 'signal'
    state.signalWaitSec = rng.between(5, 45)
  } else {
    const turn = measureTurn(
      measureHeading(city, state.from, state.to),
      measureHeading(city, state.to, state.next),
    )
    state.endAction = turn > TURN_DEGREES ? 'turn' : 'through'
  }
}

/** Moves onto the street from -> to, `carryM` metres in, and plans its end. */
export function enterStreet(input: {
  state: VehicleState
  city: City
  rng: Random
  from: number
  to: number
  carryM: number
}): void {
  const { state, city } = input
  state.from = input.from
  state.to = input.to
  state.edgeM = measureEdgeM(city, input.from, input.to)
  state.alongM = Math.min(input.carryM, state.edgeM)
  state.tripLeftM -= state.edgeM
  planStreetEnd(state, city, input.rng)
}

/** The speed this driver aims for on the street from -> to, m/s. */
export function computeTargetSpeedMs(
  state: VehicleState,
  city: City,
  from: number,
  to: number,
): number {
  if (isAnomalyActive(state.anomaly, 'overspeed')) return state.overspeedMs
  const limitMs = getSpeedLimitKmh(city, from, to) / 3.6
  return Math.min(MAX_SPEED_KMH / 3.6, limitMs * state.driver.speedFactor * (1 + state.cruiseDrift))
}

/** The speed to be down to at the end of this street, m/s. */
export function computeEndSpeedMs(state: VehicleState, city: City): number {
  switch (state.endAction) {
    case 'park':
    case 'signal':
      return 0
    case 'turn':
      return TURN_SPEED_MS
    case 'through':
      return Math.min(
        computeTargetSpeedMs(state, city, state.from, state.to),
        computeTargetSpeedMs(state, city, state.to, state.next),
      )
  }
}
