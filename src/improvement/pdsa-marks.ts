import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'

export interface PdsaMark {
  /** YYYY-MM-DD: the cycle's do start date, or its planned date. */
  date: string
  label: string
  pdsaId: string
}

/**
 * The PDSA cycles linked to a measure, for marking on its SPC chart's time axis, in
 * date order. Cycles with neither a start nor a planned date are left out. The caller
 * has already checked that the user may see the measure (and so its project's PDSAs).
 */
export async function pdsaMarksForMeasure(db: Kysely<DB>, measureId: string): Promise<PdsaMark[]> {
  const rows = await db
    .selectFrom('pdsa_measures')
    .innerJoin('pdsa_cycles', 'pdsa_cycles.id', 'pdsa_measures.pdsa_id')
    .select(['pdsa_cycles.id', 'pdsa_cycles.title', 'pdsa_cycles.do_start', 'pdsa_cycles.planned_date'])
    .where('pdsa_measures.measure_id', '=', measureId)
    .execute()
  const marks: PdsaMark[] = []
  for (const row of rows) {
    const date = (row.do_start ?? row.planned_date ?? '').slice(0, 10)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) continue
    marks.push({ date, label: `PDSA: ${row.title}`, pdsaId: row.id })
  }
  return marks.sort((a, b) => a.date.localeCompare(b.date) || a.label.localeCompare(b.label))
}
