import { sql, type Kysely, type Transaction } from 'kysely'
import { read } from '../../db/database.js'
import type { DB } from '../../db/schema.js'

type Db = Kysely<DB> | Transaction<DB>

export interface Coach {
  id: string
  name: string
}

export interface Assignment {
  id: string
  requestId: string
  coachId: string
  coachName: string
  month: string
  estimatedHours: number
  actualHours: number | null
  overrideReason: string | null
}

export interface CoachMonth {
  coachId: string
  month: string
  hours: number
}

/**
 * Hours an assignment holds against a QI specialist's month: the estimate while the work is
 * accepted, scoping or in delivery; once closed, the actual hours (the estimate if none were
 * recorded); for withdrawn or declined work only the actual hours already spent.
 */
export const committedHoursSql = sql<number>`sum(case
  when a.request_status in ('accepted', 'scoping', 'in_delivery') then a.estimated_hours
  when a.request_status = 'closed' then coalesce(a.actual_hours, a.estimated_hours)
  else coalesce(a.actual_hours, 0) end)`

/** People who hold the coach (QI specialist) role and can still sign in. */
export async function listCoaches(db: Db): Promise<Coach[]> {
  return db
    .selectFrom('users as u')
    .innerJoin('role_grants as g', 'g.user_id', 'u.id')
    .select(['u.id', 'u.name'])
    .where('g.role', '=', 'coach')
    .where('u.disabled_at', 'is', null)
    .distinct()
    .orderBy('u.name')
    .execute()
}

export async function isCoach(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('role_grants')
    .select('id')
    .where('user_id', '=', userId)
    .where('role', '=', 'coach')
    .executeTakeFirst()
  return !!row
}

export async function availableHours(db: Db, months: string[], coachId?: string): Promise<CoachMonth[]> {
  if (months.length === 0) return []
  let q = db
    .selectFrom('coach_capacity')
    .select(['coach_id', 'month', 'available_hours'])
    .where('month', 'in', months)
  if (coachId) q = q.where('coach_id', '=', coachId)
  const rows = await q.execute()
  return rows.map((r) => ({ coachId: r.coach_id, month: r.month, hours: read.num(r.available_hours) }))
}

/** Committed and actual hours per QI specialist and month. */
export async function committedHours(
  db: Db,
  months: string[],
  coachId?: string,
): Promise<(CoachMonth & { actual: number })[]> {
  if (months.length === 0) return []
  let q = db
    .selectFrom('support_assignments as a')
    .select([
      'a.coach_id',
      'a.month',
      committedHoursSql.as('committed'),
      sql<number>`sum(coalesce(a.actual_hours, 0))`.as('actual'),
    ])
    .where('a.month', 'in', months)
    .groupBy(['a.coach_id', 'a.month'])
  if (coachId) q = q.where('a.coach_id', '=', coachId)
  const rows = await q.execute()
  return rows.map((r) => ({
    coachId: r.coach_id,
    month: r.month,
    hours: read.num(r.committed),
    actual: read.num(r.actual),
  }))
}

export async function setAvailableHours(
  db: Db,
  coachId: string,
  month: string,
  hours: number,
  now: string,
): Promise<void> {
  await db
    .insertInto('coach_capacity')
    .values({ coach_id: coachId, month, available_hours: hours, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['coach_id', 'month']).doUpdateSet({ available_hours: hours, updated_at: now }),
    )
    .execute()
}

export async function listAssignments(db: Db, requestId: string): Promise<Assignment[]> {
  const rows = await db
    .selectFrom('support_assignments as a')
    .innerJoin('users as u', 'u.id', 'a.coach_id')
    .selectAll('a')
    .select('u.name as coach_name')
    .where('a.request_id', '=', requestId)
    .orderBy('a.month')
    .orderBy('u.name')
    .execute()
  return rows.map((a) => ({
    id: a.id,
    requestId: a.request_id,
    coachId: a.coach_id,
    coachName: a.coach_name,
    month: a.month,
    estimatedHours: read.num(a.estimated_hours),
    actualHours: read.numOrNull(a.actual_hours),
    overrideReason: a.override_reason,
  }))
}

export async function insertAssignment(
  db: Db,
  a: {
    id: string
    requestId: string
    coachId: string
    month: string
    hours: number
    overrideReason: string | null
    request: { status: string; programmeId: string | null; organisationId: string | null }
    now: string
  },
): Promise<void> {
  await db
    .insertInto('support_assignments')
    .values({
      id: a.id,
      request_id: a.requestId,
      coach_id: a.coachId,
      month: a.month,
      estimated_hours: a.hours,
      actual_hours: null,
      override_reason: a.overrideReason,
      request_status: a.request.status,
      programme_id: a.request.programmeId,
      organisation_id: a.request.organisationId,
      created_at: a.now,
      updated_at: a.now,
    })
    .execute()
}

export async function findAssignment(
  db: Db,
  requestId: string,
  coachId: string,
  month: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('support_assignments')
    .select('id')
    .where('request_id', '=', requestId)
    .where('coach_id', '=', coachId)
    .where('month', '=', month)
    .executeTakeFirst()
}

export async function setActualHours(
  db: Db,
  id: string,
  requestId: string,
  hours: number | null,
  now: string,
): Promise<boolean> {
  const r = await db
    .updateTable('support_assignments')
    .set({ actual_hours: hours, updated_at: now })
    .where('id', '=', id)
    .where('request_id', '=', requestId)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
