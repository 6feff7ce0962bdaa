import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { read } from '../db/database.js'
import type { DataKind, Direction, MeasureChart, MeasureType } from './policy.js'

type Db = Kysely<DB> | Transaction<DB>

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

export interface DataPoint {
  measureId: string
  period: string
  value: number | null
  numerator: number | null
  denominator: number | null
  excluded: boolean
  exclusionReason: string | null
  enteredBy: string | null
  enteredAt: string | null
  version: number
}

export interface Annotation {
  id: string
  measureId: string
  date: string
  text: string
  pdsaId: string | null
  isRebase: boolean
  createdBy: string | null
  createdAt: string
}

export interface MeasureImport {
  id: string
  measureId: string
  userId: string
  source: 'csv' | 'xlsx' | 'paste'
  filename: string
  cells: string[][]
  notes: string[]
  rowCount: number
  replaceExisting: boolean
  status: 'preview' | 'committed' | 'discarded'
  createdAt: string
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

/** Every change to data points goes through here: cached charts are keyed by the data version. */
async function bumpDataVersion(db: Db, id: string): Promise<void> {
  await db
    .updateTable('measures')
    .set((eb) => ({ data_version: eb('data_version', '+', 1) }))
    .where('id', '=', id)
    .execute()
}

type PointRow = {
  measure_id: string
  period: string
  value: number | null
  numerator: number | null
  denominator: number | null
  excluded: boolean | number
  exclusion_reason: string | null
  entered_by: string | null
  entered_at: string | null
  version: number
}

function toPoint(r: PointRow): DataPoint {
  return {
    measureId: r.measure_id,
    period: r.period,
    value: read.numOrNull(r.value),
    numerator: read.numOrNull(r.numerator),
    denominator: read.numOrNull(r.denominator),
    excluded: read.bool(r.excluded),
    exclusionReason: r.exclusion_reason,
    enteredBy: r.entered_by,
    enteredAt: r.entered_at,
    version: read.num(r.version),
  }
}

/** The columns a chart needs: a range scan of the primary key, nothing repeated per row. */
export type SeriesPoint = Pick<
  DataPoint,
  'period' | 'value' | 'numerator' | 'denominator' | 'excluded' | 'exclusionReason'
>

/** A measure's series in time order, as charts and downloads need it. */
export async function listSeries(db: Db, measureId: string): Promise<SeriesPoint[]> {
  const rows = await db
    .selectFrom('measure_data_points')
    .select(['period', 'value', 'numerator', 'denominator', 'excluded', 'exclusion_reason'])
    .where('measure_id', '=', measureId)
    .orderBy('period')
    .execute()
  const out = new Array<SeriesPoint>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]
    out[i] = {
      period: r.period,
      value: r.value === null ? null : Number(r.value),
      numerator: r.numerator === null ? null : Number(r.numerator),
      denominator: r.denominator === null ? null : Number(r.denominator),
      excluded: read.bool(r.excluded),
      exclusionReason: r.exclusion_reason,
    }
  }
  return out
}

/** A measure's data points with who entered them, in time order. */
export async function listPoints(db: Db, measureId: string): Promise<DataPoint[]> {
  const rows = await db
    .selectFrom('measure_data_points')
    .selectAll()
    .where('measure_id', '=', measureId)
    .orderBy('period')
    .execute()
  return rows.map(toPoint)
}

/** The series of several measures at once (the project's measure list). */
export async function listSeriesOf(db: Db, measureIds: string[]): Promise<Map<string, SeriesPoint[]>> {
  const out = new Map<string, SeriesPoint[]>(measureIds.map((id) => [id, []]))
  if (measureIds.length === 0) return out
  const rows = await db
    .selectFrom('measure_data_points')
    .select(['measure_id', 'period', 'value', 'numerator', 'denominator', 'excluded', 'exclusion_reason'])
    .where('measure_id', 'in', measureIds)
    .orderBy('measure_id')
    .orderBy('period')
    .execute()
  for (const r of rows)
    out.get(r.measure_id)?.push({
      period: r.period,
      value: r.value === null ? null : Number(r.value),
      numerator: r.numerator === null ? null : Number(r.numerator),
      denominator: r.denominator === null ? null : Number(r.denominator),
      excluded: read.bool(r.excluded),
      exclusionReason: r.exclusion_reason,
    })
  return out
}

