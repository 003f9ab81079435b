import * as L from 'leaflet'
import 'leaflet/dist/leaflet.css'
import { createCanvasRenderer } from './canvas-renderer'

const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'
const DEFAULT_ATTRIBUTION =
  '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'

/**
 * The tile server, from `VITE_TILE_URL` at build time (an `{z}/{x}/{y}` template); `none` shows
 * no tiles. The map works without tiles: markers and tracks draw on a plain background.
 */
export function readTileConfig(env: Record<string, string | undefined> = import.meta.env) {
  const url = env.VITE_TILE_URL?.trim() || DEFAULT_TILE_URL
  return {
    url: url === 'none' ? null : url,
    attribution: env.VITE_TILE_ATTRIBUTION?.trim() || DEFAULT_ATTRIBUTION,
  }
}

/**
 * A Leaflet map in `container` with the configured tiles, drawing vectors on a canvas. Vectors
 * in a pane of their own need a `createCanvasRenderer` too: the one Leaflet would make for the
 * pane lacks its fix.
 */
export function createBaseMap(container: HTMLElement, label: string): L.Map {
  const map = L.map(container, {
    renderer: createCanvasRenderer(),
    worldCopyJump: true,
    center: [20, 0],
    zoom: 2,
    minZoom: 2,
    maxZoom: 19,
  })
  const tiles = readTileConfig()
  if (tiles.url) {
    L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map)
  }
  container.setAttribute('role', 'region')
  container.setAttribute('aria-label', label)
  return map
}
