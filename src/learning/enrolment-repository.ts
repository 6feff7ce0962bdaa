import { read } from '../db/database.js'
import { ACTIVE_STATUSES, REGISTER_STATUSES, type EnrolmentStatus } from './levels.js'
import { isPostgres } from '../db/dialect.js'
import { type Db } from './repository.js'

export interface Enrolment {
  id: string
  cohortId: string
  userId: string
  status: EnrolmentStatus
  queueNo: number
  requestedAt: string
  statusChangedAt: string
  /** A project on the platform, linked by the learner. */
  projectId: string | null
  /** Free-text reference for a project done outside the platform. */
  projectRef: string
  projectSubmitted: boolean
  assessmentPassed: boolean
  completedAt: string | null
}

/** An enrolment with the learner's name, for faculty pages. */
export interface Learner extends Enrolment {
  name: string
  email: string
  organisationId: string | null
  organisationName: string | null
}

const columns = [
  'enrolments.id',
  'enrolments.cohort_id',
  'enrolments.user_id',
  'enrolments.status',
  'enrolments.queue_no',
  'enrolments.requested_at',
  'enrolments.status_changed_at',
  'enrolments.project_id',
  'enrolments.project_ref',
  'enrolments.project_submitted',
  'enrolments.assessment_passed',
  'enrolments.completed_at',
] as const

type Row = {
  id: string
  cohort_id: string
  user_id: string
  status: string
  queue_no: number
  requested_at: string
  status_changed_at: string
  project_id: string | null
  project_ref: string
  project_submitted: boolean | number
  assessment_passed: boolean | number
  completed_at: string | null
}

function toEnrolment(r: Row): Enrolment {
  return {
    id: r.id,
    cohortId: r.cohort_id,
    userId: r.user_id,
    status: r.status as EnrolmentStatus,
    queueNo: read.num(r.queue_no),
    requestedAt: r.requested_at,
    statusChangedAt: r.status_changed_at,
    projectId: r.project_id,
    projectRef: r.project_ref,
    projectSubmitted: read.bool(r.project_submitted),
    assessmentPassed: read.bool(r.assessment_passed),
    completedAt: r.completed_at,
  }
}

export async function findEnrolment(
  db: Db,
  by: { id: string } | { cohortId: string; userId: string },
): Promise<Enrolment | null> {
  let q = db.selectFrom('enrolments').select(columns)
  q =
    'id' in by
      ? q.where('enrolments.id', '=', by.id)
      : q.where('enrolments.cohort_id', '=', by.cohortId).where('enrolments.user_id', '=', by.userId)
  const r = await q.executeTakeFirst()
  return r ? toEnrolment(r) : null
}

/** The person's enrolments in these cohorts (for the course page). */
export async function enrolmentsOf(db: Db, userId: string, cohortIds: string[]): Promise<Enrolment[]> {
  if (cohortIds.length === 0) return []
  const rows = await db
    .selectFrom('enrolments')
    .select(columns)
    .where('user_id', '=', userId)
    .where('cohort_id', 'in', cohortIds)
    .execute()
  return rows.map(toEnrolment)
}

/** Another cohort of the same course where the person holds or waits for a place. */
export async function activeInCourse(
  db: Db,
  userId: string,
  courseId: string,
): Promise<{ cohortName: string; status: EnrolmentStatus } | null> {
  const r = await db
    .selectFrom('enrolments')
    .innerJoin('cohorts', 'cohorts.id', 'enrolments.cohort_id')
    .select(['cohorts.name', 'enrolments.status'])
    .where('enrolments.user_id', '=', userId)
    .where('cohorts.course_id', '=', courseId)
    .where('enrolments.status', 'in', ACTIVE_STATUSES)
    .executeTakeFirst()
  return r ? { cohortName: r.name, status: r.status as EnrolmentStatus } : null
}

export async function completedCourseIds(db: Db, userId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('enrolments')
    .innerJoin('cohorts', 'cohorts.id', 'enrolments.cohort_id')
    .select('cohorts.course_id')
    .where('enrolments.user_id', '=', userId)
    .where('enrolments.status', '=', 'completed')
    .execute()
  return new Set(rows.map((r) => r.course_id))
}

