import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { analyseMeasure, type MeasureChartView } from './chart.js'
import * as annotationRepo from './annotation-repository.js'
import * as pointRepo from './point-repository.js'
import { anyOf, idChunks } from '../db/sql.js'
import { findMeasure, type Db, type Measure } from './repository.js'
import type { Annotation } from './annotation-repository.js'

/**
 * Stored SPC results (`measure_results`, its analysis in `measure_result_views`): each measure's
 * analysis as viewers outside its team see it (counts of 1 to 4 suppressed), with the key of what
 * it was computed from and its signal. The narrow row is what the portfolio reads for thousands of
 * measures; the analysis (about 19 KB) only for those shown. Written in the
 * transaction that changes the measure's data, rebases, target or chart type (`inStoringTransaction`),
 * read by the reports across many measures (the Board's summary, the portfolio). A row whose key
 * no longer matches (data loaded around the services, by a bulk loader) is recomputed, never used.
 */

/** The analysis reports use: as someone outside the team sees it, no drawing, no table. */
export function reportView(
  m: Measure,
  points: pointRepo.SeriesPoint[],
  rebases: Annotation[],
): MeasureChartView {
  return analyseMeasure(m, points, rebases, [], { seeSmallNumbers: false, svg: false, rows: false })
}

/** What a result is computed from: the measure's version (target, chart type…), its data version and rebases. */
export function resultKey(
  m: Pick<Measure, 'id' | 'version' | 'dataVersion'>,
  rebases: readonly Pick<Annotation, 'id' | 'date'>[],
): string {
  return JSON.stringify([m.id, m.version, m.dataVersion, rebases.map((a) => [a.id, a.date])])
}

/** The variation icon when the latest point is a special cause (improvement or concern), else null. */
export function signalOf(view: MeasureChartView): string | null {
  const icon = view.summary.variationIcon ?? ''
  return /^(improvement|concern)_/.test(icon) ? icon : null
}

/** A measure that may show special cause now, as `signalCandidates` finds it (no view read). */
export interface SignalCandidate {
  id: string
  name: string
  projectId: string
  version: number
  dataVersion: number
  /** The stored result's key and signal, or null when there is none. */
  storedKey: string | null
  storedSignal: string | null
}

/**
 * Of these projects' measures, those that may show special cause now: the stored result says so,
 * or there is no stored result for what the measure now is (none, or for an older version or data
 * version). With each, what tells an up-to-date stored signal (the key, checked with the rebases
 * by the caller) from one to recompute, and no stored view: a portfolio of thousands of signals
 * reads a few columns of each, and analyses only the stale few.
 */
export async function signalCandidates(db: Db, projectIds: readonly string[]): Promise<SignalCandidate[]> {
  const out: SignalCandidate[] = []
  for (const chunk of idChunks(db, projectIds)) {
    const rows = await db
      .selectFrom('measures as m')
      .leftJoin('measure_results as r', 'r.measure_id', 'm.id')
      .select(['m.id', 'm.name', 'm.project_id', 'm.version', 'm.data_version', 'r.inputs_key', 'r.signal'])
      .where(anyOf(db, 'm.project_id', chunk))
      .where((eb) =>
        eb.or([
          eb('r.measure_id', 'is', null),
          eb('r.signal', 'is not', null),
          eb(
            'r.inputs_key',
            'not like',
            sql<string>`'["' || m.id || '",' || m.version || ',' || m.data_version || ',%'`,
          ),
        ]),
      )
      .execute()
    for (const r of rows)
      out.push({
        id: r.id,
        name: r.name,
        projectId: r.project_id,
        version: Number(r.version),
        dataVersion: Number(r.data_version),
        storedKey: r.inputs_key ?? null,
        storedSignal: r.signal ?? null,
      })
  }
  return out
}

/** Computes and stores one measure's result, inside the caller's transaction. */
export async function storeResult(db: Db, measureId: string, now: string): Promise<void> {
  const m = await findMeasure(db, measureId)
  if (!m) return
  const [points, rebases] = await Promise.all([
    pointRepo.listSeries(db, measureId),
    annotationRepo.listRebasesOf(db, [measureId]).then((r) => r.get(measureId) ?? []),
  ])
  const analysis = reportView(m, points, rebases)
  const view = JSON.stringify(analysis)
  const inputsKey = resultKey(m, rebases)
  const signal = signalOf(analysis)
  await db
    .insertInto('measure_results')
    .values({ measure_id: measureId, inputs_key: inputsKey, signal, computed_at: now })
    .onConflict((oc) =>
      oc.column('measure_id').doUpdateSet({ inputs_key: inputsKey, signal, computed_at: now }),
    )
    .execute()
  await db
    .insertInto('measure_result_views')
    .values({ measure_id: measureId, view })
    .onConflict((oc) => oc.column('measure_id').doUpdateSet({ view }))
    .execute()
}

/** The stored results of these measures, by id, with their keys (the caller checks the key). */
export async function storedResults(
  db: Db,
  measureIds: readonly string[],
): Promise<Map<string, { key: string; view: MeasureChartView }>> {
  const out = new Map<string, { key: string; view: MeasureChartView }>()
  for (let i = 0; i < measureIds.length; i += 500) {
    const rows = await db
      .selectFrom('measure_results as r')
      .innerJoin('measure_result_views as v', 'v.measure_id', 'r.measure_id')
      .select(['r.measure_id', 'r.inputs_key', 'v.view'])
      .where('r.measure_id', 'in', measureIds.slice(i, i + 500))
      .execute()
    for (const r of rows)
      out.set(r.measure_id, { key: r.inputs_key, view: JSON.parse(r.view) as MeasureChartView })
  }
  return out
}

/**
 * A transaction that ends by storing the measure's result: every service write that changes what
 * the analysis is computed from goes through here, so the stored result is never stale.
 */
export async function inStoringTransaction<T>(
  db: Kysely<DB>,
  measureId: string,
  now: () => string,
  body: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const result = await body(trx)
    await storeResult(trx, measureId, now())
    return result
  })
}

/** A measure whose stored result was computed in a window and whose latest point is a special cause. */
export interface StoredSignal {
  measureId: string
  name: string
  projectId: string
  /** The variation icon's name: improvement_high, concern_low… */
  icon: string
  label: string
  period: string | null
}

/**
 * Measures whose result was stored in [since, until) (their data, rebases, target or chart type
 * changed then) and shows special cause (improvement or concern) at the latest point, at most `limit`.
 */
export async function signalsStoredBetween(
  db: Db,
  since: string,
  until: string,
  limit: number,
): Promise<StoredSignal[]> {
  const rows = await db
    .selectFrom('measure_results as r')
    .innerJoin('measures as m', 'm.id', 'r.measure_id')
    .innerJoin('measure_result_views as v', 'v.measure_id', 'r.measure_id')
    .select(['r.measure_id', 'v.view', 'm.name', 'm.project_id'])
    .where('r.computed_at', '>=', since)
    .where('r.computed_at', '<', until)
    .where('r.signal', 'is not', null)
    .orderBy('r.computed_at', 'desc')
    .limit(limit)
    .execute()
  const out: StoredSignal[] = []
  for (const r of rows) {
    const view = JSON.parse(r.view) as MeasureChartView
    const icon = view.summary.variationIcon ?? ''
    if (!/^(improvement|concern)_/.test(icon)) continue
    out.push({
      measureId: r.measure_id,
      name: r.name,
      projectId: r.project_id,
      icon,
      label: view.summary.variationLabel ?? '',
      period: view.summary.latest?.period ?? null,
    })
    if (out.length >= limit) break
  }
  return out
}
