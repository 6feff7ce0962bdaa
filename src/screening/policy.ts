import { hasRole, isPlatformAdmin, type CurrentUser } from '../core/identity.js'

/** Information governance leads and platform admins manage screening and redact records. */
export function canGovernInformation(user: CurrentUser | null | undefined): boolean {
  return isPlatformAdmin(user) || hasRole(user, 'ig_lead')
}
