import type { Kysely } from 'kysely'
import { poolFor, type ReadFrom } from '../db/database.js'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { NotFoundError } from '../core/errors.js'
import { listCohorts, listSessions, openCohorts, type Cohort, type Session } from './cohort-repository.js'
import { cohortContext } from './context.js'
import { cohortOpen, courseEligibility, type Eligibility } from './eligibility.js'
import { completedCourseIds, enrolmentsOf, type Enrolment } from './enrolment-repository.js'
import type { FacultyInput } from './forms.js'
import { ENROLMENT_STATUSES, MODES, REGISTER_STATUSES, isLadderLevel, levelLabel } from './levels.js'
import { canManageFaculty, canSeeFacultyFigures, requireFacultyManager } from './policy.js'
import {
  contactRoutePurpose,
  facultyAdminNames,
  findCourse,
  findFaculty,
  listCourses,
  listFaculties,
  organisationNames,
  updateFacultyDetails,
  type Course,
  type Faculty,
} from './repository.js'

export interface CohortView extends Cohort {
  sessions: Session[]
  placesLeft: number
  open: Eligibility
  mine: Enrolment | null
  showOnlineLink: boolean
}

export interface CatalogueFilter {
  faculty?: string
  level?: string
  mode?: string
  openToMe?: boolean
}

