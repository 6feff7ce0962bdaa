/**
 * `npm run bench:facilitation`: the triage queue and the pipeline under load.
 * Seeds 5,000 support requests (with priorities, decisions and QI specialists' hours) and
 * 200 events of 200 registrations, then drives GET /support/triage and GET /support/pipeline
 * with autocannon at 10 connections as a signed-in Steering Group member, on SQLite (a file)
 * and PostgreSQL (a fresh schema in postgres://postgres@127.0.0.1:5432/test, dropped afterwards).
 * Prints p50/p95/p99 from every response's time; the target is p95 under 100 ms.
 */
import type { Database } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { testConfig, TestBrowser } from '../src/testing/app.js'
import { EVENTS, PER_EVENT, REQUESTS, seed } from './facilitation-seed.js'
import { loadTimes, onBothDatabases, serve } from './lib.js'

const DURATION = Number(process.env.BENCH_SECONDS ?? 10)

async function run(name: string, database: Database): Promise<string[]> {
  const t0 = Date.now()
  await migrateToLatest(database)
  await seed(database.db)
  const seeded = ((Date.now() - t0) / 1000).toFixed(1)
  const config = testConfig({ BASE_URL: 'http://127.0.0.1' })
  const { app, url: address, close } = await serve(config, database)
  const browser = new TestBrowser(app)
  await browser.signIn('cara.cycle@example.invalid')
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const lines: string[] = []
  try {
    // /about is the foundation's plainest page: a reference for what the machine gives any page.
    for (const route of ['/support/triage', '/support/pipeline', '/about']) {
      const r = await loadTimes(`${address}${route}`, { cookie }, DURATION)
      const verdict = r.p95 < 100 && r.errors === 0 ? 'ok' : 'OVER TARGET'
      lines.push(
        `${name.padEnd(10)} ${route.padEnd(18)} ${String(r.requests).padStart(6)} req ${String(r.rps).padStart(5)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  errors ${r.errors}  ${verdict}`,
      )
    }
  } finally {
    await close()
  }
  return [
    `${name}: seeded ${REQUESTS} requests and ${EVENTS}×${PER_EVENT} registrations in ${seeded} s`,
    ...lines,
  ]
}

const out = await onBothDatabases('facilitation', run)

process.stdout.write(
  `\nFacilitation benchmark: ${DURATION} s per route, 10 connections, target p95 < 100 ms\n${out.join('\n')}\n`,
)
