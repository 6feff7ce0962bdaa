/**
 * `npm run bench:learning`: learning pages with 50,000 enrolments.
 * Seeds 10,000 synthetic learners, 40 courses, 1,000 cohorts of 3 sessions and 50 enrolments
 * each (with attendance for first sessions and certificates for completions), in batches; then
 * drives the public catalogue (GET /learning), a session's register (faculty admin) and a
 * person's training record (Leo, 11 courses) with autocannon at 10 connections, on SQLite (a
 * file) and PostgreSQL (a fresh schema in postgres://postgres@127.0.0.1:5432/test, dropped
 * afterwards). p50/p95/p99 come from every response's time; the target is p95 under 100 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { sql, type Kysely } from 'kysely'
import pg from 'pg'
import { buildApp } from '../src/app.js'
import { openDatabase, type Database } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import type { DB } from '../src/db/schema.js'
import { loadDemoContent } from '../src/demo/load.js'
import { newCertificateCode } from '../src/learning/certificate-code.js'
import { TEST_PASSWORD, testConfig, TestBrowser } from '../src/testing/app.js'

/** The little of autocannon this script uses (the package ships no types). */
interface Autocannon extends PromiseLike<{ requests: { average: number }; non2xx: number; errors: number }> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string
  connections: number
  duration: number
  headers: Record<string, string>
}) => Autocannon

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
const LEARNERS = 10_000
const COURSES = 40
const COHORTS_PER_COURSE = 25
const PER_COHORT = 50
const FACULTIES = ['fac-qsir', 'fac-gsqia', 'fac-ghc-qihub', 'fac-pgp-quickstart']
const ORGS = ['org-icb', 'org-ghft', 'org-ghc', 'org-primary-care', 'org-lmns']
const LEVELS = ['awareness', 'foundation', 'practitioner', 'coach', 'expert', 'board']
const DAY = 86_400_000

async function insertBatches<T extends keyof DB>(
  db: Kysely<DB>,
  table: T,
  rows: Record<string, unknown>[],
  size = 500,
) {
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute()
  }
}

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

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

async function load(url: string, cookie: string) {
  const times: number[] = []
  const instance = autocannon({ url, connections: 10, duration: DURATION, headers: cookie ? { cookie } : {} })
  instance.on('response', (_client, status, _bytes, ms) => {
    times.push(status === 200 ? ms : Infinity)
  })
  const result = await instance
  times.sort((a, b) => a - b)
  return {
    requests: times.length,
    rps: Math.round(result.requests.average),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    errors: result.non2xx + result.errors,
  }
}

async function cookieOf(app: Awaited<ReturnType<typeof buildApp>>['app'], email: string): Promise<string> {
  const browser = new TestBrowser(app)
  await browser.signIn(email)
  return [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
}

async function run(name: string, database: Database): Promise<string[]> {
  const t0 = Date.now()
  await migrateToLatest(database)
  const { sessionId, enrolments } = await seed(database.db)
  const seeded = ((Date.now() - t0) / 1000).toFixed(1)
  const { app } = await buildApp({ config: testConfig({ BASE_URL: 'http://127.0.0.1' }), database })
  const routes = [
    { label: 'catalogue', path: '/learning', cookie: '' },
    {
      label: 'register',
      path: `/learning/sessions/${sessionId}/register`,
      cookie: await cookieOf(app, 'dev.driver@example.invalid'),
    },
    { label: 'record', path: '/learning/record', cookie: await cookieOf(app, 'leo.learner@example.invalid') },
  ]
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const lines: string[] = []
  try {
    for (const route of routes) {
      const r = await load(`${address}${route.path}`, route.cookie)
      const verdict = r.p95 < 100 && r.errors === 0 ? 'ok' : 'OVER TARGET'
      lines.push(
        `${name.padEnd(9)} ${route.label.padEnd(10)} ${String(r.requests).padStart(6)} req ${String(r.rps).padStart(5)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  errors ${r.errors}  ${verdict}`,
      )
    }
  } finally {
    await app.close()
  }
  return [
    `${name}: seeded ${LEARNERS.toLocaleString('en-GB')} learners and ${enrolments.toLocaleString('en-GB')} enrolments in ${seeded} s`,
    ...lines,
  ]
}

export async function main() {
  const out: string[] = []
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-learning-'))
  const sqlite = await openDatabase({ sqliteFile: path.join(dir, 'bench.sqlite') })
  try {
    out.push(...(await run('sqlite', sqlite)))
  } finally {
    await sqlite.destroy()
    rmSync(dir, { recursive: true, force: true })
  }

  const schema = `bench_learning_${process.pid}`
  const postgres = await openDatabase({ databaseUrl: PG_URL, pgSchema: schema, pgPoolSize: 10 })
  try {
    out.push(...(await run('postgres', postgres)))
  } finally {
    await postgres.destroy()
    const client = new pg.Client({ connectionString: PG_URL })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
  }

  process.stdout.write(
    `\nLearning benchmark: ${DURATION} s per route, 10 connections, target p95 < 100 ms\n${out.join('\n')}\n`,
  )
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
