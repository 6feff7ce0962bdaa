/**
 * Who is acting: the roles of DOMAIN.md §2 (pure data) and the signed-in person every route
 * and service sees, with the role checks shared by every feature.
 */

/** The actors of DOMAIN.md §2 that are granted, each with the scope its grant takes. */
export const ROLES = {
  platform_admin: { label: 'Platform admin', scope: 'platform' },
  org_admin: { label: 'Organisation admin', scope: 'organisation' },
  ig_lead: { label: 'Information governance lead', scope: 'platform' },
  steering_group: { label: 'Steering Group member', scope: 'platform' },
  board: { label: 'Board member', scope: 'platform' },
  coach: { label: 'QI specialist / coach', scope: 'platform' },
  faculty_admin: { label: 'Faculty admin', scope: 'faculty' },
  programme_lead: { label: 'Programme lead', scope: 'programme' },
  member: { label: 'Member', scope: 'platform' },
  improvement_partner: { label: 'Improvement partner', scope: 'platform' },
} as const

export type Role = keyof typeof ROLES
export type ScopeType = 'platform' | 'organisation' | 'faculty' | 'programme' | 'project'

export const ROLE_NAMES = Object.keys(ROLES) as Role[]

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value)
}

export interface RoleGrant {
  id: string
  role: Role
  scopeType: ScopeType
  /** '' for platform-wide grants. */
  scopeId: string
}

/** A role_grants row as the app uses it; null for a role this version does not know. */
export function toRoleGrant(r: {
  id: string
  role: string
  scope_type: string
  scope_id: string
}): RoleGrant | null {
  return isRole(r.role)
    ? { id: r.id, role: r.role, scopeType: r.scope_type as ScopeType, scopeId: r.scope_id }
    : null
}

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
