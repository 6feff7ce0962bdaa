import type { Role, RoleGrant } from '../people/roles.js'

/** The signed-in person, as every route and service sees them. */
export interface CurrentUser {
  id: string
  name: string
  email: string
  organisationId: string | null
  isPartner: boolean
  emailVerified: boolean
  orgVerified: boolean
  roles: RoleGrant[]
  sessionId: string
}

/** True when the user holds the role, platform-wide or (when scopeId is given) for that scope. */
export function hasRole(user: CurrentUser | null | undefined, role: Role, scopeId?: string): boolean {
  if (!user) return false
  return user.roles.some(
    (g) => g.role === role && (scopeId === undefined || g.scopeId === '' || g.scopeId === scopeId),
  )
}

export function isPlatformAdmin(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'platform_admin')
}

/** Organisation admins of this organisation, or platform admins. */
export function canAdministerOrganisation(
  user: CurrentUser | null | undefined,
  organisationId: string | null,
): boolean {
  if (!user) return false
  if (isPlatformAdmin(user)) return true
  return (
    organisationId !== null && user.roles.some((g) => g.role === 'org_admin' && g.scopeId === organisationId)
  )
}

/** Coaches and admins may see improvement partners' contact details (DOMAIN.md §5.4). */
export function canSeePartnerContacts(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'coach') || hasRole(user, 'platform_admin') || hasRole(user, 'org_admin')
}

export function actorLabel(user: CurrentUser | null | undefined): string {
  return user ? `${user.name} <${user.email}>` : 'anonymous'
}
