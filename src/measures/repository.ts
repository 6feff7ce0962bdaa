import type { Kysely, Transaction } from 'kysely'
import { anyOf, idChunks } from '../db/sql.js'
import type { DB } from '../db/schema.js'
import { read } from '../db/database.js'
import type { DataKind, Direction, MeasureChart, MeasureType } from './policy.js'

/**
 * Measure definitions: the `measures` table. The data points, annotations and import previews
 * have their own repositories (point-repository.ts, annotation-repository.ts, import-repository.ts).
 */

export type Db = Kysely<DB> | Transaction<DB>

export interface OperationalDefinition {
  numerator: string
  denominator: string
  inclusions: string
  exclusions: string
  source: string
  sampling: string
  frequency: string
  collector: string
}

export interface Measure extends OperationalDefinition {
  id: string
  projectId: string
  type: MeasureType
  name: string
  unit: string
  direction: Direction
  target: number | null
  dataKind: DataKind
  chartType: MeasureChart | null
  multiplier: number
  sort: number
  isDemo: boolean
  version: number
  dataVersion: number
  lastDataAt: string | null
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

type MeasureRow = {
  id: string
  project_id: string
  type: string
  name: string
  unit: string
  numerator: string
  denominator: string
  inclusions: string
  exclusions: string
  source: string
  sampling: string
  frequency: string
  collector: string
  direction: string
  target: number | null
  data_kind: string
  chart_type: string | null
  multiplier: number
  sort: number
  is_demo: boolean | number
  version: number
  data_version: number
  last_data_at: string | null
  created_by: string | null
  created_at: string
  updated_at: string
}

function toMeasure(r: MeasureRow): Measure {
  return {
    id: r.id,
    projectId: r.project_id,
    type: r.type as MeasureType,
    name: r.name,
    unit: r.unit,
    numerator: r.numerator,
    denominator: r.denominator,
    inclusions: r.inclusions,
    exclusions: r.exclusions,
    source: r.source,
    sampling: r.sampling,
    frequency: r.frequency,
    collector: r.collector,
    direction: r.direction as Direction,
    target: read.numOrNull(r.target),
    dataKind: r.data_kind as DataKind,
    chartType: (r.chart_type as MeasureChart | null) ?? null,
    multiplier: read.num(r.multiplier),
    sort: read.num(r.sort),
    isDemo: read.bool(r.is_demo),
    version: read.num(r.version),
    dataVersion: read.num(r.data_version),
    lastDataAt: r.last_data_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export async function findMeasure(db: Db, id: string): Promise<Measure | null> {
  const row = await db.selectFrom('measures').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toMeasure(row) : null
}

/** These measures (those still there), in no particular order. */
export async function listMeasuresByIds(db: Db, ids: readonly string[]): Promise<Measure[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('measures')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute()
  return rows.map(toMeasure)
}

export async function listMeasures(db: Db, projectId: string): Promise<Measure[]> {
  const rows = await db
    .selectFrom('measures')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('sort')
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map(toMeasure)
}

/** A measure as lists across projects show it: who it belongs to, its name and frequency, its latest period. */
export interface MeasureHead {
  id: string
  projectId: string
  name: string
  frequency: string
  /** The period of its latest point, or null without data. */
  latestPeriod: string | null
}

/**
 * The measures of these projects, each with its latest period, in each project's order. One
 * statement per chunk of projects: the latest period is one primary-key lookup per measure (its
 * last point), not a scan of its points.
 */
export async function listMeasureHeads(db: Db, projectIds: string[]): Promise<MeasureHead[]> {
  const out: MeasureHead[] = []
  for (const chunk of idChunks(db, projectIds)) {
    const rows = await db
      .selectFrom('measures as m')
      .select((eb) => [
        'm.id',
        'm.project_id',
        'm.name',
        'm.frequency',
        eb
          .selectFrom('measure_data_points as d')
          .select((d) => d.fn.max('d.period').as('p'))
          .whereRef('d.measure_id', '=', 'm.id')
          .as('latest_period'),
      ])
      .where(anyOf(db, 'm.project_id', chunk))
      .orderBy('m.project_id')
      .orderBy('m.sort')
      .orderBy('m.created_at')
      .orderBy('m.id')
      .execute()
    for (const r of rows)
      out.push({
        id: r.id,
        projectId: r.project_id,
        name: r.name,
        frequency: r.frequency,
        latestPeriod: r.latest_period ?? null,
      })
  }
  return out
}

export interface MeasureValues extends OperationalDefinition {
  type: MeasureType
  name: string
  unit: string
  direction: Direction
  target: number | null
  dataKind: DataKind
  chartType: MeasureChart | null
  multiplier: number
}

function columns(v: MeasureValues) {
  return {
    type: v.type,
    name: v.name,
    unit: v.unit,
    numerator: v.numerator,
    denominator: v.denominator,
    inclusions: v.inclusions,
    exclusions: v.exclusions,
    source: v.source,
    sampling: v.sampling,
    frequency: v.frequency,
    collector: v.collector,
    direction: v.direction,
    target: v.target,
    data_kind: v.dataKind,
    chart_type: v.chartType,
    multiplier: v.multiplier,
  }
}

export async function insertMeasure(
  db: Db,
  m: MeasureValues & {
    id: string
    projectId: string
    createdBy: string | null
    now: string
    isDemo?: boolean
    sort?: number
  },
): Promise<void> {
  const next =
    m.sort ??
    read.num(
      (
        await db
          .selectFrom('measures')
          .select((eb) => eb.fn.max('sort').as('s'))
          .where('project_id', '=', m.projectId)
          .executeTakeFirst()
      )?.s ?? 0,
    ) + 1
  await db
    .insertInto('measures')
    .values({
      id: m.id,
      project_id: m.projectId,
      ...columns(m),
      sort: next,
      is_demo: m.isDemo ?? false,
      created_by: m.createdBy,
      created_at: m.now,
      updated_at: m.now,
    })
    .execute()
}

/** Saves a measure if nobody else saved it since `version` was read; false when they did. */
export async function updateMeasure(
  db: Db,
  id: string,
  version: number,
  v: MeasureValues,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('measures')
    .set((eb) => ({ ...columns(v), updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function deleteMeasure(db: Db, id: string): Promise<void> {
  await db.deleteFrom('measures').where('id', '=', id).execute()
}

/** Records when the measure's data last changed (for "stalled project" reports). */
export async function touchMeasureData(db: Db, id: string, now: string): Promise<void> {
  await db.updateTable('measures').set({ last_data_at: now }).where('id', '=', id).execute()
}
