import { measureRow } from '../db/rows.js'
import { performance } from 'node:perf_hooks'
import SQLite from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { Database } from '../db/database.js'
import { seededRandom } from '../measures/demo.js'
import { syntheticPeriods, syntheticSeries } from '../measures/synthetic.js'
import type { DataKind } from '../measures/policy.js'

/**
 * The large synthetic benchmark set (`npm run qi -- demo --large`): 10,000 projects, 100,000
 * measures and about 5,000,000 data points with realistic shapes (noise, shifts, trends,
 * seasons, outliers), all flagged demo, with fixed ids (`lg-…`) so a second run finds them.
 * `--scale 0.1` makes a tenth of it; `--replace` deletes a previous set first.
 * SQLite files are written through one prepared statement per table in large transactions;
 * PostgreSQL takes whole columns at once (`insert … select * from unnest(…)`).
 *
 * Over 400 lines on purpose: one generator (plan, chunk, the two database sinks, delete) whose
 * parts share the id scheme and the chunk shapes; its command line is in cli/demo-command.ts.
 */

export const LARGE_END = '2026-10-01'
/** The measure with 1,000 daily points the benchmark opens. */
export const LARGE_BENCH_MEASURE = 'lg-m-0000000'
export const LARGE_BENCH_PROJECT = 'lg-p-00000'
const MEASURES_PER_PROJECT = 10

export interface LargePlan {
  projects: number
  measuresPerProject: number
}

export function planFor(scale: number): LargePlan {
  return { projects: Math.max(1, Math.round(10_000 * scale)), measuresPerProject: MEASURES_PER_PROJECT }
}

export interface LargeCounts {
  projects: number
  measures: number
  points: number
  seconds: number
}

const pad = (n: number, width: number) => String(n).padStart(width, '0')
export const largeProjectId = (i: number) => `lg-p-${pad(i, 5)}`
export const largeMeasureId = (i: number) => `lg-m-${pad(i, 7)}`

const TOPICS = [
  'falls',
  'pressure ulcers',
  'discharge delays',
  'medication errors',
  'waiting times',
  'sepsis screening',
  'missed appointments',
  'hand hygiene',
  'readmissions',
  'staff turnover',
  'referral times',
  'catheter infections',
  'patient experience',
  'theatre utilisation',
  'ambulance handovers',
]
const VERBS = ['Reducing', 'Improving', 'Faster', 'Safer', 'Fewer', 'Better', 'Preventing', 'Tackling']
const PLACES = [
  'on Ward',
  'in community team',
  'at practice',
  'in the emergency department',
  'in outpatients',
  'in the care home',
  'on the stroke unit',
  'in theatres',
]
const ORGS = ['org-ghft', 'org-ghc', 'org-primary-care', 'org-icb', 'org-og']
const STATUSES: [string, number][] = [
  ['active', 0.5],
  ['completed', 0.15],
  ['sustaining', 0.1],
  ['on_hold', 0.05],
  ['submitted', 0.05],
  ['draft', 0.1],
  ['archived', 0.03],
  ['abandoned', 0.02],
]
const VISIBILITIES: [string, number][] = [
  ['community', 0.6],
  ['public', 0.2],
  ['organisation', 0.1],
  ['team', 0.05],
  ['private', 0.05],
]
const KINDS: [DataKind, number][] = [
  ['continuous', 0.4],
  ['proportion', 0.3],
  ['count', 0.2],
  ['rate', 0.1],
]
const TYPES = [
  'outcome',
  'process',
  'process',
  'process',
  'balancing',
  'outcome',
  'process',
  'process',
  'balancing',
  'process',
]

function pick<T>(random: () => number, weighted: [T, number][]): T {
  let r = random()
  for (const [v, w] of weighted) {
    r -= w
    if (r < 0) return v
  }
  return weighted[weighted.length - 1][0]
}

interface ProjectRow {
  id: string
  title: string
  problem: string
  status: string
  visibility: string
  publicApprovedAt: string | null
  lastActivityAt: string
  searchText: string
  createdAt: string
}

interface MeasureRow {
  id: string
  projectId: string
  type: string
  name: string
  unit: string
  direction: string
  target: number | null
  dataKind: string
  multiplier: number
  sort: number
}

/** Column-wise data points (cheap to build and to send as arrays). */
interface PointColumns {
  measureId: string[]
  period: string[]
  value: (number | null)[]
  numerator: (number | null)[]
  denominator: (number | null)[]
}

