import { read } from '../db/database.js'
import type { Db } from './repository.js'

/** Attendance marks for one session, keyed by enrolment. */
export async function sessionAttendance(db: Db, sessionId: string): Promise<Map<string, boolean>> {
  const rows = await db
    .selectFrom('attendance')
    .select(['enrolment_id', 'present'])
    .where('session_id', '=', sessionId)
    .execute()
  return new Map(rows.map((r) => [r.enrolment_id, read.bool(r.present)]))
}

export async function saveAttendance(
  db: Db,
  sessionId: string,
  marks: { enrolmentId: string; present: boolean }[],
  by: string,
  now: string,
) {
  if (marks.length === 0) return
  await db
    .insertInto('attendance')
    .values(
      marks.map((m) => ({
        session_id: sessionId,
        enrolment_id: m.enrolmentId,
        present: m.present,
        marked_by: by,
        marked_at: now,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['session_id', 'enrolment_id'])
        .doUpdateSet((eb) => ({ present: eb.ref('excluded.present'), marked_by: by, marked_at: now })),
    )
    .execute()
}

/**
 * Sessions attended per enrolment in a cohort: only sessions that had started by `now` count, so a
 * mark on a session still to come (taken before that was refused) never counts towards completion.
 */
export async function presentCounts(db: Db, cohortId: string, now: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('attendance')
    .innerJoin('cohort_sessions', 'cohort_sessions.id', 'attendance.session_id')
    .select((eb) => ['attendance.enrolment_id', eb.fn.countAll<number>().as('n')])
    .where('cohort_sessions.cohort_id', '=', cohortId)
    .where('cohort_sessions.starts_at', '<=', now)
    .where('attendance.present', '=', true)
    .groupBy('attendance.enrolment_id')
    .execute()
  return new Map(rows.map((r) => [r.enrolment_id, read.num(r.n)]))
}
