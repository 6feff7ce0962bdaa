/**
 * `npm run bench:load`: a community at its busiest moment (issue 16). N signed-in members (their
 * sessions made up front, so sign-in rate limits are not what is measured) browse a realistic
 * mix (home, project and measure pages, lists, courses, the directory, now and then a comment)
 * with 0.5–2.5 s of think time between pages, for a fixed time, against one or more app
 * instances on one database, requests spread round-robin as a load balancer would. It reports
 * requests per second, p50 / p95 / p99 per page kind and per instance, errors, each instance's
 * CPU ms per request and the load average; then each page kind's CPU alone against the bare
 * layout's (`cpuPerKind`). Loopback only; bounded in time and count.
 *
 *   LOAD_MEMBERS=200 LOAD_SECONDS=60 npm run bench:load            PostgreSQL, 2 instances, then SQLite, 1
 *   npm run bench:load -- --db postgres --instances 2 --members 50
 */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import http from 'node:http'
import { SessionStore } from '../src/auth/sessions.js'
import { loadConfig } from '../src/config.js'
import { openDatabase, type Database } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { loadDemoContent } from '../src/demo/load.js'
import { BENCH_PG_URL, percentile, random, serve, serverCpu } from './lib.js'
import { seedMembers } from './seed-members.js'

type Dialect = 'sqlite' | 'postgres'

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : fallback
}

const MEMBERS = Number(arg('members', process.env.LOAD_MEMBERS ?? '200'))
const SECONDS = Math.min(Number(arg('seconds', process.env.LOAD_SECONDS ?? '60')), 600)
const SESSION_SECRET = 'l'.repeat(48)
/** Every member stops after this many pages, so a run is bounded in count as well as time. */
const MAX_PAGES_PER_MEMBER = 2_000

/** The mix: page kinds with their weights (how often a member goes there). */
const MIX: { kind: string; weight: number; path: (rnd: () => number) => string }[] = [
  { kind: 'home', weight: 14, path: () => '/' },
  { kind: 'project list', weight: 12, path: () => '/projects' },
  {
    kind: 'project list, searched',
    weight: 5,
    path: (rnd) => `/projects?q=${['discharge', 'falls', 'referral', 'sepsis'][Math.floor(rnd() * 4)]}`,
  },
  {
    kind: 'project page',
    weight: 16,
    path: (rnd) => `/projects/${rnd() < 0.5 ? 'demo-project-discharge' : 'demo-project-referrals'}`,
  },
  { kind: "project's measures", weight: 6, path: () => '/projects/demo-project-discharge/measures' },
  {
    kind: 'measure page',
    weight: 14,
    path: (rnd) =>
      `/measures/${['demo-measure-discharge-noon', 'demo-measure-discharge-letters', 'demo-measure-discharge-los'][Math.floor(rnd() * 3)]}`,
  },
  { kind: 'courses', weight: 8, path: () => '/learning' },
  { kind: 'course page', weight: 6, path: () => '/learning/courses/qsir-fundamentals' },
  { kind: 'directory', weight: 5, path: () => '/people' },
  { kind: 'events', weight: 4, path: () => '/events' },
  { kind: 'comment (GET + POST)', weight: 2, path: () => '/projects/demo-project-discharge' },
]
const TOTAL_WEIGHT = MIX.reduce((n, m) => n + m.weight, 0)

function pickKind(rnd: () => number) {
  let x = rnd() * TOTAL_WEIGHT
  for (const m of MIX) if ((x -= m.weight) < 0) return m
  return MIX[0]
}

function serverConfig(dataDir: string) {
  return loadConfig(
    {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: process.env.BENCH_LOG ?? 'silent',
      SESSION_SECRET,
      // Each instance runs the worker, as in production: jobs and mail are claimed safely.
      WORKER: '1',
    },
    { persistSecret: false },
  )
}

/** Child process: one app instance on the prepared database, until the parent says stop. */
async function serveChild(dialect: Dialect, dataDir: string, schema: string) {
  const database =
    dialect === 'sqlite'
      ? await openDatabase({ sqliteFile: path.join(dataDir, 'load.sqlite') })
      : await openDatabase({ databaseUrl: BENCH_PG_URL, pgSchema: schema })
  await serve(serverConfig(dataDir), database, { child: true })
}

