import { canAdministerOrganisation, hasRole, isPlatformAdmin, type CurrentUser } from '../../core/identity.js'

/**
 * Who sees and fills in NHS IMPACT self-assessments (issue 12 point 6, docs/governance.md):
 * the system's assessment is the Steering Group's and the Board's; an organisation's belongs to
 * it (its org admins, and its own people who sit on the Board or the Steering Group) and is
 * private to it until it is shared at system level, when the Steering Group and Board read it.
 */

export function isBoardOrSteering(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'board') || hasRole(user, 'steering_group')
}

/** May open the IMPACT pages at all: the Board, the Steering Group, organisation admins. */
export function canUseImpact(user: CurrentUser | null | undefined): boolean {
  return isBoardOrSteering(user) || isPlatformAdmin(user) || !!user?.roles.some((g) => g.role === 'org_admin')
}

/** May fill in (and complete, share and add actions to) this scope's assessments; null: the system. */
export function canAssess(user: CurrentUser | null | undefined, organisationId: string | null): boolean {
  if (!user) return false
  if (organisationId === null) return isBoardOrSteering(user)
  return (
    canAdministerOrganisation(user, organisationId) ||
    (user.organisationId === organisationId && isBoardOrSteering(user))
  )
}

/** May read this assessment: whoever may fill it in, and the Board and Steering Group once shared. */
export function canSeeAssessment(
  user: CurrentUser | null | undefined,
  a: { organisationId: string | null; shared: boolean },
): boolean {
  return (
    canAssess(user, a.organisationId) || (a.organisationId !== null && a.shared && isBoardOrSteering(user))
  )
}