export async function findPoint(db: Db, measureId: string, period: string): Promise<DataPoint | null> {
  const row = await db
    .selectFrom('measure_data_points')
    .selectAll()
    .where('measure_id', '=', measureId)
    .where('period', '=', period)
    .executeTakeFirst()
  return row ? toPoint(row) : null
}

export async function existingPeriods(db: Db, measureId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('measure_data_points')
    .select('period')
    .where('measure_id', '=', measureId)
    .execute()
  return new Set(rows.map((r) => r.period))
}

export async function countPoints(db: Db, measureId: string): Promise<number> {
  const row = await db
    .selectFrom('measure_data_points')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('measure_id', '=', measureId)
    .executeTakeFirst()
  return read.num(row?.n)
}

export interface NewPoint {
  period: string
  value: number | null
  numerator: number | null
  denominator: number | null
  excluded?: boolean
  exclusionReason?: string | null
}

/**
 * Inserts points in multi-row batches; with `replace`, a point for a period already there takes
 * the new numbers (and a new version). Runs inside the caller's transaction.
 */
export async function insertPoints(
  db: Db,
  measureId: string,
  points: readonly NewPoint[],
  meta: { enteredBy: string | null; now: string; replace: boolean },
): Promise<void> {
  const batch = 500
  for (let i = 0; i < points.length; i += batch) {
    const values = points.slice(i, i + batch).map((p) => ({
      measure_id: measureId,
      period: p.period,
      value: p.value,
      numerator: p.numerator,
      denominator: p.denominator,
      excluded: p.excluded ?? false,
      exclusion_reason: p.exclusionReason ?? null,
      entered_by: meta.enteredBy,
      entered_at: meta.now,
    }))
    let q = db.insertInto('measure_data_points').values(values)
    if (meta.replace)
      q = q.onConflict((oc) =>
        oc.columns(['measure_id', 'period']).doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          numerator: eb.ref('excluded.numerator'),
          denominator: eb.ref('excluded.denominator'),
          entered_by: eb.ref('excluded.entered_by'),
          entered_at: eb.ref('excluded.entered_at'),
          version: eb('measure_data_points.version', '+', 1),
        })),
      )
    await q.execute()
  }
  await bumpDataVersion(db, measureId)
}

/** Changes one point if nobody else changed it since `version`; false when they did (or it is gone). */
export async function updatePoint(
  db: Db,
  measureId: string,
  period: string,
  version: number,
  p: NewPoint & { enteredBy: string | null; now: string },
): Promise<boolean> {
  const result = await db
    .updateTable('measure_data_points')
    .set((eb) => ({
      period: p.period,
      value: p.value,
      numerator: p.numerator,
      denominator: p.denominator,
      excluded: p.excluded ?? false,
      exclusion_reason: p.excluded ? (p.exclusionReason ?? null) : null,
      entered_by: p.enteredBy,
      entered_at: p.now,
      version: eb('version', '+', 1),
    }))
    .where('measure_id', '=', measureId)
    .where('period', '=', period)
    .where('version', '=', version)
    .executeTakeFirst()
  const saved = Number(result.numUpdatedRows) === 1
  if (saved) await bumpDataVersion(db, measureId)
  return saved
}

export async function deletePoint(db: Db, measureId: string, period: string): Promise<boolean> {
  const result = await db
    .deleteFrom('measure_data_points')
    .where('measure_id', '=', measureId)
    .where('period', '=', period)
    .executeTakeFirst()
  const deleted = Number(result.numDeletedRows) === 1
  if (deleted) await bumpDataVersion(db, measureId)
  return deleted
}

