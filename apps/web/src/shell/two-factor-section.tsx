import { ZTwoFactorCodeInput } from '@fms/api/schemas'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { FormAlert } from '../components/form-alert'
import { StatusNotice } from '../components/status-notice'
import { TextField } from '../components/text-field'
import { useZodForm } from '../lib/use-zod-form'
import { type RouterOutputs, useTRPC } from '../trpc'

type TEnrolment = RouterOutputs['auth']['twoFactor']['enrol']

/** Two-factor sign-in on the account page: set up (QR, confirm, recovery codes), or turn off. */
export function TwoFactorSection() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const status = useQuery(trpc.auth.twoFactor.status.queryOptions())
  const [enrolment, setEnrolment] = useState<TEnrolment | null>(null)
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.auth.twoFactor.pathKey() })
  const enrol = useMutation(trpc.auth.twoFactor.enrol.mutationOptions())
  const confirm = useMutation(trpc.auth.twoFactor.confirm.mutationOptions())
  const disable = useMutation(trpc.auth.twoFactor.disable.mutationOptions())
  const confirmForm = useZodForm(ZTwoFactorCodeInput, async (input) => {
    const answer = await confirm.mutateAsync(input)
    setEnrolment(null)
    setRecoveryCodes(answer.recoveryCodes)
    await refresh()
  })
  const disableForm = useZodForm(ZTwoFactorCodeInput, async (input, form) => {
    await disable.mutateAsync(input)
    form.reset()
    setNotice('Two-factor sign-in is off.')
    await refresh()
  })

  return (
    <section aria-labelledby="two-factor-heading" className="card">
      <h2 id="two-factor-heading">Two-factor sign-in</h2>
      <StatusNotice message={notice} />
      {status.data?.isRequiredForAdmins && !status.data.isEnabled && (
        <p className="form-notice">Your organization requires two-factor sign-in for admins.</p>
      )}
      {recoveryCodes && (
        <div data-testid="recovery-codes">
          <p>
            Two-factor sign-in is on. Keep these recovery codes somewhere safe: each signs you in
            once if you lose your phone. They are shown only this once.
          </p>
          <ul className="recovery-codes">
            {recoveryCodes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ul>
          <button type="button" className="secondary" onClick={() => setRecoveryCodes(null)}>
            I have saved them
          </button>
        </div>
      )}
      {!status.data ? (
        <p aria-busy="true">Loading…</p>
      ) : status.data.isEnabled ? (
        !recoveryCodes && (
          <form onSubmit={disableForm.onSubmit} noValidate>
            <p>
              On. {status.data.recoveryCodesLeft} recovery codes left. To turn it off, enter a code
              from your app.
            </p>
            <FormAlert message={disableForm.formError} />
            <TextField
              name="otp"
              label="Code"
              inputMode="numeric"
              autoComplete="one-time-code"
              errors={disableForm.fieldErrors.otp}
            />
            <button type="submit" className="secondary" disabled={disableForm.isSubmitting}>
              Turn off two-factor sign-in
            </button>
          </form>
        )
      ) : enrolment ? (
        <form onSubmit={confirmForm.onSubmit} noValidate>
          <p>Scan this code with an authenticator app, then enter the six-digit code it shows.</p>
          <img src={enrolment.qrCodeDataUrl} alt="QR code for your authenticator app" width={200} />
          <p>
            Or type this key: <code data-testid="totp-secret">{enrolment.secret}</code>
          </p>
          <FormAlert message={confirmForm.formError} />
          <TextField
            name="otp"
            label="Code"
            inputMode="numeric"
            autoComplete="one-time-code"
            errors={confirmForm.fieldErrors.otp}
          />
          <button type="submit" disabled={confirmForm.isSubmitting}>
            Turn on
          </button>
        </form>
      ) : (
        <>
          <p>Off. With it on, signing in takes a code from an app on your phone too.</p>
          <FormAlert message={enrol.isError ? enrol.error.message : null} />
          <button
            type="button"
            disabled={enrol.isPending}
            onClick={() => {
              setNotice(null)
              enrol.mutate(undefined, { onSuccess: setEnrolment })
            }}
          >
            Set up two-factor sign-in
          </button>
        </>
      )}
    </section>
  )
}
