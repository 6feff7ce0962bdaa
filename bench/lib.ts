/**
 * What the benchmarks share: one seeded random generator, one way to serve the app, a typed
 * autocannon, exact percentiles from every response time, the server's CPU per response, a text
 * table, and running one benchmark on a fresh SQLite file and a fresh PostgreSQL schema (dropped
 * afterwards).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import pg from 'pg'
// @ts-expect-error autocannon ships no type declarations; the little used here is typed below.
import autocannonUntyped from 'autocannon'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../src/config.js'
import { openDatabase, type Database } from '../src/db/database.js'
import type { Services } from '../src/app.js'
import type { Kysely } from 'kysely'
import type { DB } from '../src/db/schema.js'

/**
 * Deterministic pseudo-random numbers in [0, 1) (mulberry32), so every run measures the same data.
 * @example const rnd = random(42); rnd() // 0.6011037519201636, the same on every run
 */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Served {
  app: FastifyInstance
  /** The app's services (a benchmark that times a background job runs it through them). */
  services: Services
  /** http://127.0.0.1:PORT, without a trailing slash. */
  url: string
  close: () => Promise<void>
}

/**
 * Builds the app on `database` and listens on 127.0.0.1 and a free port. With `child: true` (a
 * server process forked by the benchmark, as in production: its own process and event loop), it
 * also talks to the parent over IPC: it sends `{ port }` once listening, answers `'cpu'` with
 * `{ cpuMicros }` (see serverCpu) and on `'stop'` closes the app and the database and exits.
 */
export async function serve(
  config: Config,
  database: Database,
  options: { child?: boolean } = {},
): Promise<Served> {
  // Imported here, so that the SPC benchmark, which needs only random(), does not load the app.
  const { buildApp } = await import('../src/app.js')
  const { app, services } = await buildApp({ config, database })
  // As src/server.ts does: the background worker runs in the instance when the config says so.
  const worker = config.worker ? (await import('../src/worker.js')).startWorker(services, app.log) : null
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  const served = {
    app,
    services,
    url,
    close: async () => {
      await worker?.stop()
      await app.close()
    },
  }
  if (options.child) {
    const send = process.send?.bind(process)
    if (!send) throw new Error('serve({ child: true }) needs a process forked with an IPC channel')
    const address = app.server.address()
    send({ port: typeof address === 'object' && address ? address.port : 0 })
    process.on('message', (message) => {
      if (message === 'cpu') {
        const { user, system } = process.cpuUsage()
        send({ cpuMicros: user + system })
        return
      }
      if (message !== 'stop') return
      void served
        .close()
        .then(() => database.destroy())
        .then(() => process.exit(0))
    })
  }
  return served
}

export interface AutocannonResult {
  duration: number
  errors: number
  timeouts: number
  non2xx: number
  requests: { average: number; total: number }
  latency: { p50: number; p90: number; p99: number }
}
export interface AutocannonInstance extends Promise<AutocannonResult> {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void,
  ): void
}
export const autocannon = autocannonUntyped as (options: {
  url: string
  connections: number
  duration: number
  headers?: Record<string, string>
}) => AutocannonInstance

export const BENCH_PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** The p-th percentile of sorted values (nearest rank); NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/**
 * Drives one URL for `seconds` and keeps every response's time (a non-200 answer counts as
 * infinitely slow), for exact percentiles.
 */
export async function loadTimes(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  connections = 10,
) {
  const times: number[] = []
  const instance = autocannon({ url, connections, duration: seconds, headers })
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

/** A server child process's CPU time so far (user + system), in microseconds; it answers 'cpu' messages. */
export function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      if (typeof m === 'object' && m !== null && 'cpuMicros' in m) {
        child.off('message', onMessage)
        resolve((m as { cpuMicros: number }).cpuMicros)
      }
    }
    child.on('message', onMessage)
    child.send('cpu')
  })
}

export interface PageRow {
  label: string
  path: string
  rps: number
  p50: number
  p95: number
  p99: number
  /** autocannon's own (bucketed) percentiles, for comparison. */
  acP50: number
  acP90: number
  acP99: number
  /** Server CPU (user + system) per response, in ms: robust to other load on the machine. */
  cpuPerRequest: number
  errors: number
  non2xx: number
  bytes: number
}

/** A 1 s warm-up not counted, then `seconds` of load on one page, with the server's CPU per response. */
export async function measurePage(
  child: ChildProcess,
  options: {
    base: string
    label: string
    path: string
    headers: Record<string, string>
    connections: number
    seconds: number
  },
): Promise<PageRow> {
  const url = options.base + options.path
  const { connections, headers } = options
  await autocannon({ url, connections, duration: 1, headers })
  const cpuBefore = await serverCpu(child)
  const times: number[] = []
  let bytes = 0
  const instance = autocannon({ url, connections, duration: options.seconds, headers })
  instance.on('response', (_client, _status, resBytes, ms) => {
    times.push(ms)
    bytes = resBytes
  })
  const result = await instance
  const cpuMs = ((await serverCpu(child)) - cpuBefore) / 1000
  const sorted = Float64Array.from(times).sort()
  return {
    label: options.label,
    path: options.path,
    rps: result.requests.average,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    acP50: result.latency.p50,
    acP90: result.latency.p90,
    acP99: result.latency.p99,
    cpuPerRequest: cpuMs / Math.max(times.length, 1),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    bytes,
  }
}

