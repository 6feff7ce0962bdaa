/**
 * `npm run bench:projects`: the project workspace on the large synthetic set, on SQLite and
 * PostgreSQL: a measure page with 1,000 points (and the same with 40 annotations, one a rebase, and
 * 30 PDSA marks), a project page and the filtered project list.
 *
 * For each database: the large set is generated when it is missing (`--scale`, default 1 = the
 * full 10,000 projects, 100,000 measures and 5,000,000 data points; 0.1 is a tenth), the app is
 * started in a child process (its own event loop, logging off) on 127.0.0.1 and a free port, and
 * autocannon runs against each page with 10 connections: a 1 s warm-up not counted, then
 * BENCH_SECONDS (default 8). Percentiles are exact (every response time kept); CPU ms/req is the
 * server process's CPU time per response, which other load on the machine barely changes.
 *
 *   npm run bench:projects -- [--db sqlite|postgres|both] [--scale 1] [--seconds 8]
 *     [--sqlite-file data/bench/large.sqlite] [--database-url postgres://…/qi_bench]
 * Target: p95 under 100 ms for each page.
 */
import { fork } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import pg from 'pg'
import { SessionStore } from '../src/auth/sessions.js'
import { loadConfig } from '../src/config.js'
import { openDatabase, type Database, type Dialect } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { loadDemoContent } from '../src/demo/load.js'
import {
  LARGE_BENCH_MEASURE,
  LARGE_BENCH_PROJECT,
  generateLargeSet,
  largeSetExists,
} from '../src/demo/large.js'
import { measurePage, pageTable, serve, type PageRow } from './lib.js'
import { addEventsMeasure, EVENTS_MEASURE } from './projects-events.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CONNECTIONS = 10
const SESSION_SECRET = 'p'.repeat(48)

function arg(name: string, fallback: string): string {
  const args = process.argv.slice(2)
  const i = args.indexOf(`--${name}`)
  if (i >= 0 && args[i + 1]) return args[i + 1]
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback
}

const SECONDS = Number(arg('seconds', process.env.BENCH_SECONDS ?? '8'))
const SCALE = Number(arg('scale', '1'))
// The server process gets these from the environment its parent sets.
const SQLITE_FILE = path.resolve(
  root,
  arg('sqlite-file', process.env.BENCH_SQLITE_FILE ?? 'data/bench/large.sqlite'),
)
const DATABASE_URL = arg(
  'database-url',
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/qi_bench',
)

async function open(dialect: Dialect): Promise<Database> {
  if (dialect === 'sqlite') {
    mkdirSync(path.dirname(SQLITE_FILE), { recursive: true })
    return openDatabase({ sqliteFile: SQLITE_FILE })
  }
  // Create the benchmark database when it is missing.
  const url = new URL(DATABASE_URL)
  const name = url.pathname.slice(1)
  const admin = new pg.Client({
    connectionString: Object.assign(new URL(DATABASE_URL), { pathname: '/postgres' }).toString(),
  })
  await admin.connect()
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name])
    if (found.rowCount === 0) await admin.query(`create database "${name.replace(/"/g, '')}"`)
  } finally {
    await admin.end()
  }
  return openDatabase({ databaseUrl: DATABASE_URL })
}

function serverConfig() {
  return loadConfig(
    {
      NODE_ENV: 'production',
      DATA_DIR: path.join(os.tmpdir(), 'qi-bench-projects'),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: process.env.BENCH_LOG ?? 'silent',
      SESSION_SECRET,
      WORKER: '0',
      ...(process.env.BENCH_DIALECT === 'postgres' ? { DATABASE_URL } : {}),
    },
    { persistSecret: false },
  )
}

/** Child process: the app alone on the prepared database, until the parent says stop. */
async function serveChild(dialect: Dialect) {
  const database =
    dialect === 'sqlite'
      ? await openDatabase({ sqliteFile: SQLITE_FILE })
      : await openDatabase({ databaseUrl: DATABASE_URL })
  await serve(serverConfig(), database, { child: true })
}

/** Migrates, loads the demo content, generates the large set when missing; returns a session and the set's size. */
async function prepare(dialect: Dialect) {
  const database = await open(dialect)
  try {
    await migrateToLatest(database)
    await loadDemoContent(database.db, { password: 'bench-password-not-used' })
    let generated = ''
    if (!(await largeSetExists(database.db))) {
      process.stderr.write(`  generating the large set at scale ${SCALE} on ${dialect}…\n`)
      if (dialect === 'sqlite') await database.destroy()
      const again = dialect === 'sqlite' ? await openDatabase({ sqliteFile: SQLITE_FILE }) : database
      const counts = await generateLargeSet(again, {
        scale: SCALE,
        sqliteFile: dialect === 'sqlite' ? SQLITE_FILE : undefined,
      })
      generated = ` (generated now in ${counts.seconds.toFixed(1)} s)`
      if (dialect === 'sqlite') return prepareWith(again, generated)
    }
    return await prepareWith(database, generated)
  } finally {
    await database.destroy().catch(() => undefined)
  }
}

