import type { Db } from './repository.js'

/** What a route is about, found from its address alone: enough to decide who may use it. */
export type LearningObject = 'faculty' | 'course' | 'cohort' | 'session' | 'enrolment' | 'certificate'

export interface Ownership {
  facultyId: string
  /** The learner, for an enrolment or a certificate. */
  userId: string | null
}

/** The faculty (and learner) behind a faculty slug, course slug, cohort, session, enrolment or certificate id. */
export async function findOwnership(db: Db, kind: LearningObject, key: string): Promise<Ownership | null> {
  const courseOf = (courseId: string) =>
    db.selectFrom('courses').select('faculty_id').where('id', '=', courseId).executeTakeFirst()
  switch (kind) {
    case 'faculty': {
      const r = await db.selectFrom('faculties').select('id').where('slug', '=', key).executeTakeFirst()
      return r ? { facultyId: r.id, userId: null } : null
    }
    case 'course': {
      const r = await db.selectFrom('courses').select('faculty_id').where('slug', '=', key).executeTakeFirst()
      return r ? { facultyId: r.faculty_id, userId: null } : null
    }
    case 'cohort':
    case 'session':
    case 'enrolment': {
      let q = db
        .selectFrom('cohorts')
        .innerJoin('courses', 'courses.id', 'cohorts.course_id')
        .select('courses.faculty_id')
      if (kind === 'cohort') q = q.where('cohorts.id', '=', key)
      else if (kind === 'session')
        q = q.where('cohorts.id', '=', (eb) =>
          eb.selectFrom('cohort_sessions').select('cohort_id').where('id', '=', key),
        )
      else
        q = q.where('cohorts.id', '=', (eb) =>
          eb.selectFrom('enrolments').select('cohort_id').where('id', '=', key),
        )
      const r = await q.executeTakeFirst()
      if (!r) return null
      if (kind !== 'enrolment') return { facultyId: r.faculty_id, userId: null }
      const e = await db.selectFrom('enrolments').select('user_id').where('id', '=', key).executeTakeFirst()
      return e ? { facultyId: r.faculty_id, userId: e.user_id } : null
    }
    case 'certificate': {
      const c = await db
        .selectFrom('certificates')
        .select(['course_id', 'user_id'])
        .where('id', '=', key)
        .executeTakeFirst()
      const course = c ? await courseOf(c.course_id) : undefined
      return c && course ? { facultyId: course.faculty_id, userId: c.user_id } : null
    }
  }
}

/** The faculty that checks a piece of training done elsewhere (null: platform admins check it). */
export async function findExternalFaculty(db: Db, id: string): Promise<{ facultyId: string | null } | null> {
  const r = await db
    .selectFrom('external_training')
    .select('faculty_id')
    .where('id', '=', id)
    .executeTakeFirst()
  return r ? { facultyId: r.faculty_id } : null
}
