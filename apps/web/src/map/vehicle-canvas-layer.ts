import * as L from 'leaflet'
import type { TFleetStore, TFleetVehicle } from '../live/fleet-store'
import { classifyVehicleStatus } from '../live/vehicle-status'
import { drawClusters, drawCodeLabels, drawSelectionRing } from './canvas-overlays'
import {
  CLUSTER_MAX_ZOOM,
  clusterByGrid,
  findClusterAt,
  type TCluster,
  type TPlaced,
} from './cluster-grid'
import { createDrawnMarkers, findMarkerAt, type TDrawnMarkers } from './marker-geometry'
import {
  createMarkerSprites,
  findHeadingSlot,
  SPRITE_CELL,
  type TMarkerSprites,
} from './marker-sprites'

/** Extra canvas around the view (fraction of its size), so a short drag shows no gap. */
const PADDING = 0.1
/** Status changes with time alone (a vehicle goes offline): redraw this often anyway. */
const IDLE_REDRAW_MS = 10_000
const LABEL_MIN_ZOOM = 13
const LABEL_MAX_COUNT = 400

/**
 * Every vehicle of a fleet store on one canvas: arrows for moving vehicles (pointing along the
 * heading), dots for idle and offline ones; zoomed out, crowded spots fold into clusters with
 * their count and a ring of their statuses (a click zooms in on one). Store changes are batched into one redraw per
 * animation frame; each marker is one `drawImage` from a pre-drawn sprite sheet, offline
 * first and moving last, so moving vehicles stay on top.
 */
export class VehicleCanvasLayer extends L.Layer {
  private canvas = document.createElement('canvas')
  private context: CanvasRenderingContext2D
  private frame = 0
  private timer = 0
  private drawn: TDrawnMarkers = createDrawnMarkers(0)
  private selectedId: string | null = null
  /** Only these vehicles are drawn (a group filter); null for every vehicle of the store. */
  private shownIds: ReadonlySet<string> | null = null
  private sprites: TMarkerSprites | null = null
  private unsubscribe: (() => void) | null = null
  private clusters: TCluster[] = []
  private placement: TPlaced = {
    count: 0,
    xs: new Float64Array(0),
    ys: new Float64Array(0),
    wxs: new Float64Array(0),
    wys: new Float64Array(0),
    statuses: [],
  }

  constructor(
    private store: TFleetStore,
    private onSelect: (vehicleId: string) => void,
  ) {
    super()
    const context = this.canvas.getContext('2d')
    if (!context) throw new Error('VehicleCanvasLayer: this browser gives no 2D canvas context')
    this.context = context
    this.canvas.className = 'vehicle-canvas leaflet-zoom-hide'
    this.canvas.setAttribute('aria-hidden', 'true')
  }

  override onAdd(map: L.Map): this {
    // Leaflet makes the overlay pane with every map.
    const pane = map.getPane('overlayPane')
    if (!pane) throw new Error('VehicleCanvasLayer: the map has no overlay pane')
    pane.appendChild(this.canvas)
    map.on('moveend zoomend resize viewreset', this.requestRedraw, this)
    map.on('click', this.handleClick, this)
    map.on('mousemove', this.handleHover, this)
    this.unsubscribe = this.store.subscribe(this.requestRedraw)
    this.timer = window.setInterval(this.requestRedraw, IDLE_REDRAW_MS)
    this.requestRedraw()
    return this
  }

  override onRemove(map: L.Map): this {
    map.off('moveend zoomend resize viewreset', this.requestRedraw, this)
    map.off('click', this.handleClick, this)
    map.off('mousemove', this.handleHover, this)
    this.unsubscribe?.()
    window.clearInterval(this.timer)
    cancelAnimationFrame(this.frame)
    this.frame = 0
    this.canvas.remove()
    return this
  }

