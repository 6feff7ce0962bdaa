/**
 * `npm run bench:board`: the Steering Group's portfolio and the Board's SPC summary on the large
 * synthetic set (10,000 projects, 100,000 measures, 5,000,000 data points), on SQLite (a file)
 * and PostgreSQL (a fresh schema, dropped afterwards): the portfolio (as a Steering Group member)
 * and the Board summary of 50 flagged measures (as a Board member), each driven by autocannon in a
 * child process at 10 connections for BENCH_SECONDS (default 8) after a warm-up; then one board
 * pack of those 50 measures made by the background job, timed from the request to the stored files.
 *
 * Seeding is bulk: projects and measures in batches, the data points by one INSERT … SELECT per
 * batch of measures (each measure's 50 points follow one of 12 shapes, so the values are computed
 * by the database), and the stored SPC results (`measure_results` and `measure_result_views`) by the engine once per shape,
 * then copied to every measure of that shape with its own key and name (the cheap path: what the
 * services would store, without running the engine 100,000 times).
 *
 * `--scale 0.02` (or BENCH_SCALE) scales the counts; the figures in notes are at 1.
 * Targets: portfolio p95 < 300 ms, Board summary p95 < 200 ms, board pack < 5 s.
 */
import os from 'node:os'
import { pathToFileURL } from 'node:url'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../src/db/database.js'
import type { DB } from '../src/db/schema.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { boardMeasureRow, measureRow, projectRow } from '../src/db/rows.js'
import { loadDemoContent } from '../src/demo/load.js'
import { findPersonByEmail, loadCurrentUser } from '../src/people/accounts.js'
import { storeResult } from '../src/measures/result-repository.js'
import { testConfig, TEST_PASSWORD } from '../src/testing/app.js'
import { analyzeAfterLoad, cookieOf, insertBatches, onBothDatabases, serve, timeRoutes } from './lib.js'

function scaleArg(): number {
  const i = process.argv.indexOf('--scale')
  const raw = i > 0 ? process.argv[i + 1] : process.env.BENCH_SCALE
  const scale = Number(raw ?? 1)
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`--scale must be a positive number, not ${raw}`)
  return scale
}

const DURATION = Number(process.env.BENCH_SECONDS ?? 8)
const SCALE = scaleArg()
const PROJECTS = Math.max(10, Math.round(10_000 * SCALE))
const MEASURES_PER_PROJECT = 10
const MEASURES = PROJECTS * MEASURES_PER_PROJECT
const POINTS = 50
const SHAPES = 12
const FLAGGED = 50
const ORGS = ['org-icb', 'org-ghft', 'org-ghc', 'org-primary-care', 'org-lmns']
const PROGRAMMES = ['prog-virtual-ward', null, null]
const AIMS = ['E1', 'E2', 'E3', 'L1', 'L2', 'F1', 'F2']
const STATUSES = ['active', 'active', 'active', 'sustaining', 'on_hold', 'completed', 'submitted']
const NAME = '__BENCH_NAME__'

/** The 50 periods, monthly from January 2022 and weekly from 3 January 2022. */
function periods(): { i: number; monthly: string; weekly: string }[] {
  return Array.from({ length: POINTS }, (_, i) => {
    const month = new Date(Date.UTC(2022, i, 1)).toISOString().slice(0, 10)
    const week = new Date(Date.UTC(2022, 0, 3 + 7 * i)).toISOString().slice(0, 10)
    return { i, monthly: month, weekly: week }
  })
}

/**
 * Each measure's points, computed by the database from its shape (`sort`, 0–11) and the point's
 * index: a steady process, and for every sixth shape a shift over the last eight points (special
 * cause: about one measure in six, so the portfolio lists thousands). Every fourth shape is weekly, the rest monthly.
 */
async function insertPoints(db: Kysely<DB>, where: ReturnType<typeof sql<boolean>>) {
  const values = sql.join(periods().map((p) => sql`(cast(${p.i} as integer), ${p.monthly}, ${p.weekly})`))
  await sql`with p(i, monthly, weekly) as (values ${values})
    insert into measure_data_points (measure_id, period, value)
    select m.id, case when m.sort % 4 = 3 then p.weekly else p.monthly end,
      50 + ((m.sort * 37 + p.i * 13) % 17) + case when p.i >= 42 and m.sort % 6 = 0 then 20 else 0 end
    from measures m cross join p
    where ${where}`.execute(db)
}

const pad = (n: number) => String(n).padStart(7, '0')

