import { createApiClient, PASSWORD, uniqueEmail } from './harness'

const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'

export function randomVin(): string {
  let vin = ''
  for (let i = 0; i < 17; i++) vin += VIN_ALPHABET[Math.floor(Math.random() * VIN_ALPHABET.length)]
  return vin
}

/**
 * An organization set up over the API: its admin, one token, and a vehicle per code, each with
 * its own device linked to the token.
 */
export async function provisionOrg(serverUrl: string, orgName: string, codes = ['VAN-1']) {
  const email = uniqueEmail('owner')
  const session = await createApiClient(serverUrl).auth.register.mutate({
    email,
    password: PASSWORD,
    orgName,
  })
  const api = createApiClient(serverUrl, session.accessToken)
  const token = await api.tokens.create.mutate({ title: `${orgName} trackers` })
  const vehicles = []
  for (const code of codes) {
    const vehicle = await api.vehicles.create.mutate({ code, vin: randomVin() })
    const device = await api.devices.create.mutate({ vehicleId: vehicle.id, tokenId: token.id })
    vehicles.push({ ...vehicle, deviceId: device.id })
  }
  const [vehicle] = vehicles
  if (!vehicle) throw new Error('provisionOrg needs at least one vehicle code')
  return { email, session, api, vehicle, vehicles, secret: token.secret }
}