/** Faculties, courses and what the public catalogue shows. */
export class CatalogueService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly reader: Kysely<DB> = db,
  ) {}

  faculties(): Promise<Faculty[]> {
    return listFaculties(this.db)
  }

  private async eligibilityFor(user: CurrentUser | null, db: Kysely<DB> = this.db) {
    // Visitors are only ever told to sign in: nothing to look up.
    if (!user) return (course: Course) => courseEligibility(null, course, new Set(), new Map())
    const [completed, orgNames] = await Promise.all([completedCourseIds(db, user.id), organisationNames(db)])
    return (course: Course) => courseEligibility(user, course, completed, orgNames)
  }

  /**
   * One page of published courses, each with up to three cohorts open for enrolment; from the
   * replica unless `from` is the primary (the same queries either way).
   */
  async catalogue(
    user: CurrentUser | null,
    filter: CatalogueFilter,
    page = 1,
    pageSize = 20,
    from: ReadFrom = 'primary',
  ) {
    const now = this.clock()
    const db = poolFor(this.db, this.reader, from)
    const [faculties, courses, eligible] = await Promise.all([
      listFaculties(db),
      listCourses(db, {
        facultySlug: filter.faculty || undefined,
        level: filter.level && isLadderLevel(filter.level) ? filter.level : undefined,
        mode: filter.mode && Object.hasOwn(MODES, filter.mode) ? filter.mode : undefined,
        publishedOnly: true,
        // Visitors see no eligibility, so prerequisites are not needed.
        prerequisites: user !== null,
      }),
      this.eligibilityFor(user, db),
    ])
    const matching = courses
      .map((course) => ({ course, eligibility: eligible(course) }))
      .filter((i) => !filter.openToMe || i.eligibility.eligible)
    const shown = matching.slice((page - 1) * pageSize, page * pageSize)
    const cohorts = await openCohorts(
      db,
      shown.map((i) => i.course.id),
      now.toISOString(),
      3,
    )
    const items = shown.map(({ course, eligibility }) => ({
      course,
      eligibility,
      levelText: levelLabel(course.level, course.localLevel),
      modeText: MODES[course.mode as keyof typeof MODES] ?? course.mode,
      cohorts: cohorts.filter((c) => c.courseId === course.id),
    }))
    return { faculties, items, total: matching.length }
  }

  async facultyPage(user: CurrentUser | null, slug: string) {
    const faculty = await findFaculty(this.db, { slug })
    if (!faculty) throw new NotFoundError()
    const canManage = canManageFaculty(user, faculty.id)
    const [admins, contactPurpose, courses] = await Promise.all([
      facultyAdminNames(this.db, faculty.id),
      faculty.contactRouteId ? contactRoutePurpose(this.db, faculty.contactRouteId) : Promise.resolve(null),
      listCourses(this.db, { facultyId: faculty.id, publishedOnly: !canManage }),
    ])
    return {
      faculty,
      admins,
      contactPurpose,
      canManage,
      canSeeFigures: canSeeFacultyFigures(user, faculty.id),
      courses: courses.map((c) => ({
        ...c,
        levelText: levelLabel(c.level, c.localLevel),
        modeText: MODES[c.mode as keyof typeof MODES] ?? c.mode,
      })),
    }
  }

  async coursePage(user: CurrentUser | null, slug: string) {
    const now = this.clock()
    const course = await findCourse(this.db, { slug })
    if (!course) throw new NotFoundError()
    const canManage = canManageFaculty(user, course.facultyId)
    if (!course.published && !canManage) throw new NotFoundError()
    const all = await listCohorts(this.db, [course.id])
    const ids = all.map((c) => c.id)
    const [sessions, mine, eligible] = await Promise.all([
      listSessions(this.db, ids),
      user ? enrolmentsOf(this.db, user.id, ids) : Promise.resolve([]),
      this.eligibilityFor(user),
    ])
    const cohorts: CohortView[] = all
      .map((c) => {
        const my = mine.find((e) => e.cohortId === c.id) ?? null
        return {
          ...c,
          sessions: sessions.filter((s) => s.cohortId === c.id),
          placesLeft: Math.max(0, c.capacity - c.placesTaken),
          open: cohortOpen(c, now),
          mine: my,
          showOnlineLink: canManage || (!!my && REGISTER_STATUSES.includes(my.status)),
        }
      })
      // Past cohorts stay on the page only for their learners and the faculty.
      .filter((c) => canManage || c.mine || !c.endsAt || new Date(c.endsAt) >= now)
    return {
      course,
      canManage,
      cohorts,
      statusTexts: ENROLMENT_STATUSES,
      eligibility: eligible(course),
      levelText: levelLabel(course.level, course.localLevel),
      modeText: MODES[course.mode as keyof typeof MODES] ?? course.mode,
    }
  }

  /** The faculty's own view: every course (drafts too) with all its cohorts. */
  async facultyAdmin(user: CurrentUser, slug: string) {
    const faculty = await findFaculty(this.db, { slug })
    if (!faculty) throw new NotFoundError()
    requireFacultyManager(user, faculty.id)
    const courses = await listCourses(this.db, { facultyId: faculty.id })
    const cohorts = await listCohorts(
      this.db,
      courses.map((c) => c.id),
    )
    return {
      faculty,
      courses: courses.map((c) => ({
        ...c,
        levelText: levelLabel(c.level, c.localLevel),
        cohorts: cohorts.filter((h) => h.courseId === c.id),
      })),
    }
  }

  async updateFaculty(user: CurrentUser, slug: string, input: FacultyInput, ip?: string): Promise<void> {
    const at = this.clock().toISOString()
    const faculty = await findFaculty(this.db, { slug })
    if (!faculty) throw new NotFoundError()
    requireFacultyManager(user, faculty.id)
    const levelMap: Record<string, string> = {}
    faculty.levelNames.forEach((name, i) => {
      const level = input.levelMap[i]
      if (level) levelMap[name] = level
    })
    await this.db.transaction().execute(async (trx) => {
      await updateFacultyDetails(trx, faculty.id, {
        description: input.description,
        contactText: input.contactText,
        levelMap,
      })
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'faculty.update',
        entityType: 'faculty',
        entityId: faculty.id,
        ip,
        before: {
          description: faculty.description,
          contactText: faculty.contactText,
          levelMap: faculty.levelMap,
        },
        after: { description: input.description, contactText: input.contactText, levelMap },
      })
    })
  }

  async organisationItems(): Promise<{ value: string; text: string }[]> {
    return [...(await organisationNames(this.db))].map(([value, text]) => ({ value, text }))
  }

  async facultyBySlug(slug: string): Promise<Faculty> {
    const faculty = await findFaculty(this.db, { slug })
    if (!faculty) throw new NotFoundError()
    return faculty
  }

  async courseSlugOfCohort(cohortId: string): Promise<string> {
    return (await cohortContext(this.db, cohortId, { prerequisites: false })).course.slug
  }

  async courseBySlug(slug: string): Promise<Course> {
    const course = await findCourse(this.db, { slug })
    if (!course) throw new NotFoundError()
    return course
  }
}
