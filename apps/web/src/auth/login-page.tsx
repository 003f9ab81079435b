import { ZLoginInput, ZSecondFactorInput } from '@fms/api/schemas'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { TextField } from '../components/text-field'
import { hrefTo, navigate } from '../lib/hash-route'
import { useZodForm } from '../lib/use-zod-form'
import { type RouterOutputs, useTRPC } from '../trpc'
import { AuthForm } from './auth-form'
import { useIsEmailEnabled } from './link-token'
import { session } from './session'
import { SsoSignIn } from './sso-sign-in'

type TSignedIn = Extract<RouterOutputs['auth']['login'], { status: 'signed_in' }>

/** Keeps the session; an admin who must set up two-factor sign-in is sent to the account page. */
export function finishSignIn(answer: TSignedIn) {
  session.set(answer)
  navigate({ name: answer.isTwoFactorSetupRequired ? 'account' : 'map' })
}

export function LoginPage() {
  const trpc = useTRPC()
  const login = useMutation(trpc.auth.login.mutationOptions())
  const [challenge, setChallenge] = useState<string | null>(null)
  const form = useZodForm(ZLoginInput, async (input) => {
    const answer = await login.mutateAsync(input)
    if (answer.status === 'second_factor') setChallenge(answer.challenge)
    else finishSignIn(answer)
  })
  // Only a server that sends email can reset a password by link.
  const isEmailEnabled = useIsEmailEnabled()

  if (challenge !== null) {
    return <SecondFactorForm challenge={challenge} onRestart={() => setChallenge(null)} />
  }
  return (
    <AuthForm
      heading="Sign in to FMS"
      form={form}
      submitLabel="Sign in"
      busyLabel="Signing in…"
      alternative={<SsoSignIn />}
      footer={
        <>
          New to FMS? <a href={hrefTo('register')}>Create an account</a>
        </>
      }
    >
      <TextField
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        required
        errors={form.fieldErrors.email}
      />
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        errors={form.fieldErrors.password}
      />
      {isEmailEnabled && (
        <p>
          <a href={hrefTo('forgotPassword')}>Forgot password?</a>
        </p>
      )}
    </AuthForm>
  )
}

/** The second step: a code from the authenticator app, or one of the recovery codes. */
export function SecondFactorForm({
  challenge,
  onRestart,
}: {
  challenge: string
  onRestart: () => void
}) {
  const trpc = useTRPC()
  const verify = useMutation(trpc.auth.verifySecondFactor.mutationOptions())
  const [isRecovery, setIsRecovery] = useState(false)
  const form = useZodForm(ZSecondFactorInput, async (input) => {
    finishSignIn(await verify.mutateAsync(input))
  })
  return (
    <AuthForm
      heading="Two-factor sign-in"
      form={form}
      submitLabel="Verify"
      busyLabel="Verifying…"
      footer={
        <button type="button" className="link-button" onClick={onRestart}>
          Start again
        </button>
      }
    >
      <input type="hidden" name="challenge" value={challenge} />
      {isRecovery ? (
        <TextField
          key="recoveryCode"
          name="recoveryCode"
          label="Recovery code"
          autoComplete="off"
          required
          errors={form.fieldErrors.recoveryCode}
        />
      ) : (
        <TextField
          key="otp"
          name="otp"
          label="Code from your authenticator app"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          required
          errors={form.fieldErrors.otp}
        />
      )}
      <p>
        <button type="button" className="link-button" onClick={() => setIsRecovery(!isRecovery)}>
          {isRecovery ? 'Use a code from the app' : 'Use a recovery code'}
        </button>
      </p>
    </AuthForm>
  )
}
