import { STATUS_COLORS } from '../live/vehicle-status'
import { findArrowCorners, MARKER_RADIUS } from './marker-geometry'

/** Arrow directions pre-drawn: every 5°, finer than the eye can tell apart at marker size. */
export const HEADING_SLOTS = 72
/** One sprite cell, CSS pixels: the arrow (1.5 × radius from its centre) plus outline. */
export const SPRITE_CELL = Math.ceil(MARKER_RADIUS * 1.5 + 3) * 2

/** The pre-drawn direction nearest to `heading` (degrees, any range). */
export function findHeadingSlot(heading: number): number {
  const normalized = ((heading % 360) + 360) % 360
  return Math.round((normalized / 360) * HEADING_SLOTS) % HEADING_SLOTS
}

export interface TMarkerSprites {
  canvas: HTMLCanvasElement
  /** Device pixels per CSS pixel the sheet was drawn for. */
  ratio: number
  /** Cell index of the idle dot, the offline dot; arrows are cells 0 … HEADING_SLOTS - 1. */
  idleCell: number
  offlineCell: number
}

/**
 * One sheet with every marker the map draws: an arrow per heading slot for moving vehicles and
 * a dot each for idle and offline ones, outlined in white. Stamping these with `drawImage` is
 * several times cheaper than filling and stroking thousands of paths per redraw.
 */
export function createMarkerSprites(ratio: number): TMarkerSprites {
  const cell = SPRITE_CELL * ratio
  const canvas = document.createElement('canvas')
  canvas.width = cell * (HEADING_SLOTS + 2)
  canvas.height = cell
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('Marker sprites: this browser gives no 2D canvas context')
  ctx.scale(ratio, ratio)
  ctx.lineWidth = 1.5
  ctx.strokeStyle = '#ffffff'
  const centre = SPRITE_CELL / 2
  for (let slot = 0; slot < HEADING_SLOTS; slot++) {
    const [ax, ay, bx, by, cx, cy] = findArrowCorners(
      slot * SPRITE_CELL + centre,
      centre,
      (slot * 360) / HEADING_SLOTS,
    )
    ctx.beginPath()
    ctx.moveTo(ax, ay)
    ctx.lineTo(bx, by)
    ctx.lineTo(cx, cy)
    ctx.closePath()
    ctx.fillStyle = STATUS_COLORS.moving
    ctx.fill()
    ctx.stroke()
  }
  const dots = [STATUS_COLORS.idle, STATUS_COLORS.offline]
  for (const [i, color] of dots.entries()) {
    ctx.beginPath()
    ctx.arc((HEADING_SLOTS + i) * SPRITE_CELL + centre, centre, MARKER_RADIUS, 0, Math.PI * 2)
    ctx.fillStyle = color
    ctx.fill()
    ctx.stroke()
  }
  return { canvas, ratio, idleCell: HEADING_SLOTS, offlineCell: HEADING_SLOTS + 1 }
}
