import { describe, expect, it } from 'vitest'
import type { TVehicleStatus } from '../live/vehicle-status'
import { clusterByGrid, findClusterAt, formatClusterCount, type TPlaced } from './cluster-grid'

function place(points: [number, number, TVehicleStatus][]): TPlaced {
  return {
    count: points.length,
    xs: Float64Array.from(points.map(([x]) => x)),
    ys: Float64Array.from(points.map(([, y]) => y)),
    wxs: Float64Array.from(points.map(([x]) => x + 10_000)),
    wys: Float64Array.from(points.map(([, y]) => y + 20_000)),
    statuses: points.map(([, , status]) => status),
  }
}

describe('grid clustering', () => {
  it('folds a crowded cell into one cluster with counts by status, and leaves sparse vehicles alone', () => {
    const crowd: [number, number, TVehicleStatus][] = Array.from({ length: 8 }, (_, i) => [
      100 + i,
      100 + (i % 3),
      i < 5 ? 'moving' : i < 7 ? 'idle' : 'offline',
    ])
    const placed = place([...crowd, [400, 400, 'idle'], [405, 402, 'moving']])
    const { clusters, isClustered } = clusterByGrid(placed, { cell: 50, min: 6 })
    expect(clusters).toHaveLength(1)
    expect(clusters[0]).toMatchObject({ count: 8, byStatus: { moving: 5, idle: 2, offline: 1 } })
    expect(clusters[0]!.x).toBeCloseTo(103.5)
    expect([...isClustered]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0])
  })

  it('finds the cluster under a point, and none beside it', () => {
    const placed = place(
      Array.from({ length: 10 }, (): [number, number, TVehicleStatus] => [200, 200, 'idle']),
    )
    const { clusters } = clusterByGrid(placed, { cell: 50, min: 6 })
    expect(findClusterAt(clusters, 205, 203)?.count).toBe(10)
    expect(findClusterAt(clusters, 260, 260)).toBeNull()
  })

  it('clusters 20,000 vehicles spread over a country into far fewer badges', () => {
    let seed = 3
    const random = () => {
      seed = (seed * 16807) % 2147483647
      return seed / 2147483647
    }
    const points: [number, number, TVehicleStatus][] = Array.from({ length: 20_000 }, () => [
      random() * 1200,
      random() * 800,
      'moving',
    ])
    const { clusters, isClustered } = clusterByGrid(place(points))
    const alone = isClustered.length - isClustered.reduce((sum, v) => sum + v, 0)
    expect(clusters.length + alone).toBeLessThan(1000)
    expect(clusters.reduce((sum, c) => sum + c.count, 0) + alone).toBe(20_000)
  })

  it('writes counts short', () => {
    expect([7, 950, 1234, 20_500].map(formatClusterCount)).toEqual(['7', '950', '1.2k', '20k'])
  })
})
