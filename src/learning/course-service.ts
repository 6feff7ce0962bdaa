import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser, ROLES } from '../core/identity.js'
import { newId } from '../core/ids.js'
import { ConflictError } from '../core/errors.js'
import { courseBySlug, facultyBySlug } from './context.js'
import type { CourseInput } from './forms.js'
import { ELIGIBLE_ROLES, LADDER, LADDER_LEVELS, localLevelOptions } from './levels.js'
import { requireFacultyManager } from './policy.js'
import {
  allCourseBriefs,
  courseSlugTaken,
  findCourse,
  insertCourse,
  organisationNames,
  setPrerequisites,
  updateCourse,
  type Course,
  type CourseValues,
  type Faculty,
} from './repository.js'
import { validateCourse } from './course-rules.js'

/** Faculty admins add and change courses. */
export class CourseService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  /** Choices for the course form: levels (with the faculty's own names), organisations, roles and other courses. */
  async courseFormChoices(faculty: Faculty, courseId?: string) {
    const [orgNames, courses] = await Promise.all([organisationNames(this.db), allCourseBriefs(this.db)])
    return {
      levelItems: [
        ...LADDER_LEVELS.map((l) => ({ value: l, text: LADDER[l] })),
        ...localLevelOptions(faculty.levelNames, faculty.levelMap).map((o) => ({
          value: `local:${o.name}`,
          text: `${faculty.name}: ${o.name} (${LADDER[o.level]})`,
        })),
      ],
      organisationItems: [...orgNames].map(([value, text]) => ({ value, text })),
      roleItems: ELIGIBLE_ROLES.map((r) => ({ value: r, text: ROLES[r].label })),
      prerequisiteItems: courses
        .filter((c) => c.id !== courseId)
        .map((c) => ({ value: c.id, text: `${c.title} (${c.facultyName})` })),
    }
  }

  async createCourse(
    user: CurrentUser,
    facultySlug: string,
    input: CourseInput,
    ip?: string,
  ): Promise<Course> {
    const at = this.clock().toISOString()
    const faculty = await facultyBySlug(this.db, facultySlug)
    requireFacultyManager(user, faculty.id)
    const id = newId()
    return this.db.transaction().execute(async (trx) => {
      const values = await validateCourse(trx, faculty, id, input)
      const slug = await uniqueSlug(trx, input.title)
      await insertCourse(trx, { id, facultyId: faculty.id, slug, now: at }, values)
      await setPrerequisites(trx, id, input.prerequisites)
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'course.create',
        entityType: 'course',
        entityId: id,
        ip,
        after: { ...values, prerequisites: input.prerequisites },
      })
      return (await findCourse(trx, { id }))!
    })
  }

  async updateCourse(user: CurrentUser, slug: string, input: CourseInput, ip?: string): Promise<Course> {
    const at = this.clock().toISOString()
    const course = await courseBySlug(this.db, slug)
    requireFacultyManager(user, course.facultyId)
    const faculty = await facultyBySlug(this.db, course.facultySlug)
    return this.db.transaction().execute(async (trx) => {
      const values: CourseValues = await validateCourse(trx, faculty, course.id, input)
      if (!(await updateCourse(trx, course.id, input.version, at, values))) {
        throw new ConflictError(
          'Someone else changed this course after you opened the page. Reload it and make your changes again.',
        )
      }
      await setPrerequisites(trx, course.id, input.prerequisites)
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'course.update',
        entityType: 'course',
        entityId: course.id,
        ip,
        before: course,
        after: { ...values, prerequisites: input.prerequisites },
      })
      return (await findCourse(trx, { id: course.id }))!
    })
  }
}

async function uniqueSlug(db: Kysely<DB>, title: string): Promise<string> {
  const base =
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'course'
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`
    if (!(await courseSlugTaken(db, slug))) return slug
  }
}