async function prepareWith(database: Database, generated: string) {
  const { db } = database
  // The benchmark's project is registered and open to every member, whatever the generator drew.
  await db
    .updateTable('projects')
    .set({ status: 'active', visibility: 'community' })
    .where('id', '=', LARGE_BENCH_PROJECT)
    .execute()
  const drawMs = await addEventsMeasure(database)
  const count = async (table: 'projects' | 'measures' | 'measure_data_points') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const member = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'leo.learner@example.invalid')
    .executeTakeFirstOrThrow()
  const token = await new SessionStore(db, () => new Date()).create(db, member.id, 'password', {
    ip: '127.0.0.1',
    userAgent: 'bench',
  })
  const points = Number(
    (
      await db
        .selectFrom('measure_data_points')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('measure_id', '=', LARGE_BENCH_MEASURE)
        .executeTakeFirstOrThrow()
    ).n,
  )
  const version =
    database.dialect === 'sqlite'
      ? `SQLite ${(await sql<{ v: string }>`select sqlite_version() as v`.execute(db)).rows[0].v}`
      : (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0].v.split(' on ')[0]
  return {
    cookie: `qi_session=${token}`,
    facts: `${version}; ${(await count('projects')).toLocaleString('en-GB')} projects, ${(await count('measures')).toLocaleString('en-GB')} measures, ${(await count('measure_data_points')).toLocaleString('en-GB')} data points${generated}; the measure page has ${points} points; drawing its chart with 40 annotations and 30 PDSA marks (engine, SVG, key, table; not cached) takes ${drawMs.p50.toFixed(1)} ms p50, ${drawMs.p95.toFixed(1)} ms p95 in process`,
  }
}

async function benchDialect(dialect: Dialect): Promise<void> {
  const { cookie, facts } = await prepare(dialect)
  process.stdout.write(
    `\n## ${dialect === 'sqlite' ? `SQLite (${path.relative(root, SQLITE_FILE)})` : `PostgreSQL (${DATABASE_URL.replace(/:[^:@/]+@/, ':***@')})`}\n${facts}\n`,
  )
  const child = fork(fileURLToPath(import.meta.url), ['serve', dialect], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      BENCH_DIALECT: dialect,
      BENCH_SQLITE_FILE: SQLITE_FILE,
      BENCH_DATABASE_URL: DATABASE_URL,
    },
  })
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { port: number }).port))
      child.once('exit', (code) => reject(new Error(`server exited (${code})`)))
    })
    const base = `http://127.0.0.1:${port}`
    const headers = { cookie }
    const targets: [string, string][] = [
      ['measure page, 1,000 points', `/measures/${LARGE_BENCH_MEASURE}`],
      ['measure page, 1,000 points, 40 annotations, 30 PDSA marks', `/measures/${EVENTS_MEASURE}`],
      ['project page', `/projects/${LARGE_BENCH_PROJECT}`],
      ['project list, filtered', '/projects?status=active&organisation=org-ghft'],
      ['project list, searched', '/projects?q=falls&status=active'],
      ["project's measures", `/projects/${LARGE_BENCH_PROJECT}/measures`],
    ]
    const rows: PageRow[] = []
    for (const [label, pagePath] of targets) {
      const check = await fetch(base + pagePath, { headers })
      if (check.status !== 200) throw new Error(`${pagePath} answered ${check.status}`)
      rows.push(
        await measurePage(child, {
          base,
          label,
          path: pagePath,
          headers,
          connections: CONNECTIONS,
          seconds: SECONDS,
        }),
      )
      process.stderr.write(`  measured ${pagePath}\n`)
    }
    process.stdout.write(`${pageTable(rows, 100)}\n`)
  } finally {
    child.send('stop')
    await new Promise((resolve) => child.once('exit', resolve))
  }
}

async function main() {
  const which = arg('db', 'both')
  const dialects: Dialect[] = which === 'both' ? ['sqlite', 'postgres'] : [which as Dialect]
  const cpus = os.cpus()
  process.stdout.write(
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; node ${process.version}; load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )}\nautocannon ${CONNECTIONS} connections, 1 s warm-up + ${SECONDS} s per page, signed in as a verified member outside the project's team\n`,
  )
  for (const dialect of dialects) await benchDialect(dialect)
  process.stdout.write(
    `\nload average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )}\np50/p95/p99 exact, from every response time; CPU ms/req: the server's user + system CPU per response.\n`,
  )
}

if (process.argv[2] === 'serve') await serveChild(process.argv[3] as Dialect)
else await main()
