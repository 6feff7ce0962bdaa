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
import { fork } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { loadDemoContent } from '../src/demo/load.js'
import { measurePage, pageTable, serve, type PageRow } from './lib.js'
import { seedMembers } from './seed-members.js'

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
async function serveChild(dataDir: string) {
  const config = serverConfig(dataDir)
  const database = await openDatabase({ sqliteFile: path.join(dataDir, 'qi.sqlite') })
  await serve(config, database, { child: true })
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
    const rows: PageRow[] = []
    for (const [label, pagePath, headers] of targets) {
      rows.push(
        await measurePage(child, {
          base,
          label,
          path: pagePath,
          headers: headers ?? {},
          connections: CONNECTIONS,
          seconds: SECONDS,
        }),
      )
      process.stderr.write(`  measured ${pagePath}\n`)
    }
    child.send('stop')
    await new Promise((resolve) => child.once('exit', resolve))

    process.stdout.write(`${pageTable(rows)}\n`)
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

if (process.argv[2] === 'serve') await serveChild(process.argv[3])
else await main()