async function prepare(dialect: Dialect, dataDir: string, schema: string): Promise<string[]> {
  const database: Database =
    dialect === 'sqlite'
      ? await openDatabase({ sqliteFile: path.join(dataDir, 'load.sqlite') })
      : await openDatabase({ databaseUrl: BENCH_PG_URL, pgSchema: schema })
  try {
    await migrateToLatest(database)
    await loadDemoContent(database.db, { password: 'load-bench-password-not-used' })
    // More than asked for: partners are seeded too, and the members signed in here are staff.
    await seedMembers(database.db, { count: Math.ceil(MEMBERS * 1.2), seed: 16 })
    const members = await database.db
      .selectFrom('users')
      .select('id')
      .where('email', 'like', '%.%.%@example.invalid')
      .where('email_verified_at', 'is not', null)
      .where('is_partner', '=', false)
      .orderBy('email')
      .limit(MEMBERS)
      .execute()
    const sessions = new SessionStore(database.db, () => new Date())
    const cookies: string[] = []
    for (const m of members)
      cookies.push(
        `qi_session=${await sessions.create(database.db, m.id, 'password', { ip: '127.0.0.1', userAgent: 'load' })}`,
      )
    return cookies
  } finally {
    await database.destroy()
  }
}

interface Sample {
  kind: string
  instance: number
  ms: number
  ok: boolean
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })

/** One request over a kept-alive connection; the whole body is read. */
function send(
  url: string,
  options: { method?: string; cookie: string; form?: string },
): Promise<{ status: number; body: string; setCookie: string[] }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { cookie: options.cookie }
    if (options.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      headers['content-length'] = String(Buffer.byteLength(options.form))
    }
    const req = http.request(url, { method: options.method ?? 'GET', headers, agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          setCookie: res.headers['set-cookie'] ?? [],
        }),
      )
      res.on('error', reject)
    })
    req.setTimeout(30_000, () => req.destroy(new Error('timed out')))
    req.on('error', reject)
    req.end(options.form)
  })
}

/** One member: pages chosen from the mix, think time between them, until the time is up. */
async function member(
  cookie: string,
  bases: string[],
  next: () => number,
  until: number,
  seed: number,
  samples: Sample[],
): Promise<void> {
  const rnd = random(seed)
  let jar = cookie
  // The first page sets the CSRF cookie a comment form needs.
  const first = await send(bases[next()] + '/', { cookie: jar })
  const csrfCookie = first.setCookie.find((c) => c.startsWith('qi_csrf='))
  if (csrfCookie) jar = `${cookie}; ${csrfCookie.split(';')[0]}`
  // Members arrive over the first few seconds, not all in the same millisecond.
  await new Promise((r) => setTimeout(r, rnd() * 2_500))
  for (let n = 0; n < MAX_PAGES_PER_MEMBER && Date.now() < until; n++) {
    const m = pickKind(rnd)
    const instance = next()
    const base = bases[instance]
    const started = performance.now()
    let ok = false
    try {
      const page = await send(base + m.path(rnd), { cookie: jar })
      ok = page.status === 200
      if (ok && m.kind.startsWith('comment')) {
        const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
        const once = /name="_once" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
        const form = new URLSearchParams({ _csrf: csrf, _once: once, body: `Looks good, run ${seed}-${n}` })
        const posted = await send(`${base}/projects/demo-project-discharge/comments`, {
          method: 'POST',
          cookie: jar,
          form: form.toString(),
        })
        ok = posted.status === 303
      }
    } catch {
      ok = false
    }
    samples.push({ kind: m.kind, instance, ms: performance.now() - started, ok })
    await new Promise((r) => setTimeout(r, 500 + rnd() * 2_000))
  }
}

function stats(ms: number[]) {
  const sorted = Float64Array.from(ms).sort()
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  }
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

/** The reference for page costs (issue 16 point 2): the signed-in layout around one line of text, no query of its own. */
const BARE_LAYOUT = '/get-involved/sent?email=someone%40example.invalid'
const CPU_ROUNDS = 100

/**
 * Each page kind's server CPU, alone: after the load run, one instance, requests one at a time
 * (20 not counted, then CPU_ROUNDS), its CPU time over the responses, against the bare layout's;
 * the comment kind is timed as its GET. Target: no page over 2× the layout, the median within 1.5×.
 */
async function cpuPerKind(child: ChildProcess, base: string, cookie: string): Promise<string> {
  const kinds = [{ kind: 'bare layout (reference)', path: () => BARE_LAYOUT }, ...MIX]
  const rnd = random(7)
  const rows: { kind: string; ms: number }[] = []
  for (const k of kinds) {
    for (let i = 0; i < 20; i++) await send(base + k.path(rnd), { cookie })
    const before = await serverCpu(child)
    for (let i = 0; i < CPU_ROUNDS; i++) await send(base + k.path(rnd), { cookie })
    rows.push({ kind: k.kind, ms: ((await serverCpu(child)) - before) / 1000 / CPU_ROUNDS })
  }
  const bare = rows[0].ms
  const pages = rows.slice(1).map((r) => r.ms / bare)
  const sorted = Float64Array.from(pages).sort()
  const median = percentile(sorted, 50)
  const worst = sorted[sorted.length - 1]
  return (
    `${table(
      ['page kind, alone', 'CPU ms/page', '× layout', '≤ 2×'],
      rows.map((r, i) => [
        r.kind,
        r.ms.toFixed(2),
        (r.ms / bare).toFixed(2),
        i === 0 ? '' : r.ms <= 2 * bare ? 'yes' : 'NO',
      ]),
    )}\n` +
    `median page ${median.toFixed(2)}× the layout (target ≤ 1.5×: ${median <= 1.5 ? 'yes' : 'NO'}); ` +
    `worst ${worst.toFixed(2)}× (target ≤ 2×: ${worst <= 2 ? 'yes' : 'NO'})\n`
  )
}