type AnnotationRow = {
  id: string
  measure_id: string
  date: string
  text: string
  pdsa_id: string | null
  is_rebase: boolean | number
  created_by: string | null
  created_at: string
}

function toAnnotation(r: AnnotationRow): Annotation {
  return {
    id: r.id,
    measureId: r.measure_id,
    date: r.date,
    text: r.text,
    pdsaId: r.pdsa_id,
    isRebase: read.bool(r.is_rebase),
    createdBy: r.created_by,
    createdAt: r.created_at,
  }
}

export async function listAnnotations(db: Db, measureId: string): Promise<Annotation[]> {
  const rows = await db
    .selectFrom('measure_annotations')
    .selectAll()
    .where('measure_id', '=', measureId)
    .orderBy('date')
    .orderBy('created_at')
    .execute()
  return rows.map(toAnnotation)
}

/** The rebases of several measures (the project's measure list draws no chart, but periods matter). */
export async function listRebasesOf(db: Db, measureIds: string[]): Promise<Map<string, Annotation[]>> {
  const out = new Map<string, Annotation[]>(measureIds.map((id) => [id, []]))
  if (measureIds.length === 0) return out
  const rows = await db
    .selectFrom('measure_annotations')
    .selectAll()
    .where('measure_id', 'in', measureIds)
    .where('is_rebase', '=', true)
    .orderBy('date')
    .execute()
  for (const r of rows) out.get(r.measure_id)?.push(toAnnotation(r))
  return out
}

export async function findAnnotation(db: Db, id: string): Promise<Annotation | null> {
  const row = await db.selectFrom('measure_annotations').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toAnnotation(row) : null
}

export async function insertAnnotation(db: Db, a: Annotation): Promise<void> {
  await db
    .insertInto('measure_annotations')
    .values({
      id: a.id,
      measure_id: a.measureId,
      date: a.date,
      text: a.text,
      pdsa_id: a.pdsaId,
      is_rebase: a.isRebase,
      created_by: a.createdBy,
      created_at: a.createdAt,
    })
    .execute()
}

export async function deleteAnnotation(db: Db, id: string): Promise<void> {
  await db.deleteFrom('measure_annotations').where('id', '=', id).execute()
}

export async function insertImport(db: Db, i: MeasureImport): Promise<void> {
  await db
    .insertInto('measure_imports')
    .values({
      id: i.id,
      measure_id: i.measureId,
      user_id: i.userId,
      source: i.source,
      filename: i.filename,
      cells: JSON.stringify(i.cells),
      notes: JSON.stringify(i.notes),
      row_count: i.rowCount,
      replace_existing: i.replaceExisting,
      status: i.status,
      created_at: i.createdAt,
    })
    .execute()
}

export async function findImport(db: Db, id: string): Promise<MeasureImport | null> {
  const r = await db.selectFrom('measure_imports').selectAll().where('id', '=', id).executeTakeFirst()
  if (!r) return null
  return {
    id: r.id,
    measureId: r.measure_id,
    userId: r.user_id,
    source: r.source as MeasureImport['source'],
    filename: r.filename,
    cells: read.json<string[][]>(r.cells, []),
    notes: read.json<string[]>(r.notes, []),
    rowCount: read.num(r.row_count),
    replaceExisting: read.bool(r.replace_existing),
    status: r.status as MeasureImport['status'],
    createdAt: r.created_at,
  }
}

/** Marks a preview committed or discarded, once: false when it was no longer a preview. */
export async function closeImport(
  db: Db,
  id: string,
  status: 'committed' | 'discarded',
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('measure_imports')
    .set({ status, committed_at: now, cells: '[]' })
    .where('id', '=', id)
    .where('status', '=', 'preview')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Forgets previews nobody confirmed within a day (their cells are the only copy of the file). */
export async function pruneImports(db: Db, before: string): Promise<void> {
  await db
    .deleteFrom('measure_imports')
    .where('status', '=', 'preview')
    .where('created_at', '<', before)
    .execute()
}
