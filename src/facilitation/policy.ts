import { hasRole, isPlatformAdmin, type CurrentUser } from '../core/identity.js'

/** Steering Group members, QI specialists (coaches) and platform admins triage support requests. */
export function canTriage(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'steering_group') || hasRole(user, 'coach') || isPlatformAdmin(user)
}

/** The Steering Group keeps the system priorities and overrides suggested priorities. */
export function canManagePriorities(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'steering_group') || isPlatformAdmin(user)
}

export function canOverridePriority(user: CurrentUser | null | undefined): boolean {
  return canManagePriorities(user)
}

/** The programmes this person leads (programme_lead grants scoped to a programme id). */
export function ledProgrammes(user: CurrentUser | null | undefined): string[] {
  return (user?.roles ?? []).filter((g) => g.role === 'programme_lead' && g.scopeId).map((g) => g.scopeId)
}

export function leadsProgramme(user: CurrentUser | null | undefined, programmeId: string | null): boolean {
  return programmeId !== null && ledProgrammes(user).includes(programmeId)
}

/** Requesters see their own requests; the triage team sees all; programme leads see their programme's. */
export function canSeeRequest(
  user: CurrentUser | null | undefined,
  request: { requesterId: string | null; programmeId: string | null },
): boolean {
  if (!user) return false
  return request.requesterId === user.id || canTriage(user) || leadsProgramme(user, request.programmeId)
}

/** Only the requester withdraws a request. */
export function canWithdraw(
  user: CurrentUser | null | undefined,
  request: { requesterId: string | null },
): boolean {
  return !!user && request.requesterId === user.id
}

/** Available hours: QI specialists set their own; the Steering Group and admins set anyone's. */
export function canSetCapacity(user: CurrentUser | null | undefined, coachId: string): boolean {
  if (!user) return false
  return canManagePriorities(user) || (hasRole(user, 'coach') && user.id === coachId)
}

/** Programme pages: leads, the Steering Group and admins edit the description. */
export function canEditProgramme(user: CurrentUser | null | undefined, programmeId: string): boolean {
  return canManagePriorities(user) || leadsProgramme(user, programmeId)
}