interface Chunk {
  projects: ProjectRow[]
  organisations: { projectId: string; organisationId: string }[]
  measures: MeasureRow[]
  points: PointColumns
}

const periodCache = new Map<string, string[]>()

/** Builds the rows of projects `from` to `to` (exclusive), deterministically. */
export function buildChunk(from: number, to: number): Chunk {
  const chunk: Chunk = {
    projects: [],
    organisations: [],
    measures: [],
    points: { measureId: [], period: [], value: [], numerator: [], denominator: [] },
  }
  const endMs = Date.parse(`${LARGE_END}T00:00:00Z`)
  for (let p = from; p < to; p++) {
    const random = seededRandom(1_000_003 * (p + 1))
    const id = largeProjectId(p)
    const topic = TOPICS[p % TOPICS.length]
    const title = `${VERBS[Math.floor(random() * VERBS.length)]} ${topic} ${PLACES[Math.floor(random() * PLACES.length)]} ${1 + (p % 40)} (synthetic ${p})`
    const problem = `Synthetic benchmark project about ${topic}. Not real data.`
    // The benchmark opens project 0: registered and visible to every member.
    const status = p === 0 ? 'active' : pick(random, STATUSES)
    const visibility = p === 0 ? 'community' : pick(random, VISIBILITIES)
    const lastActivity = new Date(
      endMs - Math.floor(random() * 700) * 86_400_000 - (p % 86_400) * 1000,
    ).toISOString()
    const created = new Date(Date.parse(lastActivity) - 200 * 86_400_000).toISOString()
    chunk.projects.push({
      id,
      title,
      problem,
      status,
      visibility,
      publicApprovedAt: visibility === 'public' && random() < 0.8 ? created : null,
      lastActivityAt: lastActivity,
      searchText: `${title} ${problem}`.toLowerCase(),
      createdAt: created,
    })
    const orgCount = 1 + (random() < 0.3 ? 1 : 0)
    const first = Math.floor(random() * ORGS.length)
    for (let k = 0; k < orgCount; k++)
      chunk.organisations.push({ projectId: id, organisationId: ORGS[(first + k) % ORGS.length] })
    for (let k = 0; k < MEASURES_PER_PROJECT; k++) {
      const index = p * MEASURES_PER_PROJECT + k
      const measureId = largeMeasureId(index)
      const kind = index === 0 ? 'continuous' : pick(random, KINDS)
      chunk.measures.push({
        id: measureId,
        projectId: id,
        type: TYPES[k],
        name: `${kind === 'proportion' ? 'Percentage of' : kind === 'rate' ? 'Rate of' : kind === 'count' ? 'Number of' : 'Average'} ${topic} measure ${k + 1}`,
        unit: kind === 'proportion' ? '%' : kind === 'rate' ? 'per 1,000' : kind === 'count' ? '' : 'minutes',
        direction: random() < 0.5 ? 'decrease' : 'increase',
        target: random() < 0.3 ? Math.round(10 + random() * 80) : null,
        dataKind: kind,
        multiplier: kind === 'proportion' ? 100 : kind === 'rate' ? 1000 : 1,
        sort: k,
      })
      // 1,000 daily points for the benchmark's measure; otherwise 24 to 76 (50 on average).
      const count = index === 0 ? 1000 : 50 + ((index * 37) % 53) - 26
      const every = index === 0 ? 'day' : kind === 'continuous' ? 'week' : 'month'
      const key = `${count}:${every}`
      let periods = periodCache.get(key)
      if (!periods) periodCache.set(key, (periods = syntheticPeriods(LARGE_END, count, every)))
      const { points } = syntheticSeries(index + 17, kind, count, periods)
      const cols = chunk.points
      for (const pt of points) {
        cols.measureId.push(measureId)
        cols.period.push(pt.period)
        cols.value.push(pt.value)
        cols.numerator.push(pt.numerator)
        cols.denominator.push(pt.denominator)
      }
    }
  }
  return chunk
}

interface Sink {
  write(chunk: Chunk, now: string): Promise<void>
  finish(): Promise<void>
}

