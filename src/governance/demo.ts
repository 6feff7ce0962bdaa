import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { boardMeasureRow } from '../db/rows.js'

/**
 * The demo's Board summary: two synthetic measures flagged for the Board, a monthly one and a
 * weekly one, so /board shows mixed frequencies. No system priority (the seed leaves those to
 * the Steering Group), so they sit under "other measures". "Patients discharged before noon"
 * stays unflagged: the portfolio lists it as special cause improvement, ready to be flagged.
 * A measure that is missing is skipped; loading twice adds nothing.
 */
export const DEMO_BOARD_MEASURES = ['demo-measure-discharge-los', 'demo-measure-referrals-days']

export async function loadGovernanceDemo(trx: Transaction<DB>, nowIso: string): Promise<number> {
  const present = await trx
    .selectFrom('measures')
    .select('id')
    .where('id', 'in', DEMO_BOARD_MEASURES)
    .execute()
  let added = 0
  for (const { id } of present) {
    const r = await trx
      .insertInto('board_measures')
      .values(boardMeasureRow({ measure_id: id, flagged_at: nowIso }))
      .onConflict((oc) => oc.column('measure_id').doNothing())
      .executeTakeFirst()
    added += Number(r.numInsertedOrUpdatedRows ?? 0)
  }
  return added
}
