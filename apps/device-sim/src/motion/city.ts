import { createProjection, type LatLon, type Projection } from '../geo.ts'
import { createRandom, deriveSeed } from '../random.ts'

/** A junction of the street grid. */
export interface StreetNode {
  id: number
  /** Grid column (east) and row (north), 0 at the centre. */
  i: number
  j: number
  /** Metres from the centre, east and north. */
  x: number
  y: number
  /** Traffic lights: vehicles may have to stop here. */
  hasSignal: boolean
}

/**
 * A city as a street grid around a centre: a square of junctions whose positions are nudged off
 * the exact grid so streets bend a little and headings vary. Every fifth street (and the edge of
 * the grid, a ring road) is an arterial with a higher limit; arterial crossings have lights.
 */
export interface City {
  center: LatLon
  projection: Projection
  /** Junctions on each side of the centre, so the grid is (2 * half + 1) junctions wide. */
  half: number
  blockM: number
  nodes: StreetNode[]
  /** Ground level at the centre, metres. */
  altitudeBaseM: number
}

export const SPEED_LIMIT_KMH = { street: 40, arterial: 60 } as const
const ARTERIAL_EVERY = 5
const NOMINAL_BLOCK_M = 200
const MAX_HALF = 60
const JITTER_SHARE = 0.15
const SIGNAL_SHARE = 0.12

export function createCity(options: { center: LatLon; radiusKm: number; seed: number }): City {
  const rng = createRandom(deriveSeed(options.seed, 0xc17))
  const radiusM = options.radiusKm * 1000
  const half = Math.max(2, Math.min(MAX_HALF, Math.round(radiusM / NOMINAL_BLOCK_M)))
  const blockM = radiusM / half
  const city: City = {
    center: options.center,
    projection: createProjection(options.center),
    half,
    blockM,
    nodes: [],
    altitudeBaseM: rng.between(20, 120),
  }
  for (let i = -half; i <= half; i++) {
    for (let j = -half; j <= half; j++) {
      const isCrossing = isArterial(city, i) && isArterial(city, j)
      city.nodes.push({
        id: toNodeId(city, i, j),
        i,
        j,
        x: (i + rng.between(-JITTER_SHARE, JITTER_SHARE)) * blockM,
        y: (j + rng.between(-JITTER_SHARE, JITTER_SHARE)) * blockM,
        hasSignal: isCrossing || rng.chance(SIGNAL_SHARE),
      })
    }
  }
  return city
}

function toNodeId(city: City, i: number, j: number): number {
  return (i + city.half) * (2 * city.half + 1) + (j + city.half)
}

/** A grid line (street index) is an arterial every fifth line and at the edge (the ring road). */
function isArterial(city: City, line: number): boolean {
  return line % ARTERIAL_EVERY === 0 || Math.abs(line) === city.half
}

export function getNode(city: City, id: number): StreetNode {
  const node = city.nodes[id]
  if (!node) throw new Error(`no junction ${id}`)
  return node
}

/** Junctions one block away (2 at a corner of the grid, 3 on its edge, 4 inside). */
export function findNeighbours(city: City, id: number): number[] {
  const { i, j } = getNode(city, id)
  const result: number[] = []
  for (const [di, dj] of [
    [1, 0],
    [-1, 0],
    [0, 1],
    [0, -1],
  ] as const) {
    const ni = i + di
    const nj = j + dj
    if (Math.abs(ni) <= city.half && Math.abs(nj) <= city.half) result.push(toNodeId(city, ni, nj))
  }
  return result
}

/** The limit of the street between two neighbouring junctions, km/h. */
export function getSpeedLimitKmh(city: City, from: number, to: number): number {
  const a = getNode(city, from)
  const b = getNode(city, to)
  // An east-west street runs along row j; a north-south one along column i.
  const line = a.j === b.j ? a.j : a.i
  return isArterial(city, line) ? SPEED_LIMIT_KMH.arterial : SPEED_LIMIT_KMH.street
}

export function measureEdgeM(city: City, from: number, to: number): number {
  const a = getNode(city, from)
  const b = getNode(city, to)
  return Math.hypot(b.x - a.x, b.y - a.y)
}
