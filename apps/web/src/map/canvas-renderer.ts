import * as L from 'leaflet'

/** The parts of `L.Canvas` this fix touches, which the typings leave out. */
interface TCanvasInternals {
  _redrawRequest: number | null
  _redraw(): void
  _destroyContainer(): void
}

const base = L.Canvas.prototype as L.Canvas & TCanvasInternals

/**
 * Leaflet 1.9's canvas renderer keeps at most one redraw frame queued, but a redraw it runs at
 * once (after the map moves: `fitBounds`, `setView`) forgets the queued frame without cancelling
 * it. Removing the map then cancels only the frame it knows of; the forgotten one still fires
 * and throws `Cannot read properties of undefined (reading 'clearRect')` on the dropped context.
 * Here an immediate redraw cancels the queued one (it would draw the same), and a removed
 * renderer forgets its cancelled frame, so one added again can ask for a new one.
 */
class FrameSafeCanvas extends L.Canvas {
  declare _redrawRequest: number | null

  _redraw() {
    if (this._redrawRequest) L.Util.cancelAnimFrame(this._redrawRequest)
    base._redraw.call(this)
  }

  _destroyContainer() {
    base._destroyContainer.call(this)
    this._redrawRequest = null
  }
}

/** A canvas renderer for vectors that draws nothing after it (or its map) is removed. */
export function createCanvasRenderer(options?: L.RendererOptions): L.Canvas {
  return new FrameSafeCanvas(options)
}
