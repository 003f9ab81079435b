import { z } from 'zod'
import {
  ZDisplaySettings,
  ZUpdateMySettingsInput,
  ZUpdateSettingsInput,
  ZUserDisplaySettings,
} from '../schemas/index.ts'
import { findSettings, updateMySettings, updateSettings } from '../services/settings.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

const ZSettings = z.object({
  /** The organization's defaults. */
  organization: ZDisplaySettings,
  /** The caller's own choices; null where the organization's apply. */
  mine: ZUserDisplaySettings,
  /** What applies to the caller. */
  effective: ZDisplaySettings,
})

/**
 * Display settings: units (distance km/mi, speed following it, volume L/gal, temperature °C/°F),
 * time zone and week start. They change what the web app, CSV exports and emails show; the API's
 * data stays metric with ISO times.
 */
export const settingsRouter = router({
  get: protectedProcedure.output(ZSettings).query(({ ctx }) => findSettings(ctx, ctx.user)),
  update: adminProcedure
    .input(ZUpdateSettingsInput)
    .output(ZSettings)
    .mutation(({ ctx, input }) => updateSettings(ctx, ctx.user, input)),
  updateMine: protectedProcedure
    .input(ZUpdateMySettingsInput)
    .output(ZSettings)
    .mutation(({ ctx, input }) => updateMySettings(ctx, ctx.user, input)),
})