async function run(dialect: Dialect, instances: number): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qi-bench-load-'))
  const schema = `bench_load_${process.pid}`
  try {
    const cookies = await prepare(dialect, dataDir, schema)
    const children: ChildProcess[] = []
    const bases: string[] = []
    for (let i = 0; i < instances; i++) {
      const child = fork(fileURLToPath(import.meta.url), ['serve', dialect, dataDir, schema], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
      children.push(child)
      const port = await new Promise<number>((resolve, reject) => {
        child.once('message', (m) => resolve((m as { port: number }).port))
        child.once('exit', (code) => reject(new Error(`instance ${i + 1} exited (${code})`)))
      })
      bases.push(`http://127.0.0.1:${port}`)
    }
    try {
      let turn = 0
      const next = () => turn++ % instances
      const cpuBefore = await Promise.all(children.map(serverCpu))
      const loadBefore = os.loadavg()
      const samples: Sample[] = []
      const started = Date.now()
      const until = started + SECONDS * 1000
      await Promise.all(cookies.map((cookie, i) => member(cookie, bases, next, until, 1000 + i, samples)))
      const elapsed = (Date.now() - started) / 1000
      const cpuMs = (await Promise.all(children.map(serverCpu))).map((c, i) => (c - cpuBefore[i]) / 1000)
      const loadAfter = os.loadavg()
      const errors = samples.filter((s) => !s.ok).length
      process.stdout.write(
        `\n## ${dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${instances} instance${instances > 1 ? 's' : ''}, ${cookies.length} members, ${SECONDS} s\n` +
          `${samples.length} pages in ${elapsed.toFixed(1)} s: ${(samples.length / elapsed).toFixed(1)} req/s, ${errors} errors; ` +
          `load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after\n\n`,
      )
      const byKind = MIX.map((m) => {
        const mine = samples.filter((s) => s.kind === m.kind)
        const s = stats(mine.filter((x) => x.ok).map((x) => x.ms))
        return [
          m.kind,
          String(mine.length),
          s.p50.toFixed(1),
          s.p95.toFixed(1),
          s.p99.toFixed(1),
          String(mine.filter((x) => !x.ok).length),
          s.p95 < 1000 ? 'yes' : 'NO',
        ]
      })
      process.stdout.write(
        `${table(['page kind', 'pages', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'p95 < 1 s'], byKind)}\n\n`,
      )
      const byInstance = children.map((_, i) => {
        const mine = samples.filter((s) => s.instance === i)
        const s = stats(mine.map((x) => x.ms))
        return [
          `instance ${i + 1}`,
          String(mine.length),
          s.p50.toFixed(1),
          s.p95.toFixed(1),
          s.p99.toFixed(1),
          (cpuMs[i] / Math.max(mine.length, 1)).toFixed(2),
        ]
      })
      process.stdout.write(
        `${table(['instance', 'pages', 'p50 ms', 'p95 ms', 'p99 ms', 'CPU ms/page'], byInstance)}\n\n`,
      )
      process.stdout.write(await cpuPerKind(children[0], bases[0], cookies[0]))
    } finally {
      for (const child of children) child.send('stop')
      await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))))
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
    if (dialect === 'postgres') {
      const client = new pg.Client({ connectionString: BENCH_PG_URL })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
    }
  }
}

async function main() {
  const which = arg('db', 'both')
  const instancesArg = arg('instances', '')
  const cpus = os.cpus()
  process.stdout.write(
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; node ${process.version}\n` +
      `mix: ${MIX.map((m) => `${m.kind} ${m.weight}`).join(', ')}; think time 0.5–2.5 s\n`,
  )
  if (which !== 'sqlite') await run('postgres', Number(instancesArg || 2))
  if (which !== 'postgres') await run('sqlite', Number(instancesArg || 1))
  agent.destroy()
}

if (process.argv[2] === 'serve')
  await serveChild(process.argv[3] as Dialect, process.argv[4], process.argv[5])
else await main()
