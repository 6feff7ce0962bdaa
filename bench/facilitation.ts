/**
 * `npm run bench:facilitation`: the triage queue and the pipeline under load.
 * Seeds 5,000 support requests (with priorities, decisions and QI specialists' hours) and
 * 200 events of 200 registrations, then drives GET /support/triage and GET /support/pipeline
 * with autocannon at 10 connections as a signed-in Steering Group member, on SQLite (a file)
 * and PostgreSQL (a fresh schema in postgres://postgres@127.0.0.1:5432/test, dropped afterwards).
 * Prints p50/p95/p99 from every response's time; the target is p95 under 100 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { buildApp } from '../src/app.js'
import { openDatabase, type Database } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { testConfig, TestBrowser } from '../src/testing/app.js'
import { EVENTS, PER_EVENT, REQUESTS, seed } from './facilitation-seed.js'

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
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

async function load(
  url: string,
  cookie: string,
): Promise<{ requests: number; rps: number; p50: number; p95: number; p99: number; errors: number }> {
  const times: number[] = []
  const instance = autocannon({ url, connections: 10, duration: DURATION, headers: { cookie } })
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

async function run(name: string, database: Database): Promise<string[]> {
  const t0 = Date.now()
  await migrateToLatest(database)
  await seed(database.db)
  const seeded = ((Date.now() - t0) / 1000).toFixed(1)
  const config = testConfig({ BASE_URL: 'http://127.0.0.1' })
  const { app } = await buildApp({ config, database })
  const browser = new TestBrowser(app)
  await browser.signIn('cara.cycle@example.invalid')
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const lines: string[] = []
  try {
    // /about is the foundation's plainest page: a reference for what the machine gives any page.
    for (const route of ['/support/triage', '/support/pipeline', '/about']) {
      const r = await load(`${address}${route}`, cookie)
      const verdict = r.p95 < 100 && r.errors === 0 ? 'ok' : 'OVER TARGET'
      lines.push(
        `${name.padEnd(10)} ${route.padEnd(18)} ${String(r.requests).padStart(6)} req ${String(r.rps).padStart(5)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  errors ${r.errors}  ${verdict}`,
      )
    }
  } finally {
    await app.close()
  }
  return [
    `${name}: seeded ${REQUESTS} requests and ${EVENTS}×${PER_EVENT} registrations in ${seeded} s`,
    ...lines,
  ]
}

const out: string[] = []
const dir = mkdtempSync(path.join(tmpdir(), 'bench-facilitation-'))
const sqlite = await openDatabase({ sqliteFile: path.join(dir, 'bench.sqlite') })
try {
  out.push(...(await run('sqlite', sqlite)))
} finally {
  await sqlite.destroy()
  rmSync(dir, { recursive: true, force: true })
}

const schema = `bench_facilitation_${process.pid}`
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
  `\nFacilitation benchmark: ${DURATION} s per route, 10 connections, target p95 < 100 ms\n${out.join('\n')}\n`,
)
