import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const API_ORIGIN = 'http://localhost:4000'

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/trpc': { target: API_ORIGIN, ws: true },
      '/api': { target: API_ORIGIN },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true },
})
