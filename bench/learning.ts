/**
 * `npm run bench:learning`: learning pages with 50,000 enrolments.
 * Seeds 10,000 synthetic learners, 40 courses, 1,000 cohorts of 3 sessions and 50 enrolments
 * each (with attendance for first sessions and certificates for completions), in batches; then
 * drives the public catalogue (GET /learning), a session's register (faculty admin) and a
 * person's training record (Leo, 11 courses) with autocannon at 10 connections, on SQLite (a
 * file) and PostgreSQL (a fresh schema in postgres://postgres@127.0.0.1:5432/test, dropped
 * afterwards). autocannon runs in a child process; p50/p95/p99 come from every response's time
 * (a non-200 answer counts as infinitely slow). The target is p95 under 100 ms.
 */
import os from 'node:os'
import { pathToFileURL } from 'node:url'
import type { Database } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { LEARNERS, seed } from './learning-seed.js'
import { testConfig } from '../src/testing/app.js'
import { cookieOf, onBothDatabases, serve, timeRoutes } from './lib.js'

const DURATION = Number(process.env.BENCH_SECONDS ?? 10)

async function run(name: string, database: Database): Promise<string[]> {
  const t0 = Date.now()
  await migrateToLatest(database)
  const { sessionId, enrolments } = await seed(database.db)
  const seeded = ((Date.now() - t0) / 1000).toFixed(1)
  const { app, url: address, close } = await serve(testConfig({ BASE_URL: 'http://127.0.0.1' }), database)
  const routes = [
    { label: 'catalogue', path: '/learning', cookie: '' },
    {
      label: 'register',
      path: `/learning/sessions/${sessionId}/register`,
      cookie: await cookieOf(app, 'dev.driver@example.invalid'),
    },
    { label: 'record', path: '/learning/record', cookie: await cookieOf(app, 'leo.learner@example.invalid') },
  ]
  let lines: string[]
  try {
    lines = await timeRoutes({ app, url: address }, routes, {
      name,
      seconds: DURATION,
      warmups: 200,
      labelWidth: 10,
    })
  } finally {
    await close()
  }
  return [
    `${name}: seeded ${LEARNERS.toLocaleString('en-GB')} learners and ${enrolments.toLocaleString('en-GB')} enrolments in ${seeded} s`,
    ...lines,
  ]
}

export async function main() {
  const out = await onBothDatabases('learning', run)

  const loadAverage = os.loadavg()[0].toFixed(1)
  process.stdout.write(
    `\nLearning benchmark (load average ${loadAverage} on ${os.cpus().length} CPUs): ${DURATION} s per route, 10 connections, target p95 < 100 ms\n${out.join('\n')}\n`,
  )
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
