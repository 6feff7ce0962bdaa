import type { Selectable } from 'kysely'
import { read } from '../db/database.js'
import type { CohortSessionsTable, CohortsTable } from '../db/tables/learning.js'
import { isPostgres } from '../db/dialect.js'
import { type Db } from './repository.js'
import { sessionWhen } from '../core/dates.js'

export interface Cohort {
  id: string
  courseId: string
  name: string
  capacity: number
  enrolmentClosesAt: string
  venue: string
  onlineUrl: string
  facilitators: string
  startsAt: string | null
  endsAt: string | null
  /** Places taken: enrolled, completed or did not complete. */
  placesTaken: number
  waitlisted: number
  requested: number
  nextQueueNo: number
  version: number
}

export interface Session {
  id: string
  cohortId: string
  title: string
  startsAt: string
  endsAt: string
  venue: string
  onlineUrl: string
  sequence: number
  /** "Wed 10 Mar 2027, 09:30 to 12:30" */
  whenText: string
}

function toCohort(r: Selectable<CohortsTable>): Cohort {
  return {
    id: r.id,
    courseId: r.course_id,
    name: r.name,
    capacity: read.num(r.capacity),
    enrolmentClosesAt: r.enrolment_closes_at,
    venue: r.venue,
    onlineUrl: r.online_url,
    facilitators: r.facilitators,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    placesTaken: read.num(r.enrolled_count),
    waitlisted: read.num(r.waitlisted_count),
    requested: read.num(r.requested_count),
    nextQueueNo: read.num(r.next_queue_no),
    version: read.num(r.version),
  }
}

function toSession(r: Selectable<CohortSessionsTable>): Session {
  return {
    id: r.id,
    cohortId: r.cohort_id,
    title: r.title,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    venue: r.venue,
    onlineUrl: r.online_url,
    sequence: read.num(r.sequence),
    whenText: sessionWhen(r.starts_at, r.ends_at),
  }
}

/**
 * The cohort, locked for the rest of the transaction on PostgreSQL (SELECT … FOR
 * UPDATE), so that two requests for the last place are decided one after the other.
 * SQLite has one connection and runs one transaction at a time.
 */
export async function findCohort(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<Cohort | null> {
  let q = db.selectFrom('cohorts').selectAll().where('id', '=', id)
  if (options.lock && isPostgres(db)) q = q.forUpdate()
  const r = await q.executeTakeFirst()
  return r ? toCohort(r) : null
}

export async function listCohorts(
  db: Db,
  courseIds: string[],
  options: { closingAfter?: string } = {},
): Promise<Cohort[]> {
  if (courseIds.length === 0) return []
  let q = db.selectFrom('cohorts').selectAll().where('course_id', 'in', courseIds)
  if (options.closingAfter) q = q.where('enrolment_closes_at', '>=', options.closingAfter)
  const rows = await q.orderBy('starts_at').orderBy('name').execute()
  return rows.map(toCohort)
}

export interface OpenCohort {
  id: string
  courseId: string
  name: string
  startsAt: string | null
  placesLeft: number
}

/** The catalogue's view: for each course, its first `perCourse` cohorts still open for enrolment, soonest first. */
export async function openCohorts(
  db: Db,
  courseIds: string[],
  closingAfter: string,
  perCourse: number,
): Promise<OpenCohort[]> {
  if (courseIds.length === 0) return []
  const ranked = db
    .selectFrom('cohorts')
    .select((eb) => [
      'id',
      'course_id',
      'name',
      'starts_at',
      'capacity',
      'enrolled_count',
      eb.fn
        .agg<number>('row_number')
        .over((ob) => ob.partitionBy('course_id').orderBy('starts_at').orderBy('name'))
        .as('rank'),
    ])
    .where('course_id', 'in', courseIds)
    .where('enrolment_closes_at', '>=', closingAfter)
    .as('ranked')
  const rows = await db
    .selectFrom(ranked)
    .selectAll()
    .where('rank', '<=', perCourse)
    .orderBy('starts_at')
    .orderBy('name')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    courseId: r.course_id,
    name: r.name,
    startsAt: r.starts_at,
    placesLeft: Math.max(0, read.num(r.capacity) - read.num(r.enrolled_count)),
  }))
}

export interface CohortValues {
  name: string
  capacity: number
  enrolmentClosesAt: string
  venue: string
  onlineUrl: string
  facilitators: string
}

