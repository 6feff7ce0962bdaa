/**
 * `npm run bench:mywork [-- --scale 0.05]`: the "my work" home of a QI coach with 200 projects
 * in their caseload (each with 3 weekly measures of 30 points, one late, and 3 PDSA cycles, one
 * due for its Study), among 2,000 other projects, on SQLite (a file) and PostgreSQL (a fresh
 * schema, dropped afterwards), driven by autocannon in a child process at 10 connections for
 * BENCH_SECONDS (default 8) after a warm-up. The home counts every item and shows the first ten of
 * each section (the section's own page, `/my-work/<kind>`, lists them all). `--scale` (or BENCH_SCALE, default 1) scales every
 * count. Target: p95 under 100 ms.
 */
import os from 'node:os'
import { pathToFileURL } from 'node:url'
import type { Kysely } from 'kysely'
import type { Database } from '../src/db/database.js'
import type { DB } from '../src/db/schema.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { dataPointRow, measureRow, pdsaCycleRow, projectMemberRow, projectRow } from '../src/db/rows.js'
import { loadDemoContent } from '../src/demo/load.js'
import { testConfig, TEST_PASSWORD } from '../src/testing/app.js'
import { cookieOf, insertBatches, onBothDatabases, serve, timeRoutes } from './lib.js'

const DURATION = Number(process.env.BENCH_SECONDS ?? 8)
const scaleFlag = process.argv.indexOf('--scale')
const SCALE = Number(scaleFlag > 0 ? process.argv[scaleFlag + 1] : (process.env.BENCH_SCALE ?? 1))
if (!(SCALE > 0)) throw new Error('--scale must be a number above 0')
const CASELOAD = Math.max(1, Math.round(200 * SCALE))
const OTHERS = Math.round(2_000 * SCALE)
const COACH = 'cara.cycle@example.invalid'

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10)

export async function seed(db: Kysely<DB>): Promise<void> {
  await loadDemoContent(db, { password: TEST_PASSWORD })
  const coach = await db.selectFrom('users').select('id').where('email', '=', COACH).executeTakeFirstOrThrow()
  const at = new Date().toISOString()
  const projects = Array.from({ length: CASELOAD + OTHERS }, (_, i) =>
    projectRow({
      id: `bench-mw-${i}`,
      title: `Caseload project ${i} (BENCH)`,
      visibility: i % 2 ? 'team' : 'community',
      last_activity_at: daysAgo(i % 60),
      search_text: `caseload project ${i}`,
    }),
  )
  await insertBatches(db, 'projects', projects)
  const mine = projects.slice(0, CASELOAD)
  await insertBatches(
    db,
    'project_members',
    mine.map((p) => projectMemberRow({ project_id: p.id, user_id: coach.id, role: 'coach' })),
  )
  await insertBatches(
    db,
    'change_ideas',
    mine.map((p) => ({
      id: `${p.id}-idea`,
      project_id: p.id,
      title: 'Try a new discharge checklist',
      status: 'testing',
      position: 0,
      created_by: null,
      created_at: at,
      updated_at: at,
    })),
  )
  await insertBatches(
    db,
    'pdsa_cycles',
    mine.flatMap((p) =>
      [0, 1, 2].map((k) =>
        pdsaCycleRow({
          project_id: p.id,
          change_idea_id: `${p.id}-idea`,
          title: `Cycle ${k + 1}`,
          status: k === 0 ? 'doing' : 'planned',
          prediction: 'Half of the ward goes home before noon',
          do_start: k === 0 ? daysAgo(20) : null,
          do_end: k === 0 ? daysAgo(5) : null,
        }),
      ),
    ),
  )
  const measures = mine.flatMap((p) =>
    [0, 1, 2].map((k) => measureRow({ project_id: p.id, name: `Measure ${k + 1}`, frequency: 'Weekly' })),
  )
  await insertBatches(db, 'measures', measures)
  await insertBatches(
    db,
    'measure_data_points',
    measures.flatMap((m, i) =>
      // The first measure of each project stopped 4 weeks ago (late); the others are current.
      Array.from({ length: 30 }, (_, w) =>
        dataPointRow({
          measure_id: m.id,
          period: daysAgo(7 * (w + (i % 3 === 0 ? 4 : 0))),
          value: 10 + (w % 5),
        }),
      ),
    ),
  )
}

async function run(name: string, database: Database): Promise<string[]> {
  const t0 = Date.now()
  await migrateToLatest(database)
  await seed(database.db)
  const seeded = ((Date.now() - t0) / 1000).toFixed(1)
  const { app, url, close } = await serve(testConfig({ BASE_URL: 'http://127.0.0.1' }), database)
  const cara = await cookieOf(app, COACH)
  // The home shows each section's count and its first ten; the section's own page lists them all.
  const home = await app.inject({ url: '/my-work', headers: { cookie: cara } })
  const countOf = (kind: string) =>
    Number(
      new RegExp(`id="mywork-${kind}-heading">[^<]*<span class="nhsuk-tag nhsuk-tag--grey">(\\d+)<`).exec(
        home.body,
      )?.[1] ?? 0,
    )
  const listed = async (kind: string, pattern: RegExp) =>
    ((await app.inject({ url: `/my-work/${kind}`, headers: { cookie: cara } })).body.match(pattern) ?? [])
      .length
  const due = countOf('study')
  const late = countOf('data')
  const dueListed = await listed('study', /the Do stage ended/g)
  const lateListed = await listed('data', /weekly data, latest for/g)
  if (Math.min(due, late, dueListed, lateListed) < CASELOAD)
    throw new Error(
      `the home should count ${CASELOAD} due cycles and late measures, and their pages list them, not ${due}, ${late}, ${dueListed} and ${lateListed}`,
    )
  let lines: string[]
  try {
    lines = await timeRoutes({ app, url }, [{ label: 'my work', path: '/my-work', cookie: cara }], {
      name,
      seconds: DURATION,
      warmups: 30,
    })
  } finally {
    await close()
  }
  return [
    `${name}: seeded ${CASELOAD} caseload projects (${due} cycles due, ${late} late measures on the home) and ${OTHERS} others in ${seeded} s`,
    ...lines,
  ]
}

export async function main() {
  const out = await onBothDatabases('mywork', run)
  process.stdout.write(
    `\nMy work benchmark (scale ${SCALE}; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs): ${DURATION} s, 10 connections, target p95 < 100 ms\n${out.join('\n')}\n`,
  )
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