  /** Draws only these vehicles (null: all); hidden ones can't be clicked either. */
  setShown(vehicleIds: ReadonlySet<string> | null) {
    this.shownIds = vehicleIds
    this.requestRedraw()
  }

  setSelected(vehicleId: string | null) {
    this.selectedId = vehicleId
    this.requestRedraw()
  }

  requestRedraw = () => {
    if (this.frame || !this._map) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.redraw()
    })
  }

  private redraw() {
    const map = this._map
    if (!map) return
    const size = map.getSize()
    const pad = size.multiplyBy(PADDING).round()
    const topLeft = map.containerPointToLayerPoint(pad.multiplyBy(-1))
    const width = size.x + 2 * pad.x
    const height = size.y + 2 * pad.y
    const ratio = window.devicePixelRatio || 1
    L.DomUtil.setPosition(this.canvas, topLeft)
    if (this.canvas.width !== Math.round(width * ratio))
      this.canvas.width = Math.round(width * ratio)
    if (this.canvas.height !== Math.round(height * ratio)) {
      this.canvas.height = Math.round(height * ratio)
    }
    this.canvas.style.width = `${width}px`
    this.canvas.style.height = `${height}px`
    const ctx = this.context
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0)
    ctx.clearRect(0, 0, width, height)
    this.drawMarkers(map, { x: topLeft.x, y: topLeft.y, width, height })
    this.canvas.dataset.drawn = String(this.drawn.count)
    this.canvas.dataset.clusters = String(this.clusters.length)
    this.canvas.dataset.clustered = String(this.clusters.reduce((sum, c) => sum + c.count, 0))
  }

  private drawMarkers(map: L.Map, view: { x: number; y: number; width: number; height: number }) {
    const ratio = window.devicePixelRatio || 1
    if (this.sprites?.ratio !== ratio) this.sprites = createMarkerSprites(ratio)
    const sprites = this.sprites
    const now = Date.now()
    if (this.drawn.xs.length < this.store.size) this.drawn = createDrawnMarkers(this.store.size * 2)
    const drawn = this.drawn
    drawn.ids.length = 0
    drawn.count = 0
    // Cells per marker, in drawing order: offline, then idle, then moving on top.
    // Offline under idle under moving: each a flat list of (drawn index, sprite cell) pairs.
    const offline: number[] = []
    const idle: number[] = []
    const moving: number[] = []
    const margin = SPRITE_CELL
    let selected: { x: number; y: number } | null = null
    // First every vehicle in view, placed; then the crowded cells fold into clusters (zoomed
    // out), and the rest are drawn one by one.
    const placed = this.placed(this.store.size)
    const vehicles: TFleetVehicle[] = []
    const origin = map.getPixelOrigin()
    for (const vehicle of this.store.values()) {
      if (vehicle.lat === null || vehicle.lon === null) continue
      if (this.shownIds && !this.shownIds.has(vehicle.vehicleId)) continue
      const point = map.latLngToLayerPoint([vehicle.lat, vehicle.lon])
      const x = point.x - view.x
      const y = point.y - view.y
      if (x < -margin || y < -margin || x > view.width + margin || y > view.height + margin) {
        continue
      }
      const index = placed.count
      placed.xs[index] = x
      placed.ys[index] = y
      placed.wxs[index] = point.x + origin.x
      placed.wys[index] = point.y + origin.y
      placed.statuses[index] = classifyVehicleStatus(vehicle, now)
      placed.count += 1
      vehicles.push(vehicle)
      if (vehicle.vehicleId === this.selectedId) selected = { x, y }
    }
    const { clusters, isClustered } =
      map.getZoom() < CLUSTER_MAX_ZOOM
        ? clusterByGrid(placed)
        : { clusters: [], isClustered: new Uint8Array(placed.count) }
    this.clusters = clusters
    for (let i = 0; i < placed.count; i++) {
      const vehicle = vehicles[i]
      if (isClustered[i] === 1 || !vehicle) continue
      const status = placed.statuses[i]
      const cell =
        status === 'offline'
          ? sprites.offlineCell
          : status === 'idle' || vehicle.heading === null
            ? sprites.idleCell
            : findHeadingSlot(vehicle.heading)
      const layer = status === 'offline' ? offline : status === 'idle' ? idle : moving
      layer.push(drawn.count, cell)
      drawn.ids.push(vehicle.vehicleId)
      drawn.xs[drawn.count] = placed.xs[i] ?? 0
      drawn.ys[drawn.count] = placed.ys[i] ?? 0
      drawn.count += 1
    }
    const ctx = this.context
    const source = SPRITE_CELL * ratio
    const half = SPRITE_CELL / 2
    for (const layer of [offline, idle, moving]) {
      for (let i = 0; i < layer.length; i += 2) {
        const index = layer[i]
        const cell = layer[i + 1]
        if (index === undefined || cell === undefined) break
        const drawnX = drawn.xs[index]
        const drawnY = drawn.ys[index]
        if (drawnX === undefined || drawnY === undefined) continue
        const x = Math.round(drawnX - half)
        const y = Math.round(drawnY - half)
        ctx.drawImage(
          sprites.canvas,
          cell * source,
          0,
          source,
          source,
          x,
          y,
          SPRITE_CELL,
          SPRITE_CELL,
        )
      }
    }
    if (map.getZoom() >= LABEL_MIN_ZOOM && drawn.count <= LABEL_MAX_COUNT) {
      drawCodeLabels(ctx, drawn, (id) => this.store.get(id)?.code ?? '')
    }
    drawClusters(ctx, clusters)
    if (selected) drawSelectionRing(ctx, selected.x, selected.y)
  }

  /** Reusable position arrays for up to `size` vehicles. */
  private placed(size: number): TPlaced {
    if (this.placement.xs.length < size) {
      const capacity = size * 2
      this.placement = {
        count: 0,
        xs: new Float64Array(capacity),
        ys: new Float64Array(capacity),
        wxs: new Float64Array(capacity),
        wys: new Float64Array(capacity),
        statuses: [],
      }
    }
    this.placement.count = 0
    this.placement.statuses.length = 0
    return this.placement
  }

  /** The pointer's position on the canvas. */
  private eventPoint(event: L.LeafletMouseEvent): L.Point | null {
    const map = this._map
    if (!map) return null
    const origin = L.DomUtil.getPosition(this.canvas)
    // From the pointer itself: an event bubbling from a small vector under it (a geofence
    // circle) carries that shape's centre as its `layerPoint`.
    return map.mouseEventToLayerPoint(event.originalEvent).subtract(origin)
  }

  private findEventMarker(event: L.LeafletMouseEvent): string | null {
    const point = this.eventPoint(event)
    return point ? findMarkerAt(this.drawn, point.x, point.y) : null
  }

  private findEventCluster(event: L.LeafletMouseEvent): TCluster | null {
    const point = this.eventPoint(event)
    return point ? findClusterAt(this.clusters, point.x, point.y) : null
  }

  private handleClick(event: L.LeafletMouseEvent) {
    const vehicleId = this.findEventMarker(event)
    if (vehicleId) return this.onSelect(vehicleId)
    // A cluster opens up: zoom in on it.
    const cluster = this.findEventCluster(event)
    const map = this._map
    if (!cluster || !map) return
    const origin = L.DomUtil.getPosition(this.canvas)
    const center = map.layerPointToLatLng(L.point(cluster.x + origin.x, cluster.y + origin.y))
    map.setView(center, Math.min(map.getZoom() + 2, map.getMaxZoom()))
  }

  private handleHover(event: L.LeafletMouseEvent) {
    const container = this._map?.getContainer()
    if (!container) return
    const isOver = this.findEventMarker(event) !== null || this.findEventCluster(event) !== null
    container.style.cursor = isOver ? 'pointer' : ''
  }
}
