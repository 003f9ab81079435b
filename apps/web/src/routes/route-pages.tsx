import { type JSX, lazy } from 'react'
import { ForgotPasswordPage } from '../auth/forgot-password-page'
import { LoginPage } from '../auth/login-page'
import { RegisterPage } from '../auth/register-page'
import { ResetPasswordPage } from '../auth/reset-password-page'
import { SsoPage } from '../auth/sso-page'
import { VerifyEmailPage } from '../auth/verify-email-page'
import { formatRoute, type TRoute, type TRouteName } from '../lib/hash-route'
import { LiveMapPage } from '../map/live-map-page'
import { SettingsPage } from '../settings/settings-page'
import { SharePage } from '../share/share-page'
import { AccountPage } from '../shell/account-page'

// Loaded on first visit: the map is the page people open; charts and admin forms can wait.
const VehiclePage = lazy(() =>
  import('../vehicle/vehicle-page').then((m) => ({ default: m.VehiclePage })),
)
const VehiclesPage = lazy(() =>
  import('../admin/vehicles-page').then((m) => ({ default: m.VehiclesPage })),
)
const GroupsPage = lazy(() =>
  import('../groups/groups-page').then((m) => ({ default: m.GroupsPage })),
)
const DevicesPage = lazy(() =>
  import('../admin/devices-page').then((m) => ({ default: m.DevicesPage })),
)
const DriversPage = lazy(() =>
  import('../drivers/drivers-page').then((m) => ({ default: m.DriversPage })),
)
const DriverReportPage = lazy(() =>
  import('../drivers/driver-report-page').then((m) => ({ default: m.DriverReportPage })),
)
const MaintenancePage = lazy(() =>
  import('../maintenance/maintenance-page').then((m) => ({ default: m.MaintenancePage })),
)
const FuelPage = lazy(() => import('../fuel/fuel-page').then((m) => ({ default: m.FuelPage })))
const TokensPage = lazy(() =>
  import('../admin/tokens-page').then((m) => ({ default: m.TokensPage })),
)
const ApiKeysPage = lazy(() =>
  import('../admin/api-keys-page').then((m) => ({ default: m.ApiKeysPage })),
)
const AuditPage = lazy(() => import('../audit/audit-page').then((m) => ({ default: m.AuditPage })))
const AlertsPage = lazy(() =>
  import('../alerts/alerts-page').then((m) => ({ default: m.AlertsPage })),
)
const RulesPage = lazy(() => import('../rules/rules-page').then((m) => ({ default: m.RulesPage })))
const GeofencesPage = lazy(() =>
  import('../geofences/geofences-page').then((m) => ({ default: m.GeofencesPage })),
)
const OverviewPage = lazy(() =>
  import('../overview/overview-page').then((m) => ({ default: m.OverviewPage })),
)
const ReportsPage = lazy(() =>
  import('../reports/reports-page').then((m) => ({ default: m.ReportsPage })),
)
const ReportSchedulesPage = lazy(() =>
  import('../reports/report-schedules-page').then((m) => ({ default: m.ReportSchedulesPage })),
)
const UsersPage = lazy(() => import('../admin/users-page').then((m) => ({ default: m.UsersPage })))
const WebhooksPage = lazy(() =>
  import('../webhooks/webhooks-page').then((m) => ({ default: m.WebhooksPage })),
)
const NotificationsPage = lazy(() =>
  import('../notifications/notifications-page').then((m) => ({ default: m.NotificationsPage })),
)

type TRouteOf<K extends TRouteName> = Extract<TRoute, { name: K }>

/** The page each route of the route table shows; a route without a page does not compile. */
const PAGES: { [K in TRouteName]: (route: TRouteOf<K>) => JSX.Element } = {
  map: () => <LiveMapPage />,
  overview: () => <OverviewPage />,
  vehicles: () => <VehiclesPage />,
  // Keyed by the whole link: another vehicle or range starts the page afresh.
  vehicle: (route) => (
    <VehiclePage key={formatRoute(route)} vehicleId={route.id} range={route.range} />
  ),
  groups: () => <GroupsPage />,
  devices: () => <DevicesPage />,
  drivers: () => <DriversPage />,
  driverReport: () => <DriverReportPage />,
  maintenance: () => <MaintenancePage />,
  fuel: () => <FuelPage />,
  alerts: () => <AlertsPage />,
  reports: () => <ReportsPage />,
  reportSchedules: () => <ReportSchedulesPage />,
  rules: () => <RulesPage />,
  geofences: () => <GeofencesPage />,
  tokens: () => <TokensPage />,
  apiKeys: () => <ApiKeysPage />,
  webhooks: () => <WebhooksPage />,
  users: () => <UsersPage />,
  audit: () => <AuditPage />,
  notifications: () => <NotificationsPage />,
  account: () => <AccountPage />,
  login: () => <LoginPage />,
  register: () => <RegisterPage />,
  forgotPassword: () => <ForgotPasswordPage />,
  resetPassword: () => <ResetPasswordPage />,
  sso: () => <SsoPage />,
  verifyEmail: () => <VerifyEmailPage />,
  share: (route) => <SharePage key={route.token} token={route.token} />,
  settings: () => <SettingsPage />,
}

export function renderRoutePage(route: TRoute): JSX.Element {
  // PAGES[route.name] takes exactly this route; TypeScript can't correlate the two lookups.
  const render = PAGES[route.name] as (route: TRoute) => JSX.Element
  return render(route)
}
