import { useQuery } from '@tanstack/react-query'
import { describeDevice } from '../admin/device-form'
import { useIsAdmin } from '../shell/use-me'
import { useTRPC } from '../trpc'
import { DeviceCommands } from './device-commands'
import { HistoryImport } from './history-import'

/** The vehicle's devices, each with its commands and (admins) a history import. */
export function VehicleDevices({ vehicleId }: { vehicleId: string }) {
  const trpc = useTRPC()
  const isAdmin = useIsAdmin()
  const devices = useQuery(trpc.devices.list.queryOptions({ vehicleId, limit: 20 }))
  const items = devices.data?.items ?? []
  return (
    <section aria-labelledby="devices-heading" className="vehicle-devices">
      <h2 id="devices-heading">Devices</h2>
      {devices.data && items.length === 0 && <p className="muted">No device is fitted.</p>}
      {items.map((device) => (
        <article key={device.id} className="card">
          <h3 className="mono">{describeDevice(device)}</h3>
          <DeviceCommands deviceId={device.id} isAdmin={isAdmin} />
          {isAdmin && <HistoryImport deviceId={device.id} />}
        </article>
      ))}
    </section>
  )
}
