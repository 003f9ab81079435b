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
