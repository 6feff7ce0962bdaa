import { hasRole, isPlatformAdmin, type CurrentUser } from '../auth/current-user.js'

/** Information governance leads and platform admins manage screening and redact records. */
export function canGovernInformation(user: CurrentUser | null | undefined): boolean {
  return isPlatformAdmin(user) || hasRole(user, 'ig_lead')
}