/** better-sqlite3 straight on the file: prepared multi-row statements inside one transaction per chunk. */
function sqliteSink(file: string): Sink {
  const db = new SQLite(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = OFF')
  // The rows are consistent by construction (parents are written before their children).
  db.pragma('foreign_keys = OFF')
  db.pragma('cache_size = -200000')
  const ROWS = 200
  const pointSql = (n: number) =>
    `insert into measure_data_points (measure_id, period, value, numerator, denominator) values ${Array(n).fill('(?,?,?,?,?)').join(',')}`
  const manyPoints = db.prepare(pointSql(ROWS))
  const project = db.prepare(
    `insert into projects (id, title, problem, status, visibility, public_approved_at, last_activity_at, is_demo, search_text, created_at, updated_at) values (?,?,?,?,?,?,?,1,?,?,?)`,
  )
  const organisation = db.prepare(
    'insert into project_organisations (project_id, organisation_id) values (?, ?)',
  )
  const measure = db.prepare(
    `insert into measures (id, project_id, type, name, unit, numerator, denominator, source, frequency, direction, target, data_kind, chart_type, multiplier, sort, is_demo, last_data_at, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,null,?,?,1,?,?,?)`,
  )
  const write = db.transaction((chunk: Chunk, now: string) => {
    for (const p of chunk.projects)
      project.run(
        p.id,
        p.title,
        p.problem,
        p.status,
        p.visibility,
        p.publicApprovedAt,
        p.lastActivityAt,
        p.searchText,
        p.createdAt,
        p.lastActivityAt,
      )
    for (const o of chunk.organisations) organisation.run(o.projectId, o.organisationId)
    for (const m of chunk.measures)
      measure.run(
        m.id,
        m.projectId,
        m.type,
        m.name,
        m.unit,
        'Synthetic numerator',
        m.dataKind === 'proportion' || m.dataKind === 'rate' ? 'Synthetic denominator' : '',
        'Synthetic (benchmark)',
        'Weekly or monthly',
        m.direction,
        m.target,
        m.dataKind,
        m.multiplier,
        m.sort,
        now,
        now,
        now,
      )
    const c = chunk.points
    const total = c.measureId.length
    const params: (string | number | null)[] = new Array(ROWS * 5)
    let i = 0
    for (; i + ROWS <= total; i += ROWS) {
      for (let k = 0; k < ROWS; k++) {
        const j = i + k
        params[k * 5] = c.measureId[j]
        params[k * 5 + 1] = c.period[j]
        params[k * 5 + 2] = c.value[j]
        params[k * 5 + 3] = c.numerator[j]
        params[k * 5 + 4] = c.denominator[j]
      }
      manyPoints.run(params)
    }
    if (i < total) {
      const rest = total - i
      const tail: (string | number | null)[] = []
      for (let j = i; j < total; j++)
        tail.push(c.measureId[j], c.period[j], c.value[j], c.numerator[j], c.denominator[j])
      db.prepare(pointSql(rest)).run(tail)
    }
  })
  return {
    async write(chunk, now) {
      write(chunk, now)
    },
    async finish() {
      db.exec('analyze')
      db.pragma('synchronous = NORMAL')
      db.close()
    },
  }
}

/** Through Kysely: whole columns as arrays on PostgreSQL; multi-row inserts on SQLite (in-memory tests). */
function kyselySink(db: Kysely<DB>, dialect: 'sqlite' | 'postgres', skipTriggers: boolean): Sink {
  return {
    async write(chunk, now) {
      await db.transaction().execute(async (trx) => {
        // Foreign-key triggers would check every row one by one (three times the cost); the rows
        // are consistent by construction, so a superuser skips them for these transactions.
        if (skipTriggers) await sql`set local session_replication_role = replica`.execute(trx)
        for (let i = 0; i < chunk.projects.length; i += 200) {
          const rows = chunk.projects.slice(i, i + 200)
          await sql`insert into projects (id, title, problem, status, visibility, public_approved_at, last_activity_at, is_demo, search_text, created_at, updated_at) values ${sql.join(
            rows.map(
              (p) =>
                sql`(${p.id}, ${p.title}, ${p.problem}, ${p.status}, ${p.visibility}, ${p.publicApprovedAt}, ${p.lastActivityAt}, ${true}, ${p.searchText}, ${p.createdAt}, ${p.lastActivityAt})`,
            ),
          )}`.execute(trx)
        }
        for (let i = 0; i < chunk.organisations.length; i += 500)
          await trx
            .insertInto('project_organisations')
            .values(
              chunk.organisations
                .slice(i, i + 500)
                .map((o) => ({ project_id: o.projectId, organisation_id: o.organisationId })),
            )
            .execute()
        for (let i = 0; i < chunk.measures.length; i += 200)
          await trx
            .insertInto('measures')
            .values(
              chunk.measures.slice(i, i + 200).map((m) =>
                measureRow({
                  id: m.id,
                  project_id: m.projectId,
                  type: m.type,
                  name: m.name,
                  unit: m.unit,
                  numerator: 'Synthetic numerator',
                  denominator:
                    m.dataKind === 'proportion' || m.dataKind === 'rate' ? 'Synthetic denominator' : '',
                  source: 'Synthetic (benchmark)',
                  frequency: 'Weekly or monthly',
                  direction: m.direction,
                  target: m.target,
                  data_kind: m.dataKind,
                  chart_type: null,
                  multiplier: m.multiplier,
                  sort: m.sort,
                  is_demo: true,
                  last_data_at: now,
                  created_at: now,
                }),
              ),
            )
            .execute()
        const c = chunk.points
        if (dialect === 'postgres') {
          for (let i = 0; i < c.measureId.length; i += 50_000) {
            const s = (a: unknown[]) => a.slice(i, i + 50_000)
            await sql`insert into measure_data_points (measure_id, period, value, numerator, denominator)
              select * from unnest(${s(c.measureId)}::text[], ${s(c.period)}::text[], ${s(c.value)}::float8[], ${s(c.numerator)}::float8[], ${s(c.denominator)}::float8[])`.execute(
              trx,
            )
          }
        } else {
          for (let i = 0; i < c.measureId.length; i += 150) {
            const rows = []
            for (let j = i; j < Math.min(i + 150, c.measureId.length); j++)
              rows.push({
                measure_id: c.measureId[j],
                period: c.period[j],
                value: c.value[j],
                numerator: c.numerator[j],
                denominator: c.denominator[j],
              })
            await trx.insertInto('measure_data_points').values(rows).execute()
          }
        }
      })
    },
    async finish() {
      if (dialect === 'postgres')
        await sql`analyze projects, project_organisations, measures, measure_data_points`.execute(db)
      else
        for (const table of ['projects', 'measures', 'measure_data_points'])
          await sql`analyze ${sql.table(table)}`.execute(db)
    },
  }
}

/** Whether this PostgreSQL role may skip triggers (a superuser): tried in a transaction rolled back. */
async function maySkipTriggers(db: Kysely<DB>): Promise<boolean> {
  try {
    await db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx)
      throw new Error('rollback')
    })
  } catch (error) {
    return error instanceof Error && error.message === 'rollback'
  }
  return false
}

