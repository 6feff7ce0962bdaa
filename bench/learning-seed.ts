/**
 * The synthetic data set behind `npm run bench:learning` (bench/learning.ts): 10,000 learners
 * (flagged is_demo), 40 courses, 1,000 cohorts of 3 sessions and 50 enrolments each (attendance
 * for first sessions of past cohorts, certificates for completions), and Leo with eleven courses.
 * Inserted in batches of 500; deterministic apart from certificate codes.
 */
import { sql, type Kysely } from 'kysely'
import type { DB } from '../src/db/schema.js'
import { loadDemoContent } from '../src/demo/load.js'
import { TEST_PASSWORD } from '../src/testing/app.js'
import { newCertificateCode } from '../src/learning/certificate-code.js'
import { insertBatches } from './lib.js'

export const LEARNERS = 10_000
const COURSES = 40
const COHORTS_PER_COURSE = 25
const PER_COHORT = 50
const FACULTIES = ['fac-qsir', 'fac-gsqia', 'fac-ghc-qihub', 'fac-pgp-quickstart']
const ORGS = ['org-icb', 'org-ghft', 'org-ghc', 'org-primary-care', 'org-lmns']
const LEVELS = ['awareness', 'foundation', 'practitioner', 'coach', 'expert', 'board']
const DAY = 86_400_000

/** Deterministic enrolment outcomes: past cohorts mostly completed, future ones filling with a short queue. */
function statusFor(past: boolean, j: number): string {
  if (!past) return j < 45 ? 'enrolled' : 'waitlisted'
  return j < 35 ? 'completed' : j < 40 ? 'not_completed' : j < 45 ? 'withdrawn' : 'enrolled'
}

