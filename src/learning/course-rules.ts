import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { ValidationError } from '../core/errors.js'
import type { CourseInput } from './forms.js'
import { ELIGIBLE_ROLES, isLadderLevel, localLevelOptions } from './levels.js'
import { organisationNames, type CourseValues, type Faculty } from './repository.js'

/** The faculty's level choice ("local:Silver") or a ladder level, as stored. */
export function resolveLevel(faculty: Faculty, value: string): { level: string; localLevel: string | null } {
  if (value.startsWith('local:')) {
    const option = localLevelOptions(faculty.levelNames, faculty.levelMap).find(
      (o) => o.name === value.slice(6),
    )
    if (option) return { level: option.level, localLevel: option.name }
  } else if (isLadderLevel(value)) {
    return { level: value, localLevel: null }
  }
  throw new ValidationError({ level: 'Select a level from the list' })
}

/** Course rules the form alone cannot check: known organisations and courses, and no prerequisite loops. */
export async function validateCourse(
  db: Kysely<DB>,
  faculty: Faculty,
  courseId: string,
  input: CourseInput,
): Promise<CourseValues> {
  const { level, localLevel } = resolveLevel(faculty, input.level)
  const restricted = input.eligibility === 'restricted'
  const orgNames = await organisationNames(db)
  if (restricted && input.eligibleOrgIds.some((id) => !orgNames.has(id)))
    throw new ValidationError({ eligibleOrgIds: 'Select organisations from the list' })
  if (restricted && input.eligibleRoles.some((r) => !(ELIGIBLE_ROLES as readonly string[]).includes(r)))
    throw new ValidationError({ eligibleRoles: 'Select roles from the list' })
  if (input.prerequisites.includes(courseId))
    throw new ValidationError({ prerequisites: 'A course cannot be its own prerequisite' })
  if (input.prerequisites.length) {
    const links = await db
      .selectFrom('course_prerequisites')
      .select(['course_id', 'prerequisite_id'])
      .execute()
    const known = new Set(
      (await db.selectFrom('courses').select('id').where('id', 'in', input.prerequisites).execute()).map(
        (r) => r.id,
      ),
    )
    if (input.prerequisites.some((p) => !known.has(p)))
      throw new ValidationError({ prerequisites: 'Select prerequisites from the list' })
    // Would any prerequisite (through its own prerequisites) lead back to this course?
    const next = (id: string) =>
      links.filter((l) => l.course_id === id && l.course_id !== courseId).map((l) => l.prerequisite_id)
    const seen = new Set<string>()
    const stack = [...input.prerequisites]
    while (stack.length) {
      const id = stack.pop()!
      if (id === courseId)
        throw new ValidationError({
          prerequisites:
            'These prerequisites would make the course depend on itself. Remove the course that already needs this one.',
        })
      if (seen.has(id)) continue
      seen.add(id)
      stack.push(...next(id))
    }
  }
  return {
    title: input.title,
    summary: input.summary,
    level,
    localLevel,
    mode: input.mode,
    openToAll: !restricted,
    eligibleOrgIds: restricted ? input.eligibleOrgIds : [],
    eligibleRoles: restricted ? input.eligibleRoles : [],
    minAttendancePct: input.minAttendancePct,
    requiresProject: input.requiresProject,
    requiresAssessment: input.requiresAssessment,
    requiresApproval: input.requiresApproval,
    certificateValidMonths: input.certificateValidMonths,
    published: input.published,
  }
}
