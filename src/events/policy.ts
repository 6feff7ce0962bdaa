import { hasRole, isPlatformAdmin, type CurrentUser } from '../core/identity.js'

function isFacilitationTeam(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'steering_group') || hasRole(user, 'coach') || isPlatformAdmin(user)
}

function ledProgrammes(user: CurrentUser | null | undefined): string[] {
  return (user?.roles ?? []).filter((g) => g.role === 'programme_lead' && g.scopeId).map((g) => g.scopeId)
}

/** QI specialists, the Steering Group, admins and programme leads run events. */
export function canCreateEvents(user: CurrentUser | null | undefined): boolean {
  return isFacilitationTeam(user) || ledProgrammes(user).length > 0
}

/** Programme leads may link events to their own programmes only; the facilitation team to any. */
export function canLinkProgramme(user: CurrentUser | null | undefined, programmeId: string): boolean {
  return isFacilitationTeam(user) || ledProgrammes(user).includes(programmeId)
}

/** The organiser, leads of the event's programme, and the facilitation team manage an event and see its attendees. */
export function canManageEvent(
  user: CurrentUser | null | undefined,
  event: { organiserId: string | null; programmeId: string | null },
): boolean {
  if (!user) return false
  if (isFacilitationTeam(user) || event.organiserId === user.id) return true
  return event.programmeId !== null && ledProgrammes(user).includes(event.programmeId)
}
