/** What each `sso_error` code of a failed single sign-on means, for the sign-in page. */
const SSO_ERROR_MESSAGES: Record<string, string> = {
  unavailable: 'Single sign-on is not set up for this email address or organization.',
  expired: 'That single sign-on took too long or was already used. Please try again.',
  denied: 'Your identity provider did not sign you in.',
  failed: 'Single sign-on failed: your identity provider could not be reached or answered wrongly.',
  email_unverified: 'Your identity provider did not confirm your email address.',
  domain_not_allowed: 'Your email domain is not allowed to sign in to this organization.',
  account_conflict:
    'This email address belongs to another account (maybe of another organization). Ask your administrator.',
  link_required:
    'Your account is an administrator or uses two-factor sign-in: sign in with your password. Ask your administrator to switch it to single sign-on.',
  invalid_request: 'That single sign-on link is incomplete. Start again from the sign-in page.',
}

/** The message for an `sso_error` code; unknown codes get a general one (nothing is reflected). */
export function describeSsoError(code: string | null): string | null {
  if (code === null) return null
  return SSO_ERROR_MESSAGES[code] ?? 'Single sign-on failed. Please try again.'
}