export async function largeSetExists(db: Kysely<DB>): Promise<boolean> {
  return Boolean(
    await db.selectFrom('projects').select('id').where('id', '=', largeProjectId(0)).executeTakeFirst(),
  )
}

export async function deleteLargeSet(db: Kysely<DB>): Promise<void> {
  // Children first, in slices, so neither database holds one enormous cascade.
  const ids = (await db.selectFrom('projects').select('id').where('id', 'like', 'lg-p-%').execute()).map(
    (r) => r.id,
  )
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500)
    await db.transaction().execute(async (trx) => {
      const measures = trx.selectFrom('measures').select('id').where('project_id', 'in', slice)
      await trx.deleteFrom('measure_data_points').where('measure_id', 'in', measures).execute()
      await trx.deleteFrom('measures').where('project_id', 'in', slice).execute()
      await trx.deleteFrom('projects').where('id', 'in', slice).execute()
    })
  }
}

/**
 * Generates the set into a database. `sqliteFile` (a file, not ':memory:') switches SQLite to
 * the fast raw path; the Kysely connection must then be closed by the caller first or be idle.
 */
export async function generateLargeSet(
  database: Database,
  options: {
    scale: number
    sqliteFile?: string
    chunk?: number
    progress?: (done: number, total: number) => void
  },
): Promise<LargeCounts> {
  const plan = planFor(options.scale)
  const started = performance.now()
  const now = new Date(`${LARGE_END}T00:00:00Z`).toISOString()
  const sink =
    database.dialect === 'sqlite' && options.sqliteFile && options.sqliteFile !== ':memory:'
      ? sqliteSink(options.sqliteFile)
      : kyselySink(
          database.db,
          database.dialect,
          database.dialect === 'postgres' && (await maySkipTriggers(database.db)),
        )
  const size = options.chunk ?? (database.dialect === 'sqlite' ? 500 : 200)
  let measures = 0
  let points = 0
  for (let from = 0; from < plan.projects; from += size) {
    const chunk = buildChunk(from, Math.min(plan.projects, from + size))
    await sink.write(chunk, now)
    measures += chunk.measures.length
    points += chunk.points.measureId.length
    options.progress?.(Math.min(plan.projects, from + size), plan.projects)
  }
  await sink.finish()
  return { projects: plan.projects, measures, points, seconds: (performance.now() - started) / 1000 }
}