/** The rows as a text table; `target` adds a column saying whether p95 is under it. */
export function pageTable(rows: PageRow[], target?: number): string {
  const head = [
    'page',
    'path',
    'req/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'CPU ms/req',
    'errors',
    'non-2xx',
    'KiB',
  ]
  if (target !== undefined) head.push(`p95 < ${target}`)
  const body = rows.map((r) => [
    r.label,
    r.path,
    r.rps.toFixed(0),
    r.p50.toFixed(1),
    r.p95.toFixed(1),
    r.p99.toFixed(1),
    r.cpuPerRequest.toFixed(2),
    String(r.errors),
    String(r.non2xx),
    (r.bytes / 1024).toFixed(1),
    ...(target !== undefined ? [r.p95 < target ? 'yes' : 'NO'] : []),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)))
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')
}

/**
 * Runs a benchmark on a fresh SQLite file, then on a fresh PostgreSQL schema (BENCH_PG_URL),
 * removing both afterwards; returns the lines each run printed.
 */
export async function onBothDatabases(
  name: string,
  run: (dialect: 'sqlite' | 'postgres', database: Database) => Promise<string[]>,
): Promise<string[]> {
  const out: string[] = []
  const dir = mkdtempSync(path.join(tmpdir(), `bench-${name}-`))
  const sqlite = await openDatabase({ sqliteFile: path.join(dir, 'bench.sqlite') })
  try {
    out.push(...(await run('sqlite', sqlite)))
  } finally {
    await sqlite.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
  const schema = `bench_${name}_${process.pid}`
  const postgres = await openDatabase({ databaseUrl: BENCH_PG_URL, pgSchema: schema, pgPoolSize: 10 })
  try {
    out.push(...(await run('postgres', postgres)))
  } finally {
    await postgres.destroy()
    const client = new pg.Client({ connectionString: BENCH_PG_URL })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
  }
  return out
}

/**
 * `loadTimes` in a child process (bench/load-child.ts), so the load generator does not share the
 * server's one JavaScript thread and inflate its latencies; `seconds` long, with this cookie.
 */
export function loadInChild(
  url: string,
  cookie: string,
  seconds: number,
): Promise<Awaited<ReturnType<typeof loadTimes>>> {
  const script = fileURLToPath(new URL('./load-child.ts', import.meta.url))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, url], {
      env: { ...process.env, BENCH_COOKIE: cookie, BENCH_SECONDS: String(seconds) },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as Awaited<ReturnType<typeof loadTimes>>)
        : reject(new Error(`load generator exited with ${code}`)),
    )
  })
}

/** The cookie header of a member signed in through the sign-in form (the demo password). */
export async function cookieOf(app: FastifyInstance, email: string): Promise<string> {
  const { TestBrowser } = await import('../src/testing/app.js')
  const browser = new TestBrowser(app)
  await browser.signIn(email)
  return [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
}

export interface TimedRoute {
  label: string
  path: string
  /** The signed-in person's cookie header, or '' for a visitor. */
  cookie: string
}

/**
 * Warms each route up in process (JIT, template cache, the garbage seeding left), then drives each
 * with `loadInChild` and returns one line per route: requests, req/s, p50/p95/p99, the server's own
 * CPU per request (what the route costs, whatever else the machine runs) and the verdict against
 * the p95 target. Every route must answer 200 before it is timed.
 */
export async function timeRoutes(
  served: { app: FastifyInstance; url: string },
  routes: TimedRoute[],
  options: { name: string; seconds: number; warmups: number; targetMs?: number; labelWidth?: number },
): Promise<string[]> {
  const headersOf = (route: TimedRoute) => (route.cookie ? { cookie: route.cookie } : {})
  for (const route of routes) {
    const res = await served.app.inject({ url: route.path, headers: headersOf(route) })
    if (res.statusCode !== 200) throw new Error(`${route.path} answered ${res.statusCode}`)
    for (let i = 0; i < options.warmups; i++)
      await served.app.inject({ url: route.path, headers: headersOf(route) })
  }
  const target = options.targetMs ?? 100
  const lines: string[] = []
  for (const route of routes) {
    const cpu = process.cpuUsage()
    const r = await loadInChild(`${served.url}${route.path}`, route.cookie, options.seconds)
    const used = process.cpuUsage(cpu)
    const cpuMs = (used.user + used.system) / 1000 / Math.max(1, r.requests)
    const verdict = r.p95 < target && r.errors === 0 ? 'ok' : 'OVER TARGET'
    lines.push(
      `${options.name.padEnd(9)} ${route.label.padEnd(options.labelWidth ?? 10)} ${String(r.requests).padStart(6)} req ${String(r.rps).padStart(5)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  cpu ${cpuMs.toFixed(1).padStart(5)} ms/req  errors ${r.errors}  ${verdict}`,
    )
  }
  return lines
}

/**
 * PostgreSQL's planner statistics after a bulk load, as autovacuum gathers them after a load
 * this size: a benchmark that served the freshly loaded schema straight away would time plans
 * no running instance uses. (SQLite is left without statistics, as the app runs it: with them
 * its planner chose a slower plan for the project list's text search.)
 */
export async function analyzeAfterLoad(database: Database): Promise<void> {
  if (database.dialect === 'postgres') await sql`analyze`.execute(database.db)
}

/** Inserts rows in batches of `size` (one statement each), for seeding large sets quickly. */
export async function insertBatches<T extends keyof DB>(
  db: Kysely<DB>,
  table: T,
  rows: object[],
  size = 400,
) {
  for (let i = 0; i < rows.length; i += size)
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute()
}
