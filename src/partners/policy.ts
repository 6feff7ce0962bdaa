import { hasRole, isPlatformAdmin, type CurrentUser } from '../core/identity.js'

/**
 * Who may do what with partners' records (DOMAIN.md I1, I2, §5.4). The plain-English view and
 * "you said, we did" follow the project's own access (view to read, edit to write). The
 * involvement log is personal: the partner sees their own entries; a project's leads see and
 * approve the entries for their project; platform admins see them too. Nobody else.
 */
export function isImprovementPartner(user: CurrentUser | null | undefined): boolean {
  return Boolean(user && (user.isPartner || hasRole(user, 'improvement_partner')))
}

/** The Steering Group sets the reading age above which text for partners gets a warning. */
export function canSetReadingAge(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'steering_group')
}

/** A project's leads (or a platform admin) approve and pay its partners' entries. */
export function canManageInvolvement(
  user: CurrentUser | null | undefined,
  teamRole: string | null | undefined,
): boolean {
  return teamRole === 'lead' || isPlatformAdmin(user)
}