export async function insertEnrolment(
  db: Db,
  v: {
    id: string
    cohortId: string
    userId: string
    status: EnrolmentStatus
    queueNo: number
    now: string
    isDemo?: boolean
  },
) {
  await db
    .insertInto('enrolments')
    .values({
      id: v.id,
      cohort_id: v.cohortId,
      user_id: v.userId,
      status: v.status,
      queue_no: v.queueNo,
      requested_at: v.now,
      status_changed_at: v.now,
      is_demo: v.isDemo ?? false,
    })
    .execute()
}

/** A fresh request in a row left by an earlier withdrawal or refusal. */
export async function renewEnrolment(
  db: Db,
  id: string,
  status: EnrolmentStatus,
  queueNo: number,
  now: string,
) {
  await db
    .updateTable('enrolments')
    .set({
      status,
      queue_no: queueNo,
      requested_at: now,
      status_changed_at: now,
      decided_by: null,
      project_submitted: false,
      assessment_passed: false,
      completed_at: null,
    })
    .where('id', '=', id)
    .execute()
}

export async function setStatus(
  db: Db,
  id: string,
  status: EnrolmentStatus,
  now: string,
  decidedBy: string | null = null,
) {
  await db
    .updateTable('enrolments')
    .set({
      status,
      status_changed_at: now,
      decided_by: decidedBy,
      ...(status === 'completed' ? { completed_at: now } : {}),
    })
    .where('id', '=', id)
    .execute()
}

/** The longest-waiting person on the list (first come, first served). */
export async function firstWaitlisted(db: Db, cohortId: string): Promise<Enrolment | null> {
  const r = await db
    .selectFrom('enrolments')
    .select(columns)
    .where('cohort_id', '=', cohortId)
    .where('status', '=', 'waitlisted')
    .orderBy('queue_no')
    .limit(1)
    .executeTakeFirst()
  return r ? toEnrolment(r) : null
}

/** Counts the cohort's places and queues again and stores them on the cohort (call while holding its lock). */
export async function recount(
  db: Db,
  cohortId: string,
): Promise<{ placesTaken: number; waitlisted: number; requested: number }> {
  const rows = await db
    .selectFrom('enrolments')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('cohort_id', '=', cohortId)
    .groupBy('status')
    .execute()
  const n = (statuses: string[]) =>
    rows.filter((r) => statuses.includes(r.status)).reduce((s, r) => s + read.num(r.n), 0)
  const counts = {
    placesTaken: n(REGISTER_STATUSES),
    waitlisted: n(['waitlisted']),
    requested: n(['requested']),
  }
  await db
    .updateTable('cohorts')
    .set({
      enrolled_count: counts.placesTaken,
      waitlisted_count: counts.waitlisted,
      requested_count: counts.requested,
    })
    .where('id', '=', cohortId)
    .execute()
  return counts
}

export async function cohortLearners(
  db: Db,
  cohortId: string,
  statuses?: EnrolmentStatus[],
): Promise<Learner[]> {
  let q = db
    .selectFrom('enrolments')
    .innerJoin('users', 'users.id', 'enrolments.user_id')
    .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(columns)
    .select(['users.name', 'users.email', 'users.organisation_id', 'organisations.name as organisation_name'])
    .where('enrolments.cohort_id', '=', cohortId)
  if (statuses) q = q.where('enrolments.status', 'in', statuses)
  const rows = await q.orderBy('enrolments.queue_no').execute()
  return rows.map((r) => ({
    ...toEnrolment(r),
    name: r.name,
    email: r.email,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
  }))
}

export async function setProgress(
  db: Db,
  id: string,
  values: { projectSubmitted: boolean; assessmentPassed: boolean },
) {
  await db
    .updateTable('enrolments')
    .set({ project_submitted: values.projectSubmitted, assessment_passed: values.assessmentPassed })
    .where('id', '=', id)
    .execute()
}

export async function setProjectLink(
  db: Db,
  id: string,
  link: { projectId: string | null; projectRef: string },
) {
  await db
    .updateTable('enrolments')
    .set({ project_id: link.projectId, project_ref: link.projectRef })
    .where('id', '=', id)
    .execute()
}

export async function personContact(db: Db, userId: string): Promise<{ name: string; email: string }> {
  const r = await db
    .selectFrom('users')
    .select(['name', 'email'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow()
  return r
}

/**
 * Holds the learner's row for the rest of the transaction on PostgreSQL, so that two requests
 * from one person for two cohorts of the same course are decided one after the other (SQLite
 * runs one transaction at a time). Taken before the cohort's lock, always in that order.
 */
export async function lockLearner(db: Db, userId: string) {
  if (isPostgres(db)) await db.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute()
}
