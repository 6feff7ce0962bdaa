import { ROLES, type Role } from '../core/identity.js'

export type Eligibility = { eligible: true } | { eligible: false; reason: string }

export interface EligibilityPerson {
  organisationId: string | null
  orgVerified: boolean
  roles: { role: string }[]
}

export interface EligibilityCourse {
  published: boolean
  openToAll: boolean
  eligibleOrgIds: string[]
  eligibleRoles: string[]
  prerequisites: { id: string; title: string }[]
}

const roleLabel = (r: string) => (Object.hasOwn(ROLES, r) ? ROLES[r as Role].label : r)

function listOf(items: string[], joiner = 'or'): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} ${joiner} ${items.at(-1)}`
}

/**
 * Whether a person may ask for a place on a course, and why not. Organisations and
 * roles are alternatives (either admits); every prerequisite must be completed.
 * @example courseEligibility(null, course, new Set(), names) // { eligible: false, reason: 'Sign in …' }
 */
export function courseEligibility(
  person: EligibilityPerson | null,
  course: EligibilityCourse,
  completedCourseIds: ReadonlySet<string>,
  organisationNames: ReadonlyMap<string, string>,
): Eligibility {
  if (!course.published) return { eligible: false, reason: 'This course is not open for enrolment.' }
  if (!person) return { eligible: false, reason: 'Sign in to check whether you can join this course.' }
  if (!course.openToAll && (course.eligibleOrgIds.length > 0 || course.eligibleRoles.length > 0)) {
    const orgMatch = person.organisationId !== null && course.eligibleOrgIds.includes(person.organisationId)
    const roleMatch = person.roles.some((g) => course.eligibleRoles.includes(g.role))
    if (!roleMatch && (!orgMatch || !person.orgVerified)) {
      if (orgMatch) {
        return {
          eligible: false,
          reason: `Your organisation has not yet confirmed that you work there. Ask an admin of ${organisationNames.get(person.organisationId!) ?? 'your organisation'} to confirm your membership.`,
        }
      }
      const who: string[] = []
      if (course.eligibleOrgIds.length)
        who.push(
          `people who work for ${listOf(course.eligibleOrgIds.map((id) => organisationNames.get(id) ?? id))}`,
        )
      if (course.eligibleRoles.length) who.push(`${listOf(course.eligibleRoles.map(roleLabel))}s`)
      return {
        eligible: false,
        reason: `This course is only for ${who.join(', and for ')}. Your profile does not show that you are one of them.`,
      }
    }
  }
  const missing = course.prerequisites.filter((p) => !completedCourseIds.has(p.id))
  if (missing.length) {
    return {
      eligible: false,
      reason: `You need to complete ${listOf(
        missing.map((p) => p.title),
        'and',
      )} before you can join this course.`,
    }
  }
  return { eligible: true }
}

const closeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
})

/** Enrolment is open until the cohort's closing time. */
export function cohortOpen(cohort: { enrolmentClosesAt: string }, now: Date): Eligibility {
  if (now.getTime() > new Date(cohort.enrolmentClosesAt).getTime()) {
    return {
      eligible: false,
      reason: `Enrolment for this cohort closed on ${closeFormat.format(new Date(cohort.enrolmentClosesAt))}.`,
    }
  }
  return { eligible: true }
}
