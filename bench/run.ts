/**
 * `npm run bench`: HTTP throughput and latency of the main pages on SQLite.
 *
 * Builds a temporary DATA_DIR with the demo content and 10,000 synthetic verified members,
 * starts the app in a child process (as in production: its own process and event loop,
 * logging off, no worker) on 127.0.0.1 and a free port, then runs autocannon in this
 * process against each page: a 1 s warm-up that is not counted, then 8 s at 10 connections.
 *
 * Latency percentiles are exact: every response's time (autocannon's `response` event)
 * is kept and sorted; autocannon's own summary has p90, p97.5 and p99 but no p95.
 *
 * Environment: BENCH_SECONDS (default 8), BENCH_CONNECTIONS (10), BENCH_MEMBERS (10000),
 * BENCH_PROFILE=1 writes a V8 CPU profile of the server to the temp dir and prints its
 * hottest functions.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
// @ts-expect-error autocannon ships no type declarations; the little used here is typed below.
import autocannonUntyped from 'autocannon'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { loadDemoContent } from '../src/demo/load.js'
import { seedMembers } from './seed-members.js'

interface AutocannonResult {
  duration: number
  errors: number
  timeouts: number
  non2xx: number
  requests: { average: number; total: number }
  latency: { p50: number; p90: number; p99: number }
  statusCodeStats: Record<string, { count: number }>
}
interface AutocannonInstance extends Promise<AutocannonResult> {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void,
  ): void
}
const autocannon = autocannonUntyped as (options: {
  url: string
  connections: number
  duration: number
  headers?: Record<string, string>
}) => AutocannonInstance

const PASSWORD = 'bench-password-2026'
const SESSION_SECRET = 'b'.repeat(48)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000)
const SEARCH = 'smith'
const SKILL = 'run charts'

function serverConfig(dataDir: string) {
  return loadConfig(
    {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      SESSION_SECRET,
      DEMO_PASSWORD: PASSWORD,
      WORKER: '0',
    },
    { persistSecret: false },
  )
}

/** Child process: the app alone, on the prepared database, until the parent says stop. */
async function serve(dataDir: string) {
  const config = serverConfig(dataDir)
  const database = await openDatabase({ sqliteFile: path.join(dataDir, 'qi.sqlite') })
  const { app } = await buildApp({ config, database })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 })
  process.on('message', (message) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage()
      process.send!({ cpuMicros: user + system })
      return
    }
    if (message !== 'stop') return
    void app
      .close()
      .then(() => database.destroy())
      .then(() => process.exit(0))
  })
}

async function prepare(dataDir: string) {
  const database = await openDatabase({ sqliteFile: path.join(dataDir, 'qi.sqlite') })
  try {
    await migrateToLatest(database)
    await loadDemoContent(database.db, { password: PASSWORD })
    const seeded = await seedMembers(database.db, { count: MEMBERS })
    await sql`analyze`.execute(database.db)
    const { db } = database
    const listed = db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('in_directory', '=', true)
      .where('email_verified_at', 'is not', null)
      .where('disabled_at', 'is', null)
    const n = async (q: typeof listed) => Number((await q.executeTakeFirstOrThrow()).n)
    const users = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const version = await sql<{ v: string }>`select sqlite_version() as v`.execute(db)
    return {
      seeded,
      users: Number(users.n),
      inDirectory: await n(listed),
      searchMatches: await n(listed.where(sql<boolean>`lower(search_text) like ${`%${SEARCH}%`}`)),
      skillMatches: await n(
        listed.where('share_skills', '=', true).where(sql<boolean>`lower(skills) like ${`%${SKILL}%`}`),
      ),
      sqlite: version.rows[0]?.v ?? '?',
    }
  } finally {
    await database.destroy()
  }
}

/** Signs in as a demo member the way a browser does and returns the cookie header. */
async function signIn(base: string, email: string): Promise<string> {
  const form = await fetch(`${base}/sign-in`)
  const csrfCookie = form.headers
    .getSetCookie()
    .find((c) => c.startsWith('qi_csrf='))!
    .split(';')[0]
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? ''
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ _csrf: token, email, password: PASSWORD, next: '/' }).toString(),
  })
  const session = res.headers.getSetCookie().find((c) => c.startsWith('qi_session='))
  if (res.status !== 303 || !session) throw new Error(`bench sign-in failed: ${res.status}`)
  return `${csrfCookie}; ${session.split(';')[0]}`
}

