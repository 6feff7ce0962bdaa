import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { pdsaMarksForMeasure } from '../improvement/pdsa-marks.js'

export interface PdsaMark {
  date: string
  label: string
  pdsaId: string
}

/**
 * The PDSA cycles linked to a measure (from the improvement methods feature), to mark on the
 * chart's time axis. A chart never fails for want of its marks: any problem gives none.
 */
export async function pdsaMarks(db: Kysely<DB>, measureId: string): Promise<PdsaMark[]> {
  try {
    return await pdsaMarksForMeasure(db, measureId)
  } catch {
    return []
  }
}
