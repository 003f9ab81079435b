import { STATUS_COLORS, type TVehicleStatus } from '../live/vehicle-status'
import { formatClusterCount, type TCluster } from './cluster-grid'
import { MARKER_RADIUS, type TDrawnMarkers } from './marker-geometry'

/** Each drawn marker's vehicle code beside it, haloed so it reads on any background. */
export function drawCodeLabels(
  ctx: CanvasRenderingContext2D,
  drawn: TDrawnMarkers,
  codeOf: (vehicleId: string) => string,
) {
  ctx.font = '600 12px system-ui, sans-serif'
  ctx.textBaseline = 'middle'
  ctx.lineWidth = 3
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)'
  ctx.fillStyle = '#1c2430'
  for (let i = 0; i < drawn.count; i++) {
    const vehicleId = drawn.ids[i]
    const markerX = drawn.xs[i]
    const y = drawn.ys[i]
    if (vehicleId === undefined || markerX === undefined || y === undefined) break
    const code = codeOf(vehicleId)
    const x = markerX + MARKER_RADIUS + 6
    ctx.strokeText(code, x, y)
    ctx.fillText(code, x, y)
  }
}

/** The ring around the selected vehicle. */
export function drawSelectionRing(ctx: CanvasRenderingContext2D, x: number, y: number) {
  ctx.beginPath()
  ctx.arc(x, y, MARKER_RADIUS + 6, 0, Math.PI * 2)
  ctx.lineWidth = 3
  ctx.strokeStyle = '#1f5fbf'
  ctx.stroke()
}

const RING_ORDER: TVehicleStatus[] = ['moving', 'idle', 'offline']

/** Each cluster: a white disc with its count, ringed by its statuses' shares (moving first). */
export function drawClusters(ctx: CanvasRenderingContext2D, clusters: readonly TCluster[]) {
  ctx.font = '700 12px system-ui, sans-serif'
  ctx.textAlign = 'center'
  ctx.textBaseline = 'middle'
  for (const cluster of clusters) {
    const { x, y, radius, count } = cluster
    ctx.beginPath()
    ctx.arc(x, y, radius, 0, Math.PI * 2)
    ctx.fillStyle = 'rgba(255, 255, 255, 0.95)'
    ctx.fill()
    let start = -Math.PI / 2
    ctx.lineWidth = 5
    for (const status of RING_ORDER) {
      const share = cluster.byStatus[status] / count
      if (share === 0) continue
      const end = start + share * Math.PI * 2
      ctx.beginPath()
      ctx.arc(x, y, radius - 2.5, start, end)
      ctx.strokeStyle = STATUS_COLORS[status]
      ctx.stroke()
      start = end
    }
    ctx.fillStyle = '#1c2430'
    ctx.fillText(formatClusterCount(count), x, y)
  }
  ctx.textAlign = 'start'
}
