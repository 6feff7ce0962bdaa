import { hasRole, isPlatformAdmin, type CurrentUser } from '../core/identity.js'

/** What a resource is: a guide in our own words, or a curated link to another publisher. */
export const RESOURCE_KINDS = { guide: 'Guide', link: 'Link to another website' } as const
export type ResourceKind = keyof typeof RESOURCE_KINDS

/** Who a resource is written for (DOMAIN.md: Resource audience). */
export const AUDIENCES = {
  everyone: 'Everyone',
  staff: 'Staff',
  partners: 'Improvement partners',
  leaders: 'Leaders',
} as const
export type Audience = keyof typeof AUDIENCES

/** The Steering Group writes and edits the library (platform admins too). Everyone may read it. */
export function canEditResources(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'steering_group') || isPlatformAdmin(user)
}
