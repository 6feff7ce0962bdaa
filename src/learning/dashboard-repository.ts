import { read } from '../db/database.js'
import type { Db } from './repository.js'

export interface DashboardFilter {
  /** Cohorts starting on or after (ISO instant). */
  from?: string
  /** Cohorts starting before (ISO instant). */
  to?: string
  organisationId?: string
}

export interface DashboardCohort {
  cohortId: string
  cohortName: string
  courseTitle: string
  courseSlug: string
  startsAt: string | null
  capacity: number
  placesTaken: number
  waitlisted: number
  requested: number
}

const COHORT_COLUMNS = [
  'cohorts.id',
  'cohorts.name',
  'courses.title',
  'courses.slug',
  'cohorts.starts_at',
  'cohorts.capacity',
  'cohorts.enrolled_count',
  'cohorts.waitlisted_count',
  'cohorts.requested_count',
] as const

function toDashboardCohort(r: {
  id: string
  name: string
  title: string
  slug: string
  starts_at: string | null
  capacity: number
  enrolled_count: number
  waitlisted_count: number
  requested_count: number
}): DashboardCohort {
  return {
    cohortId: r.id,
    cohortName: r.name,
    courseTitle: r.title,
    courseSlug: r.slug,
    startsAt: r.starts_at,
    capacity: read.num(r.capacity),
    placesTaken: read.num(r.enrolled_count),
    waitlisted: read.num(r.waitlisted_count),
    requested: read.num(r.requested_count),
  }
}

function facultyCohortQuery(db: Db, facultyId: string, filter: DashboardFilter) {
  let q = db
    .selectFrom('cohorts')
    .innerJoin('courses', 'courses.id', 'cohorts.course_id')
    .where('courses.faculty_id', '=', facultyId)
  if (filter.from) q = q.where('cohorts.starts_at', '>=', filter.from)
  if (filter.to) q = q.where('cohorts.starts_at', '<', filter.to)
  return q
}

export async function facultyCohorts(
  db: Db,
  facultyId: string,
  filter: DashboardFilter,
): Promise<DashboardCohort[]> {
  const rows = await facultyCohortQuery(db, facultyId, filter)
    .select(COHORT_COLUMNS)
    .orderBy('cohorts.starts_at', 'desc')
    .orderBy('courses.title')
    .limit(500)
    .execute()
  return rows.map(toDashboardCohort)
}

export interface StatusCount {
  cohortId: string
  startsAt: string | null
  organisationId: string | null
  organisationName: string | null
  status: string
  n: number
}

/** Enrolments by cohort, the learner's organisation and status: the dashboard's breakdowns are built from these. */
export async function statusCounts(
  db: Db,
  facultyId: string,
  filter: DashboardFilter,
): Promise<StatusCount[]> {
  let q = facultyCohortQuery(db, facultyId, filter)
    .innerJoin('enrolments', 'enrolments.cohort_id', 'cohorts.id')
    .innerJoin('users', 'users.id', 'enrolments.user_id')
    .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
  if (filter.organisationId) q = q.where('users.organisation_id', '=', filter.organisationId)
  const rows = await q
    .select((eb) => [
      'cohorts.id',
      'cohorts.starts_at',
      'users.organisation_id',
      'organisations.name',
      'enrolments.status',
      eb.fn.countAll<number>().as('n'),
    ])
    .groupBy([
      'cohorts.id',
      'cohorts.starts_at',
      'users.organisation_id',
      'organisations.name',
      'enrolments.status',
    ])
    .execute()
  return rows.map((r) => ({
    cohortId: r.id,
    startsAt: r.starts_at,
    organisationId: r.organisation_id,
    organisationName: r.name,
    status: r.status,
    n: read.num(r.n),
  }))
}

/** One training record, for counting people trained (no names): a valid certificate or verified external training. */
export interface TrainingRecord {
  userId: string
  level: string
  facultyId: string | null
  organisationId: string | null
  /** ISO date or timestamp of the certificate or completion. */
  at: string
}

/** Every valid certificate and every verified external record, with the person's organisation. */
export async function trainingRecords(db: Db): Promise<TrainingRecord[]> {
  const [certificates, external] = await Promise.all([
    db
      .selectFrom('certificates')
      .innerJoin('courses', 'courses.id', 'certificates.course_id')
      .innerJoin('users', 'users.id', 'certificates.user_id')
      .where('certificates.revoked_at', 'is', null)
      .select([
        'certificates.user_id',
        'certificates.level',
        'courses.faculty_id',
        'users.organisation_id',
        'certificates.issued_at',
      ])
      .execute(),
    db
      .selectFrom('external_training')
      .innerJoin('users', 'users.id', 'external_training.user_id')
      .where('external_training.status', '=', 'verified')
      .select([
        'external_training.user_id',
        'external_training.level',
        'external_training.faculty_id',
        'users.organisation_id',
        'external_training.completed_on',
      ])
      .execute(),
  ])
  return [
    ...certificates.map((r) => ({
      userId: r.user_id,
      level: r.level,
      facultyId: r.faculty_id,
      organisationId: r.organisation_id,
      at: String(r.issued_at),
    })),
    ...external.map((r) => ({
      userId: r.user_id,
      level: r.level,
      facultyId: r.faculty_id,
      organisationId: r.organisation_id,
      at: String(r.completed_on),
    })),
  ]
}

/** Every faculty's cohorts starting in [from, to), soonest first, at most `limit`. */
export async function cohortsStarting(
  db: Db,
  from: string,
  to: string,
  limit: number,
): Promise<DashboardCohort[]> {
  const rows = await db
    .selectFrom('cohorts')
    .innerJoin('courses', 'courses.id', 'cohorts.course_id')
    .select(COHORT_COLUMNS)
    .where('cohorts.starts_at', '>=', from)
    .where('cohorts.starts_at', '<', to)
    .orderBy('cohorts.starts_at')
    .orderBy('courses.title')
    .limit(limit)
    .execute()
  return rows.map(toDashboardCohort)
}
