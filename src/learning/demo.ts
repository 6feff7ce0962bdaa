import { attendanceRow, cohortRow, enrolmentRow } from '../db/rows.js'
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { newCertificateCode } from './certificate-code.js'
import { recount } from './enrolment-repository.js'
import { demoCohorts, demoCourses } from './demo-data.js'
import { londonInstant } from '../core/dates.js'

/**
 * Synthetic learning content for the demo (flagged is_demo): QSIR, GSQIA, QI Hub and
 * Productive General Practice courses with cohorts around "now", Leo enrolled on a
 * QSIR Practitioner cohort and Ada holding a GSQIA Bronze certificate. Fixed ids and
 * ON CONFLICT DO NOTHING make loading twice add nothing.
 */
export async function loadLearningDemo(trx: Transaction<DB>, now: string): Promise<number> {
  let added = 0
  const count = (r: { numInsertedOrUpdatedRows?: bigint } | undefined) => {
    added += Number(r?.numInsertedOrUpdatedRows ?? 0)
  }
  // GSQIA's own levels on the ladder (seed basis: external; the faculty can change it).
  await trx
    .updateTable('faculties')
    .set({ level_map: JSON.stringify({ Bronze: 'awareness', Silver: 'foundation', Gold: 'practitioner' }) })
    .where('id', '=', 'fac-gsqia')
    .where('level_map', 'is', null)
    .execute()

  const courses = demoCourses(now)
  for (const c of courses)
    count(
      await trx
        .insertInto('courses')
        .values(c)
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst(),
    )
  count(
    await trx
      .insertInto('course_prerequisites')
      .values({ course_id: 'crs-gsqia-silver', prerequisite_id: 'crs-gsqia-bronze' })
      .onConflict((oc) => oc.columns(['course_id', 'prerequisite_id']).doNothing())
      .executeTakeFirst(),
  )

  const day = (offset: number) =>
    new Date(new Date(now).getTime() + offset * 86_400_000).toISOString().slice(0, 10)
  const at = (offset: number, time: string) => londonInstant(day(offset), time)!
  const cohorts = demoCohorts
  for (const c of cohorts) {
    const starts = at(c.sessions[0][0], '09:30')
    const last = c.sessions[c.sessions.length - 1]
    const online = c.venue === '' || c.venue === 'Online' ? 'https://meet.example.org/qi-demo' : ''
    const inserted = await trx
      .insertInto('cohorts')
      .values(
        cohortRow({
          id: c.id,
          course_id: c.course_id,
          name: c.name,
          capacity: c.capacity,
          enrolment_closes_at: at(c.closes, '23:59'),
          venue: c.venue,
          online_url: online,
          facilitators: 'QI faculty team (demo)',
          starts_at: starts,
          ends_at: at(last[0], '12:30'),
          is_demo: true,
          created_at: now,
        }),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst()
    count(inserted)
    if (Number(inserted?.numInsertedOrUpdatedRows ?? 0) === 0) continue
    for (const [i, [offset, title]] of c.sessions.entries()) {
      await trx
        .insertInto('cohort_sessions')
        .values({
          id: `${c.id}-s${i + 1}`,
          cohort_id: c.id,
          title,
          starts_at: at(offset, '09:30'),
          ends_at: at(offset, '12:30'),
          venue: '',
          online_url: '',
          created_at: now,
          updated_at: now,
        })
        .execute()
    }
  }

  const idOf = async (email: string) =>
    (await trx.selectFrom('users').select(['id', 'name']).where('email', '=', email).executeTakeFirst()) ??
    null
  const leo = await idOf('leo.learner@example.invalid')
  if (leo) {
    count(
      await trx
        .insertInto('enrolments')
        .values(
          enrolmentRow({
            id: 'enr-demo-leo-qsir',
            cohort_id: 'coh-qsir-prac-spring',
            user_id: leo.id,
            queue_no: 1,
            requested_at: now,
            is_demo: true,
          }),
        )
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst(),
    )
  }
  const ada = await idOf('ada.aimwell@example.invalid')
  if (ada) {
    const done = await trx
      .insertInto('enrolments')
      .values(
        enrolmentRow({
          id: 'enr-demo-ada-bronze',
          cohort_id: 'coh-gsqia-bronze-past',
          user_id: ada.id,
          status: 'completed',
          queue_no: 1,
          requested_at: at(-50, '10:00'),
          status_changed_at: at(-29, '10:00'),
          completed_at: at(-29, '10:00'),
          is_demo: true,
        }),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst()
    count(done)
    if (Number(done?.numInsertedOrUpdatedRows ?? 0) > 0) {
      await trx
        .insertInto('attendance')
        .values(
          attendanceRow({
            session_id: 'coh-gsqia-bronze-past-s1',
            enrolment_id: 'enr-demo-ada-bronze',
            marked_at: at(-30, '12:30'),
          }),
        )
        .onConflict((oc) => oc.columns(['session_id', 'enrolment_id']).doNothing())
        .execute()
      await trx
        .insertInto('certificates')
        .values({
          id: 'cert-demo-ada-bronze',
          enrolment_id: 'enr-demo-ada-bronze',
          user_id: ada.id,
          course_id: 'crs-gsqia-bronze',
          code: newCertificateCode(),
          person_name: ada.name,
          course_title: 'GSQIA Bronze: safety and quality improvement awareness',
          faculty_name: 'Gloucestershire Safety and Quality Improvement Academy (GSQIA)',
          level: 'awareness',
          local_level: 'Bronze',
          issued_at: at(-29, '10:00'),
          expires_at: null,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute()
    }
  }
  for (const c of cohorts) {
    const { placesTaken, waitlisted, requested } = await recount(trx, c.id)
    await trx
      .updateTable('cohorts')
      .set({ next_queue_no: placesTaken + waitlisted + requested + 1 })
      .where('id', '=', c.id)
      .where('next_queue_no', '=', 1)
      .execute()
  }
  return added
}