interface Row {
  label: string
  path: string
  rps: number
  p50: number
  p95: number
  p99: number
  acP50: number
  acP90: number
  acP99: number
  /** Server CPU (user + system) per response, in ms: robust to other load on the machine. */
  cpuPerRequest: number
  errors: number
  non2xx: number
  bytes: number
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** The server process's CPU time so far (user + system), in microseconds. */
function serverCpu(child: ChildProcess): Promise<number> {
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

async function measure(
  child: ChildProcess,
  base: string,
  label: string,
  pagePath: string,
  headers: Record<string, string> = {},
): Promise<Row> {
  const url = base + pagePath
  await autocannon({ url, connections: CONNECTIONS, duration: 1, headers })
  const cpuBefore = await serverCpu(child)
  const times: number[] = []
  let bytes = 0
  const instance = autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers })
  instance.on('response', (_client, _status, resBytes, ms) => {
    times.push(ms)
    bytes = resBytes
  })
  const result = await instance
  const cpuMs = ((await serverCpu(child)) - cpuBefore) / 1000
  const sorted = Float64Array.from(times).sort()
  return {
    label,
    path: pagePath,
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

function table(rows: Row[]): string {
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
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)))
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')
}

/** The functions with most self time in a V8 .cpuprofile (sampled), as lines of text. */
function hottest(profileFile: string, top = 15): string {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]
    samples: number[]
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  for (const id of profile.samples) {
    const frame = byId.get(id)!.callFrame
    const where = frame.url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '')
    const key = `${frame.functionName || '(anonymous)'} ${where ? `${path.relative(process.cwd(), where) || where}:${frame.lineNumber + 1}` : ''}`
    self.set(key, (self.get(key) ?? 0) + 1)
  }
  const total = profile.samples.length
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, n]) => `${((100 * n) / total).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n')
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qi-bench-'))
  const profile = process.env.BENCH_PROFILE === '1'
  try {
    const cpus = os.cpus()
    process.stdout.write(
      [
        `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.arch()}`,
        `node ${process.version}; load average before: ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
        '',
      ].join('\n'),
    )
    const facts = await prepare(dataDir)
    process.stdout.write(
      `database: SQLite ${facts.sqlite} file in ${dataDir}; ${facts.users} users (${facts.inDirectory} listed in the directory); ` +
        `seeded ${facts.seeded.inserted} members in ${(facts.seeded.ms / 1000).toFixed(2)} s\n` +
        `"${SEARCH}" matches ${facts.searchMatches} members; skill "${SKILL}" matches ${facts.skillMatches}\n`,
    )

    const child = fork(fileURLToPath(import.meta.url), ['serve', dataDir], {
      execArgv: ['--import', 'tsx', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${dataDir}`] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { port: number }).port))
      child.once('exit', (code) => reject(new Error(`server exited (${code})`)))
    })
    const base = `http://127.0.0.1:${port}`
    process.stdout.write(
      `server: child process ${child.pid} at ${base}; autocannon ${CONNECTIONS} connections, 1 s warm-up + ${SECONDS} s per page\n\n`,
    )

    const cookie = await signIn(base, 'ben.baseline@example.invalid')
    const targets: [string, string, Record<string, string>?][] = [
      ['health check (framework ceiling)', '/healthz'],
      ['home page', '/'],
      ['directory, first page', '/people'],
      ['directory search', `/people?q=${encodeURIComponent(SEARCH)}`],
      ['directory by skill', `/people?skill=${encodeURIComponent(SKILL)}`],
      ['directory, signed in', '/people', { cookie }],
    ]
    const rows: Row[] = []
    for (const [label, pagePath, headers] of targets) {
      rows.push(await measure(child, base, label, pagePath, headers))
      process.stderr.write(`  measured ${pagePath}\n`)
    }
    child.send('stop')
    await new Promise((resolve) => child.once('exit', resolve))

    process.stdout.write(`${table(rows)}\n`)
    process.stdout.write(
      `load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n\n`,
    )
    process.stdout.write(
      "p50/p95/p99: exact, from every response time. CPU ms/req: the server process's user + system CPU\n" +
        'time over the measured run divided by its responses (little affected by other load, unlike latency).\n' +
        "autocannon's own histogram (whole ms, 2xx only) for comparison:\n" +
        rows.map((r) => `  ${r.path}: p50 ${r.acP50} ms, p90 ${r.acP90} ms, p99 ${r.acP99} ms`).join('\n') +
        '\n',
    )
    if (profile) {
      const file = readdirSync(dataDir).find((f) => f.endsWith('.cpuprofile'))
      if (file)
        process.stdout.write(
          `\nserver CPU profile (self time, whole run):\n${hottest(path.join(dataDir, file))}\n`,
        )
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (process.argv[2] === 'serve') await serve(process.argv[3])
else await main()
