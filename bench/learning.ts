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
import { cookieOf, loadInChild, onBothDatabases, serve } from './lib.js'

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
  // Warm up (JIT, template cache, and the garbage the seeding left) before anything is timed.
  for (const route of routes) {
    for (let i = 0; i < 200; i++)
      await app.inject({ url: route.path, headers: route.cookie ? { cookie: route.cookie } : {} })
  }
  const lines: string[] = []
  try {
    for (const route of routes) {
      const cpu = process.cpuUsage()
      const r = await loadInChild(`${address}${route.path}`, route.cookie, DURATION)
      const used = process.cpuUsage(cpu)
      // The server's own CPU time per request: what the route costs, whatever else the machine runs.
      const cpuMs = (used.user + used.system) / 1000 / Math.max(1, r.requests)
      const verdict = r.p95 < 100 && r.errors === 0 ? 'ok' : 'OVER TARGET'
      lines.push(
        `${name.padEnd(9)} ${route.label.padEnd(10)} ${String(r.requests).padStart(6)} req ${String(r.rps).padStart(5)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  cpu ${cpuMs.toFixed(1).padStart(4)} ms/req  errors ${r.errors}  ${verdict}`,
      )
    }
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
