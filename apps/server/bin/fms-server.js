#!/usr/bin/env node
// `fms-server`: the server as a command, for whatever runs it as a process (another app's tests,
// a process manager). It loads the TypeScript sources through tsx, in this one process.
import { register } from 'tsx/esm/api'

register()
await import('../src/main.ts')