export async function insertCohort(
  db: Db,
  row: { id: string; courseId: string; now: string; isDemo?: boolean },
  v: CohortValues,
) {
  await db
    .insertInto('cohorts')
    .values({
      id: row.id,
      course_id: row.courseId,
      name: v.name,
      capacity: v.capacity,
      enrolment_closes_at: v.enrolmentClosesAt,
      venue: v.venue,
      online_url: v.onlineUrl,
      facilitators: v.facilitators,
      starts_at: null,
      ends_at: null,
      is_demo: row.isDemo ?? false,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute()
}

export async function updateCohort(
  db: Db,
  id: string,
  version: number,
  now: string,
  v: CohortValues,
): Promise<boolean> {
  const r = await db
    .updateTable('cohorts')
    .set({
      name: v.name,
      capacity: v.capacity,
      enrolment_closes_at: v.enrolmentClosesAt,
      venue: v.venue,
      online_url: v.onlineUrl,
      facilitators: v.facilitators,
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function takeQueueNo(db: Db, cohort: Cohort): Promise<number> {
  await db
    .updateTable('cohorts')
    .set({ next_queue_no: cohort.nextQueueNo + 1 })
    .where('id', '=', cohort.id)
    .execute()
  return cohort.nextQueueNo
}

export async function listSessions(db: Db, cohortIds: string[]): Promise<Session[]> {
  if (cohortIds.length === 0) return []
  const rows = await db
    .selectFrom('cohort_sessions')
    .selectAll()
    .where('cohort_id', 'in', cohortIds)
    .orderBy('starts_at')
    .execute()
  return rows.map(toSession)
}

export async function findSession(db: Db, id: string): Promise<Session | null> {
  const r = await db.selectFrom('cohort_sessions').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? toSession(r) : null
}

export interface SessionValues {
  title: string
  startsAt: string
  endsAt: string
  venue: string
  onlineUrl: string
}

export async function insertSession(
  db: Db,
  row: { id: string; cohortId: string; now: string },
  v: SessionValues,
) {
  await db
    .insertInto('cohort_sessions')
    .values({
      id: row.id,
      cohort_id: row.cohortId,
      title: v.title,
      starts_at: v.startsAt,
      ends_at: v.endsAt,
      venue: v.venue,
      online_url: v.onlineUrl,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute()
}

export async function updateSession(db: Db, session: Session, now: string, v: SessionValues) {
  const moved = session.startsAt !== v.startsAt
  await db
    .updateTable('cohort_sessions')
    .set({
      title: v.title,
      starts_at: v.startsAt,
      ends_at: v.endsAt,
      venue: v.venue,
      online_url: v.onlineUrl,
      sequence: session.sequence + 1,
      updated_at: now,
      ...(moved ? { reminder_sent_at: null } : {}),
    })
    .where('id', '=', session.id)
    .execute()
}

export async function deleteSession(db: Db, id: string) {
  await db.deleteFrom('cohort_sessions').where('id', '=', id).execute()
}

/** Keeps the cohort's first start and last end in step with its sessions. */
export async function refreshCohortDates(db: Db, cohortId: string) {
  const r = await db
    .selectFrom('cohort_sessions')
    .select((eb) => [eb.fn.min('starts_at').as('first'), eb.fn.max('ends_at').as('last')])
    .where('cohort_id', '=', cohortId)
    .executeTakeFirst()
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString())
  await db
    .updateTable('cohorts')
    .set({ starts_at: iso(r?.first), ends_at: iso(r?.last) })
    .where('id', '=', cohortId)
    .execute()
}

/** Sessions starting in [from, to) whose reminder has not gone yet. */
export async function sessionsDueReminder(db: Db, from: string, to: string): Promise<Session[]> {
  const rows = await db
    .selectFrom('cohort_sessions')
    .selectAll()
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .where('reminder_sent_at', 'is', null)
    .orderBy('starts_at')
    .limit(200)
    .execute()
  return rows.map(toSession)
}

/** Claims a session's reminder: true for exactly one caller, even across app instances. */
export async function claimReminder(db: Db, sessionId: string, now: string): Promise<boolean> {
  const r = await db
    .updateTable('cohort_sessions')
    .set({ reminder_sent_at: now })
    .where('id', '=', sessionId)
    .where('reminder_sent_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
