import { alertsRouter } from './routers/alerts.ts'
import { apiKeysRouter } from './routers/api-keys.ts'
import { auditRouter } from './routers/audit.ts'
import { authRouter } from './routers/auth.ts'
import { commandsRouter } from './routers/commands.ts'
import { devicesRouter } from './routers/devices.ts'
import { driversRouter } from './routers/drivers.ts'
import { fleetRouter } from './routers/fleet.ts'
import { geofencesRouter } from './routers/geofences.ts'
import { groupsRouter } from './routers/groups.ts'
import { fuelRouter, maintenanceRouter } from './routers/maintenance.ts'
import { notificationsRouter } from './routers/notifications.ts'
import { reportsRouter } from './routers/reports.ts'
import { rulesRouter } from './routers/rules.ts'
import { settingsRouter } from './routers/settings.ts'
import { sharedRouter, sharesRouter } from './routers/shares.ts'
import { ssoRouter } from './routers/sso.ts'
import { telemetryRouter } from './routers/telemetry.ts'
import { tokensRouter } from './routers/tokens.ts'
import { usersRouter } from './routers/users.ts'
import { vehiclesRouter } from './routers/vehicles.ts'
import { webhooksRouter } from './routers/webhooks.ts'
import { createCallerFactory, router } from './trpc.ts'

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  vehicles: vehiclesRouter,
  groups: groupsRouter,
  devices: devicesRouter,
  drivers: driversRouter,
  tokens: tokensRouter,
  telemetry: telemetryRouter,
  fleet: fleetRouter,
  geofences: geofencesRouter,
  rules: rulesRouter,
  alerts: alertsRouter,
  reports: reportsRouter,
  webhooks: webhooksRouter,
  maintenance: maintenanceRouter,
  fuel: fuelRouter,
  notifications: notificationsRouter,
  apiKeys: apiKeysRouter,
  commands: commandsRouter,
  shares: sharesRouter,
  shared: sharedRouter,
  settings: settingsRouter,
  audit: auditRouter,
  sso: ssoRouter,
})

export type AppRouter = typeof appRouter

export const createCaller = createCallerFactory(appRouter)
