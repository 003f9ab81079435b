import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useId, useState } from 'react'
import { FormAlert } from '../components/form-alert'
import { StatusNotice } from '../components/status-notice'
import { readFormError } from '../lib/form-errors'
import { formatDateTime } from '../lib/format'
import { type RouterOutputs, useTRPC } from '../trpc'

type ShareLink = RouterOutputs['shares']['list']['items'][number]

const EXPIRIES = [
  { label: '1 hour', ms: 3_600_000 },
  { label: '4 hours', ms: 4 * 3_600_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '7 days', ms: 7 * 86_400_000 },
] as const

/** The address a link opens: the server's public one, else this app's. */
export function shareUrl(link: Pick<ShareLink, 'url' | 'path'>): string {
  return link.url ?? `${window.location.origin}${window.location.pathname}${link.path.slice(1)}`
}

/**
 * Share links: choose vehicles and an expiry, get a link anyone can open without signing in;
 * the working links are listed to copy again or revoke.
 */
export function ShareLinks({ vehicles }: { vehicles: { id: string; code: string }[] }) {
  const id = useId()
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const [notice, setNotice] = useState<string | null>(null)
  const links = useQuery(trpc.shares.list.queryOptions({ limit: 100 }))
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.shares.pathKey() })
  const create = useMutation(
    trpc.shares.create.mutationOptions({
      onSuccess: (link) =>
        setNotice(`Link created: it works until ${formatDateTime(link.expiresAt)}.`),
      onSettled: invalidate,
    }),
  )
  const revoke = useMutation(
    trpc.shares.revoke.mutationOptions({
      onSuccess: () => setNotice('Link revoked: it stops working within seconds.'),
      onSettled: invalidate,
    }),
  )

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    const expiry = EXPIRIES[Number(data.get('expiry'))] ?? EXPIRIES[0]
    setNotice(null)
    create.mutate({
      vehicleIds: data.getAll('vehicleId').map(String),
      expiresAt: new Date(Date.now() + expiry.ms),
      name: String(data.get('name') ?? ''),
    })
  }

  return (
    <details className="card">
      <summary>Share vehicles with a link</summary>
      <form onSubmit={submit} aria-label="New share link">
        <fieldset>
          <legend>Vehicles</legend>
          {vehicles.map((vehicle) => (
            <label key={vehicle.id}>
              <input type="checkbox" name="vehicleId" value={vehicle.id} /> {vehicle.code}
            </label>
          ))}
        </fieldset>
        <p>
          <label htmlFor={`${id}-expiry`}>Expires after</label>
          <select id={`${id}-expiry`} name="expiry" defaultValue="0">
            {EXPIRIES.map((expiry, index) => (
              <option key={expiry.label} value={index}>
                {expiry.label}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label htmlFor={`${id}-name`}>Name (shown on the page)</label>
          <input id={`${id}-name`} name="name" maxLength={100} />
        </p>
        <FormAlert message={create.isError ? readFormError(create.error) : null} />
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create link'}
        </button>
      </form>
      <StatusNotice message={notice} />
      <FormAlert message={revoke.isError ? readFormError(revoke.error) : null} />
      <ul aria-label="Share links" className="share-links">
        {(links.data?.items ?? []).map((link) => (
          <ShareLinkItem
            key={link.id}
            link={link}
            vehicles={vehicles}
            onRevoke={() => revoke.mutate({ id: link.id })}
          />
        ))}
      </ul>
    </details>
  )
}

function ShareLinkItem(props: {
  link: ShareLink
  vehicles: { id: string; code: string }[]
  onRevoke: () => void
}) {
  const { link } = props
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle')
  const url = shareUrl(link)
  const codes = link.vehicleIds.map(
    (vehicleId) => props.vehicles.find((v) => v.id === vehicleId)?.code ?? 'a vehicle',
  )
  async function copy() {
    try {
      await navigator.clipboard.writeText(url)
      setCopied('copied')
    } catch {
      setCopied('failed')
    }
  }
  return (
    <li>
      <p>
        {link.name ?? codes.join(', ')} — until {formatDateTime(link.expiresAt)}
      </p>
      <input readOnly value={url} aria-label={`Link to ${link.name ?? codes.join(', ')}`} />
      <button type="button" onClick={copy}>
        Copy link
      </button>
      <button type="button" onClick={props.onRevoke}>
        Revoke
      </button>
      <StatusNotice
        message={
          copied === 'copied'
            ? 'Copied.'
            : copied === 'failed'
              ? 'Select the link and copy it.'
              : null
        }
      />
    </li>
  )
}
