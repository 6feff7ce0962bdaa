import { hasRole, isPlatformAdmin, type CurrentUser } from '../core/identity.js'
import { ForbiddenError, UnauthenticatedError } from '../core/errors.js'

/** Faculty admins manage their own faculty; platform admins manage every faculty. */
export function canManageFaculty(user: CurrentUser | null | undefined, facultyId: string): boolean {
  if (!user) return false
  if (isPlatformAdmin(user)) return true
  return user.roles.some((g) => g.role === 'faculty_admin' && g.scopeId === facultyId)
}

export function requireFacultyManager(user: CurrentUser | null | undefined, facultyId: string): CurrentUser {
  if (!user) throw new UnauthenticatedError()
  if (!canManageFaculty(user, facultyId)) throw new ForbiddenError('Only this faculty’s admins can do that')
  return user
}

/**
 * A faculty's figures (fill rates, waiting lists, completion): its admins, and the Steering
 * Group, who track capability across the system (DOMAIN.md §2 S3, §4). Read only: the Steering
 * Group changes nothing in the faculty.
 */
export function canSeeFacultyFigures(user: CurrentUser | null | undefined, facultyId: string): boolean {
  return canManageFaculty(user, facultyId) || hasRole(user, 'steering_group')
}

export function requireFacultyFigures(user: CurrentUser | null | undefined, facultyId: string): CurrentUser {
  if (!user) throw new UnauthenticatedError()
  if (!canSeeFacultyFigures(user, facultyId))
    throw new ForbiddenError('Only this faculty’s admins and the Steering Group can see its figures')
  return user
}

/** The faculties a person manages: 'all' for platform admins. */
export function managedFaculties(user: CurrentUser | null | undefined): string[] | 'all' {
  if (!user) return []
  if (isPlatformAdmin(user)) return 'all'
  return user.roles.filter((g) => g.role === 'faculty_admin').map((g) => g.scopeId)
}

/** A training record is its owner's; platform admins may read any. */
export function canSeeRecord(user: CurrentUser | null | undefined, ownerId: string): boolean {
  return !!user && (user.id === ownerId || isPlatformAdmin(user))
}
