/**
 * Every page of the app in one table: its `#/path`, its document title, its label in the main
 * navigation (in this order), and who may open it. The hash router, the navigation and every
 * link are derived from it; the page components are joined on by name in `route-pages.tsx`
 * (kept apart so this table loads without React, Leaflet or the pages).
 */

/**
 * Who a page is for: signed out (sign-in, sign-up), any signed-in user, admins only, or anyone
 * (a page an emailed link opens, shown without the app's navigation whether signed in or not).
 */
export type TRouteAccess = 'signed-out' | 'signed-in' | 'admin' | 'anyone'

export interface TRouteDefinition {
  /** The hash path; `:id` stands for a UUID. */
  path: string
  /** The document title, or null when the page names itself (after what it shows). */
  title: string | null
  /** The label in the main navigation, or null when the page is not listed there. */
  navLabel: string | null
  /** The navigation entry marked current while this page is open, when not its own. */
  navParent?: string
  access: TRouteAccess
}

export const ROUTES = {
  map: { path: '/', title: 'Live map', navLabel: 'Live map', access: 'signed-in' },
  overview: { path: '/overview', title: 'Overview', navLabel: 'Overview', access: 'signed-in' },
  vehicles: { path: '/vehicles', title: 'Vehicles', navLabel: 'Vehicles', access: 'signed-in' },
  vehicle: {
    path: '/vehicles/:id',
    title: null,
    navLabel: null,
    navParent: 'vehicles',
    access: 'signed-in',
  },
  groups: { path: '/groups', title: 'Groups', navLabel: 'Groups', access: 'admin' },
  devices: { path: '/devices', title: 'Devices', navLabel: 'Devices', access: 'signed-in' },
  drivers: { path: '/drivers', title: 'Drivers', navLabel: 'Drivers', access: 'signed-in' },
  driverReport: {
    path: '/drivers/report',
    title: 'Driver report',
    navLabel: null,
    navParent: 'drivers',
    access: 'signed-in',
  },
  maintenance: {
    path: '/maintenance',
    title: 'Maintenance',
    navLabel: 'Maintenance',
    access: 'signed-in',
  },
  fuel: { path: '/fuel', title: 'Fuel', navLabel: 'Fuel', access: 'signed-in' },
  alerts: { path: '/alerts', title: 'Alerts', navLabel: 'Alerts', access: 'signed-in' },
  reports: { path: '/reports', title: 'Reports', navLabel: 'Reports', access: 'signed-in' },
  reportSchedules: {
    path: '/reports/schedules',
    title: 'Scheduled reports',
    navLabel: null,
    navParent: 'reports',
    access: 'admin',
  },
  rules: { path: '/rules', title: 'Rules', navLabel: 'Rules', access: 'admin' },
  geofences: { path: '/geofences', title: 'Geofences', navLabel: 'Geofences', access: 'admin' },
  tokens: { path: '/tokens', title: 'API tokens', navLabel: 'API tokens', access: 'admin' },
  apiKeys: { path: '/api-keys', title: 'API keys', navLabel: 'API keys', access: 'admin' },
  webhooks: { path: '/webhooks', title: 'Webhooks', navLabel: 'Webhooks', access: 'admin' },
  users: { path: '/users', title: 'Users', navLabel: 'Users', access: 'admin' },
  audit: { path: '/audit', title: 'Audit log', navLabel: 'Audit log', access: 'admin' },
  // Opened from the bell in the top bar, not listed in the navigation.
  notifications: {
    path: '/notifications',
    title: 'Notifications',
    navLabel: null,
    access: 'signed-in',
  },
  account: { path: '/account', title: 'Account', navLabel: null, access: 'signed-in' },
  login: { path: '/login', title: 'Sign in', navLabel: null, access: 'signed-out' },
  register: { path: '/register', title: 'Create account', navLabel: null, access: 'signed-out' },
  forgotPassword: {
    path: '/forgot-password',
    title: 'Forgot password',
    navLabel: null,
    access: 'signed-out',
  },
  resetPassword: {
    path: '/reset-password',
    title: 'Choose a new password',
    navLabel: null,
    access: 'anyone',
  },
  // A share link: the shared vehicles live, without signing in and without the app around them.
  share: { path: '/share/:token', title: 'Shared vehicles', navLabel: null, access: 'anyone' },
  settings: { path: '/settings', title: 'Settings', navLabel: 'Settings', access: 'admin' },
  // Where single sign-on returns with a one-time code for the session.
  sso: { path: '/sso', title: 'Single sign-on', navLabel: null, access: 'anyone' },
  verifyEmail: {
    path: '/verify-email',
    title: 'Confirm your email address',
    navLabel: null,
    access: 'anyone',
  },
} as const satisfies Record<string, TRouteDefinition>

export type TRouteName = keyof typeof ROUTES

/** A route entry with its name, for walking the table. */
export type TRouteEntry = TRouteDefinition & { name: TRouteName }

export const ROUTE_ENTRIES: readonly TRouteEntry[] = Object.entries(ROUTES).map(
  ([name, definition]) => ({ ...definition, name: name as TRouteName }),
)

/** The main navigation, in order. */
export const NAV_ROUTES = ROUTE_ENTRIES.filter(
  (entry): entry is TRouteEntry & { navLabel: string } => entry.navLabel !== null,
)

/** The navigation entry to mark current on a page: its parent's, else its own. */
export function findNavName(name: TRouteName): string {
  const definition: TRouteDefinition = ROUTES[name]
  return definition.navParent ?? name
}
