import { NotFoundError } from '../core/errors.js'
import { findCohort, findSession, type Cohort, type Session } from './cohort-repository.js'
import { findCourse, findFaculty, type Course, type Db, type Faculty } from './repository.js'

export interface CohortContext {
  cohort: Cohort
  course: Course
}

/**
 * A cohort with its course, or "page not found". `lock` takes the cohort's row lock (see
 * findCohort); `prerequisites: false` leaves the course's prerequisites unloaded (empty).
 */
export async function cohortContext(
  db: Db,
  cohortId: string,
  options: { lock?: boolean; prerequisites?: boolean } = {},
): Promise<CohortContext> {
  const cohort = await findCohort(db, cohortId, options)
  if (!cohort) throw new NotFoundError()
  const course = await findCourse(db, { id: cohort.courseId }, options)
  if (!course) throw new NotFoundError()
  return { cohort, course }
}

/** A session with its cohort and course (prerequisites not loaded: nothing about a session needs them). */
export async function sessionContext(
  db: Db,
  sessionId: string,
): Promise<CohortContext & { session: Session }> {
  const session = await findSession(db, sessionId)
  if (!session) throw new NotFoundError()
  return { session, ...(await cohortContext(db, session.cohortId, { prerequisites: false })) }
}

export async function facultyBySlug(db: Db, slug: string): Promise<Faculty> {
  const faculty = await findFaculty(db, { slug })
  if (!faculty) throw new NotFoundError()
  return faculty
}

export async function courseBySlug(db: Db, slug: string): Promise<Course> {
  const course = await findCourse(db, { slug })
  if (!course) throw new NotFoundError()
  return course
}