export async function seed(db: Kysely<DB>): Promise<{ sessionId: string; enrolments: number }> {
  const now = Date.now()
  const at = new Date(now).toISOString()
  await loadDemoContent(db, { password: TEST_PASSWORD })
  const users = Array.from({ length: LEARNERS }, (_, i) => ({
    id: `bench-u${i}`,
    email: `bench.learner${i}@example.invalid`,
    name: `Bench Learner ${i}`,
    password_hash: null,
    organisation_id: ORGS[i % ORGS.length],
    affiliation: 'organisation',
    is_demo: true,
    email_verified_at: at,
    org_verified_at: at,
    org_verified_by: null,
    disabled_at: null,
    created_at: at,
    updated_at: at,
  }))
  await insertBatches(db, 'users', users)
  const leo = await db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('email', '=', 'leo.learner@example.invalid')
    .executeTakeFirstOrThrow()

  const courses = Array.from({ length: COURSES }, (_, c) => ({
    id: `bench-c${c}`,
    faculty_id: FACULTIES[c % FACULTIES.length],
    slug: `bench-course-${c}`,
    title: `Bench course ${c}`,
    summary: 'A synthetic course for the benchmark.',
    level: LEVELS[c % LEVELS.length],
    local_level: null,
    mode: ['in_person', 'online', 'blended'][c % 3],
    open_to_all: c % 2 === 0,
    eligible_org_ids: JSON.stringify(c % 2 === 0 ? [] : [ORGS[c % ORGS.length]]),
    eligible_roles: '[]',
    min_attendance_pct: 80,
    requires_project: false,
    requires_assessment: false,
    requires_approval: false,
    certificate_valid_months: null,
    published: true,
    is_demo: true,
    created_at: at,
    updated_at: at,
  }))
  await insertBatches(db, 'courses', courses)

  const cohorts: Record<string, unknown>[] = []
  const sessions: Record<string, unknown>[] = []
  const enrolments: Record<string, unknown>[] = []
  const attendance: Record<string, unknown>[] = []
  const certificates: Record<string, unknown>[] = []
  for (let c = 0; c < COURSES; c++) {
    for (let k = 0; k < COHORTS_PER_COURSE; k++) {
      const n = c * COHORTS_PER_COURSE + k
      const id = `bench-h${n}`
      // From two years ago to a year ahead, a fortnight apart per course.
      const start = now - 730 * DAY + k * 44 * DAY + c * DAY
      const past = start < now
      for (let s = 0; s < 3; s++) {
        const begins = new Date(start + s * 7 * DAY)
        sessions.push({
          id: `${id}-s${s}`,
          cohort_id: id,
          title: `Session ${s + 1}`,
          starts_at: begins.toISOString(),
          ends_at: new Date(begins.getTime() + 3 * 3600_000).toISOString(),
          venue: 'Bench venue',
          online_url: '',
          created_at: at,
          updated_at: at,
        })
      }
      cohorts.push({
        id,
        course_id: `bench-c${c}`,
        name: `Cohort ${k + 1}`,
        capacity: 45,
        enrolment_closes_at: new Date(start - 7 * DAY).toISOString(),
        venue: 'Bench venue',
        online_url: '',
        facilitators: 'Bench faculty',
        starts_at: new Date(start).toISOString(),
        ends_at: new Date(start + 14 * DAY + 3 * 3600_000).toISOString(),
        next_queue_no: PER_COHORT + 1,
        is_demo: true,
        created_at: at,
        updated_at: at,
      })
      for (let j = 0; j < PER_COHORT; j++) {
        const userId = `bench-u${(n * PER_COHORT + j * 7) % LEARNERS}`
        const status = statusFor(past, j)
        const eid = `${id}-e${j}`
        enrolments.push({
          id: eid,
          cohort_id: id,
          user_id: userId,
          status,
          queue_no: j + 1,
          requested_at: at,
          status_changed_at: at,
          completed_at: status === 'completed' ? new Date(start + 15 * DAY).toISOString() : null,
          is_demo: true,
        })
        if (past && status !== 'withdrawn')
          attendance.push({
            session_id: `${id}-s0`,
            enrolment_id: eid,
            present: j % 9 !== 0,
            marked_by: null,
            marked_at: at,
          })
        if (status === 'completed') {
          certificates.push({
            id: `${eid}-c`,
            enrolment_id: eid,
            user_id: userId,
            course_id: `bench-c${c}`,
            code: newCertificateCode(),
            person_name: `Bench Learner`,
            course_title: `Bench course ${c}`,
            faculty_name: 'Bench faculty',
            level: LEVELS[c % LEVELS.length],
            local_level: null,
            issued_at: new Date(start + 15 * DAY).toISOString(),
            expires_at: null,
          })
        }
      }
    }
  }
  // Leo has taken eleven courses: ten completed here, plus the demo's QSIR Practitioner place.
  for (let c = 0; c < 10; c++) {
    const id = `bench-h${c * COHORTS_PER_COURSE + 2}`
    const eid = `${id}-leo`
    enrolments.push({
      id: eid,
      cohort_id: id,
      user_id: leo.id,
      status: 'completed',
      queue_no: PER_COHORT + 1,
      requested_at: at,
      status_changed_at: at,
      completed_at: at,
      is_demo: true,
    })
    certificates.push({
      id: `${eid}-c`,
      enrolment_id: eid,
      user_id: leo.id,
      course_id: `bench-c${c}`,
      code: newCertificateCode(),
      person_name: leo.name,
      course_title: `Bench course ${c}`,
      faculty_name: 'Bench faculty',
      level: LEVELS[c % LEVELS.length],
      local_level: null,
      issued_at: at,
      expires_at: null,
    })
  }
  await insertBatches(db, 'cohorts', cohorts)
  await insertBatches(db, 'cohort_sessions', sessions)
  await insertBatches(db, 'enrolments', enrolments)
  await insertBatches(db, 'attendance', attendance)
  await insertBatches(db, 'certificates', certificates)
  const count = (statuses: string[]) =>
    sql`(select count(*) from enrolments e where e.cohort_id = cohorts.id and e.status in (${sql.join(statuses)}))`
  await db
    .updateTable('cohorts')
    .set({
      enrolled_count: count(['enrolled', 'completed', 'not_completed']) as never,
      waitlisted_count: count(['waitlisted']) as never,
    })
    .where('id', 'like', 'bench-%')
    .execute()
  await sql`analyze`.execute(db)
  // A QSIR cohort that has run: its first session's register lists 45 learners.
  return { sessionId: 'bench-h0-s0', enrolments: enrolments.length }
}
