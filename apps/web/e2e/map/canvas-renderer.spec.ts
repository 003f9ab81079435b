import { fileURLToPath } from 'node:url'
import { CHROMIUM_ARGS } from '@fms/testkit'
import { type Browser, chromium } from 'playwright-core'
import { build, type Rollup } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const RENDERER_SOURCE = fileURLToPath(new URL('../../src/map/canvas-renderer.ts', import.meta.url))
const LEAFLET_SCRIPT = fileURLToPath(import.meta.resolve('leaflet/dist/leaflet.js'))

interface TFixtureWindow {
  L: typeof import('leaflet')
  FmsCanvas: typeof import('../../src/map/canvas-renderer')
}

let browser: Browser
let rendererScript: string

beforeAll(async () => {
  // The module alone, with Leaflet from its own script: no app, no server.
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: RENDERER_SOURCE, formats: ['iife'], name: 'FmsCanvas' },
      rollupOptions: { external: ['leaflet'], output: { globals: { leaflet: 'L' } } },
    },
  })) as Rollup.RollupOutput[]
  rendererScript = output[0]!.output[0].code
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
})

afterAll(() => browser?.close())

async function openFixture() {
  const page = await browser.newPage()
  const pageErrors: Error[] = []
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.setContent('<div id="map" style="width: 400px; height: 300px"></div>')
  await page.addScriptTag({ path: LEAFLET_SCRIPT })
  await page.addScriptTag({ content: rendererScript })
  return { page, pageErrors }
}

describe('canvas renderer', () => {
  it('draws its vectors when the map moves while a redraw is queued', async () => {
    const { page, pageErrors } = await openFixture()
    const paintedPixels = await page.evaluate(async () => {
      const { L, FmsCanvas } = window as unknown as TFixtureWindow
      const map = L.map('map', { renderer: FmsCanvas.createCanvasRenderer() })
      map.setView([53.55, 9.99], 12)
      L.polyline(
        [
          [53.55, 9.99],
          [53.56, 10.01],
        ],
        { weight: 4 },
      ).addTo(map)
      map.setView([53.56, 10.01], 13, { animate: false })
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      const canvas = document.querySelector('canvas')!
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
      return data.filter((value, index) => index % 4 === 3 && value > 0).length
    })
    expect(paintedPixels).toBeGreaterThan(0)
    expect(pageErrors).toEqual([])
    await page.close()
  })

  it('draws nothing after its map is removed while a redraw is queued behind a move', async () => {
    const { page, pageErrors } = await openFixture()
    await page.evaluate(async () => {
      const { L, FmsCanvas } = window as unknown as TFixtureWindow
      const map = L.map('map', { renderer: FmsCanvas.createCanvasRenderer() })
      map.setView([53.55, 9.99], 12)
      // Adding a vector queues a redraw; moving the map redraws at once, before that frame.
      L.polyline([
        [53.55, 9.99],
        [53.56, 10.01],
      ]).addTo(map)
      map.setView([53.56, 10.01], 13, { animate: false })
      map.remove()
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
    })
    expect(pageErrors).toEqual([])
    await page.close()
  })
})
