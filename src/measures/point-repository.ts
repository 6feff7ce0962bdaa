import { read } from '../db/database.js'
import type { Db } from './repository.js'

/** A measure's data points (`measure_data_points`): the series charts and downloads read, and every write to it. */

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
/** The latest period of a measure's data (YYYY-MM-DD), or null when it has none. */
export async function latestPeriodOf(db: Db, measureId: string): Promise<string | null> {
  const row = await db
    .selectFrom('measure_data_points')
    .select((eb) => eb.fn.max('period').as('period'))
    .where('measure_id', '=', measureId)
    .executeTakeFirst()
  return row?.period ?? null
}

/** The points of each of these measures, oldest first (a measure with none has an empty list). */
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