export async function seed(db: Kysely<DB>): Promise<void> {
  await loadDemoContent(db, { password: TEST_PASSWORD })
  const at = new Date().toISOString()
  const projects = Array.from({ length: PROJECTS }, (_, i) =>
    projectRow({
      id: `bp-${pad(i)}`,
      title: `Synthetic project ${i} (BENCH)`,
      status: STATUSES[i % STATUSES.length],
      visibility: i % 3 === 0 ? 'community' : 'organisation',
      programme_id: PROGRAMMES[i % PROGRAMMES.length],
      status_changed_at: at,
    }),
  )
  await insertBatches(db, 'projects', projects)
  await insertBatches(
    db,
    'project_organisations',
    projects.map((p, i) => ({ project_id: p.id, organisation_id: ORGS[i % ORGS.length] })),
  )
  await insertBatches(
    db,
    'project_aim_codes',
    projects.map((p, i) => ({ project_id: p.id, aim_code: AIMS[i % AIMS.length] })),
  )
  // One measure per shape to compute its stored result from (removed afterwards).
  const templates = Array.from({ length: SHAPES }, (_, s) =>
    measureRow({ id: `bt-${s}`, project_id: projects[0].id, name: NAME, sort: s, last_data_at: at }),
  )
  await insertBatches(db, 'measures', templates)
  for (let first = 0; first < MEASURES; first += 5_000) {
    const last = Math.min(MEASURES, first + 5_000) - 1
    const batch = Array.from({ length: last - first + 1 }, (_, k) => {
      const n = first + k
      return measureRow({
        id: `bm-${pad(n)}`,
        project_id: projects[Math.floor(n / MEASURES_PER_PROJECT)].id,
        name: `Synthetic measure ${n}`,
        sort: n % SHAPES,
        last_data_at: at,
      })
    })
    await insertBatches(db, 'measures', batch)
    await insertPoints(db, sql<boolean>`m.id between ${`bm-${pad(first)}`} and ${`bm-${pad(last)}`}`)
  }
  await insertPoints(db, sql<boolean>`m.id like 'bt-%'`)
  // The engine once per shape; each measure of the shape gets that result under its own key and name.
  for (let s = 0; s < SHAPES; s++) {
    await storeResult(db, `bt-${s}`, at)
    const { signal } = await db
      .selectFrom('measure_results')
      .select(['signal'])
      .where('measure_id', '=', `bt-${s}`)
      .executeTakeFirstOrThrow()
    const { view } = await db
      .selectFrom('measure_result_views')
      .select(['view'])
      .where('measure_id', '=', `bt-${s}`)
      .executeTakeFirstOrThrow()
    await sql`insert into measure_results (measure_id, inputs_key, signal, computed_at)
      select m.id, '["' || m.id || '",' || m.version || ',' || m.data_version || ',[]]', ${signal}, ${at}
      from measures m where m.sort = ${s} and m.id like 'bm-%'`.execute(db)
    await sql`insert into measure_result_views (measure_id, view)
      select m.id, replace(${view}, ${NAME}, m.name)
      from measures m where m.sort = ${s} and m.id like 'bm-%'`.execute(db)
  }
  await db.deleteFrom('measures').where('id', 'like', 'bt-%').execute()
  // The Board's 50 measures: a spread of shapes and frequencies.
  await insertBatches(
    db,
    'board_measures',
    Array.from({ length: Math.min(FLAGGED, MEASURES) }, (_, i) =>
      boardMeasureRow({ measure_id: `bm-${pad(Math.floor((i * MEASURES) / FLAGGED))}` }),
    ),
  )
}

async function run(name: string, database: Database): Promise<string[]> {
  const t0 = Date.now()
  await migrateToLatest(database)
  await seed(database.db)
  await analyzeAfterLoad(database)
  const seeded = ((Date.now() - t0) / 1000).toFixed(1)
  const { app, services, url, close } = await serve(testConfig({ BASE_URL: 'http://127.0.0.1' }), database)
  const lines: string[] = []
  try {
    const cara = await cookieOf(app, 'cara.cycle@example.invalid') // Steering Group
    const esme = await cookieOf(app, 'esme.exec@example.invalid') // Board
    const served = { app, url }
    lines.push(
      ...(await timeRoutes(
        served,
        [{ label: 'portfolio', path: '/steering-group/portfolio', cookie: cara }],
        {
          name,
          seconds: DURATION,
          warmups: 5,
          targetMs: 300,
        },
      )),
      ...(await timeRoutes(served, [{ label: 'board', path: '/board', cookie: esme }], {
        name,
        seconds: DURATION,
        warmups: 20,
        targetMs: 200,
      })),
    )
    // One board pack of the 50 flagged measures, from the request to the stored files.
    const person = await findPersonByEmail(database.db, 'esme.exec@example.invalid')
    const user = (await loadCurrentUser(database.db, person!.id, 'bench'))!
    const p0 = performance.now()
    const { id } = await services.governance.packs.request(user)
    while ((await services.jobs.runDue()) > 0) {
      /* until the pack's job is done */
    }
    const ms = performance.now() - p0
    const pack = await database.db
      .selectFrom('board_packs')
      .select(['status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    const ok = pack.status === 'done' && ms < 5000 ? 'ok' : 'OVER TARGET'
    lines.push(
      `${name.padEnd(9)} board pack of ${FLAGGED} measures: ${pack.status} in ${ms.toFixed(0)} ms  ${ok}`,
    )
  } finally {
    await close()
  }
  return [
    `${name}: seeded ${PROJECTS.toLocaleString('en-GB')} projects, ${MEASURES.toLocaleString('en-GB')} measures and ${(MEASURES * POINTS).toLocaleString('en-GB')} points in ${seeded} s`,
    ...lines,
  ]
}

export async function main() {
  const out = await onBothDatabases('board', run)
  process.stdout.write(
    `\nBoard benchmark at scale ${SCALE} (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs): ${DURATION} s per page, 10 connections; targets portfolio p95 < 300 ms, Board summary p95 < 200 ms, board pack < 5 s\n${out.join('\n')}\n`,
  )
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
