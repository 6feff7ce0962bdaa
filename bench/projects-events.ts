/**
 * The measure of issue 17's page target, shared by `npm run bench:projects` and anyone profiling
 * that page: a copy of the large measure's 1,000 points with 40 annotations (one a rebase) and 30
 * PDSA cycles marked on it.
 */
import { sql } from 'kysely'
import type { Database } from '../src/db/database.js'
import { LARGE_BENCH_MEASURE } from '../src/demo/large.js'
import { analyseMeasure } from '../src/measures/chart.js'
import { listAnnotations } from '../src/measures/annotation-repository.js'
import { listSeries } from '../src/measures/point-repository.js'
import { pdsaMarksForMeasure } from '../src/improvement/pdsa-marks.js'
import { insertCycle, setCycleMeasures } from '../src/improvement/pdsa/repository.js'
import { percentile } from './lib.js'

export const EVENTS_MEASURE = 'bench-m-events'

/**
 * The events variant (issue 17): a measure with the large measure's 1,000 points, 40 annotations
 * (one a rebase) and 30 PDSA cycles marked on it, made once. Returns how long drawing its chart
 * takes without the cache (20 draws after 3 not counted).
 */
export async function addEventsMeasure(database: Database): Promise<{ p50: number; p95: number }> {
  const { db } = database
  const now = new Date().toISOString()
  const exists = await db
    .selectFrom('measures')
    .select('id')
    .where('id', '=', EVENTS_MEASURE)
    .executeTakeFirst()
  if (!exists) {
    const source = await db
      .selectFrom('measures')
      .selectAll()
      .where('id', '=', LARGE_BENCH_MEASURE)
      .executeTakeFirstOrThrow()
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('measures')
        .values({
          ...source,
          is_demo: Boolean(source.is_demo),
          id: EVENTS_MEASURE,
          name: `${source.name} (40 annotations, 30 PDSA marks)`,
        })
        .execute()
      const columns = ['period', 'value', 'numerator', 'denominator', 'excluded', 'exclusion_reason'] as const
      await trx
        .insertInto('measure_data_points')
        .columns(['measure_id', ...columns])
        .expression(
          trx
            .selectFrom('measure_data_points')
            .select([sql.lit(EVENTS_MEASURE).as('measure_id'), ...columns])
            .where('measure_id', '=', LARGE_BENCH_MEASURE),
        )
        .execute()
      const periods = (
        await trx
          .selectFrom('measure_data_points')
          .select('period')
          .where('measure_id', '=', EVENTS_MEASURE)
          .orderBy('period')
          .execute()
      ).map((r) => r.period)
      const at = (k: number, of: number) => periods[Math.floor(((k + 0.5) * (periods.length - 1)) / of)]
      await trx
        .insertInto('measure_annotations')
        .values(
          Array.from({ length: 40 }, (_, k) => ({
            id: `${EVENTS_MEASURE}-a${k}`,
            measure_id: EVENTS_MEASURE,
            date: at(k, 40),
            text:
              k === 20 ? 'New pathway became how the ward works' : `Change ${k + 1}: a note on what happened`,
            pdsa_id: null,
            is_rebase: k === 20,
            created_by: null,
            created_at: now,
          })),
        )
        .execute()
      await trx
        .insertInto('change_ideas')
        .values({
          id: `${EVENTS_MEASURE}-idea`,
          project_id: source.project_id,
          title: 'Bench change idea',
          status: 'testing',
          position: 0,
          created_by: null,
          created_at: now,
          updated_at: now,
        })
        .execute()
      const author = await trx.selectFrom('users').select('id').executeTakeFirstOrThrow()
      for (let k = 0; k < 30; k++) {
        const id = `${EVENTS_MEASURE}-pdsa${k}`
        await insertCycle(trx, {
          id,
          projectId: source.project_id,
          changeIdeaId: `${EVENTS_MEASURE}-idea`,
          previousId: null,
          plan: {
            title: `Cycle ${k + 1}`,
            objective: 'Bench',
            prediction: 'Bench',
            planWho: '',
            planWhat: '',
            planWhen: '',
            planWhere: '',
            plannedDate: at(k, 30),
            dataToCollect: '',
          },
          createdBy: author.id,
          now,
        })
        await setCycleMeasures(trx, id, [EVENTS_MEASURE])
      }
    })
  }
  // The cold draw, as the page service does it when the cache does not hold the chart.
  const measure = await db
    .selectFrom('measures')
    .selectAll()
    .where('id', '=', EVENTS_MEASURE)
    .executeTakeFirstOrThrow()
  const points = await listSeries(db, EVENTS_MEASURE)
  const notes = await listAnnotations(db, EVENTS_MEASURE)
  const marks = await pdsaMarksForMeasure(db, EVENTS_MEASURE)
  const chartMeasure = {
    name: measure.name,
    unit: measure.unit,
    dataKind: measure.data_kind as 'continuous',
    chartType: measure.chart_type as 'i' | null,
    multiplier: measure.multiplier,
    direction: measure.direction as 'increase',
    target: measure.target,
  }
  const times: number[] = []
  for (let k = 0; k < 23; k++) {
    const started = performance.now()
    analyseMeasure(chartMeasure, points, notes, marks, { seeSmallNumbers: false, rows: 100 })
    if (k >= 3) times.push(performance.now() - started)
  }
  const sorted = Float64Array.from(times).sort()
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) }
}
