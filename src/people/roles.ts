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

/** Self-declared QI training levels, on the community's capability ladder. */
export const QI_LEVELS = {
  none: 'No QI training yet',
  awareness: 'Awareness',
  foundation: 'Foundation',
  practitioner: 'Practitioner',
  coach: 'Coach',
  expert: 'Expert',
} as const
export type QiLevel = keyof typeof QI_LEVELS

/** How a member relates to the partnership when they join. */
export const AFFILIATIONS = {
  organisation: 'I work for a partner organisation',
  independent: 'Independent (not employed by a partner)',
  service_user: 'Service user or carer (improvement partner)',
  vcse: 'Voluntary, community or social enterprise sector',
  other: 'Other',
} as const
export type Affiliation = keyof typeof AFFILIATIONS
