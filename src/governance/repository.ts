import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { read } from '../db/database.js'

/** Governance's own tables: the portfolio's settings and the measures shown to the Board. */

export type Db = Kysely<DB> | Transaction<DB>

/** DOMAIN.md §4: no data and no PDSA for 60 days, until the Steering Group says otherwise. */
export const DEFAULT_STALLED_DAYS = 60

export interface GovernanceSettings {
  stalledDays: number
  updatedAt: string | null
}

export async function findSettings(db: Db): Promise<GovernanceSettings> {
  const row = await db
    .selectFrom('governance_settings')
    .select(['stalled_days', 'updated_at'])
    .where('id', '=', 'system')
    .executeTakeFirst()
  return row
    ? { stalledDays: read.num(row.stalled_days), updatedAt: row.updated_at }
    : { stalledDays: DEFAULT_STALLED_DAYS, updatedAt: null }
}

export async function saveStalledDays(db: Db, days: number, by: string, at: string): Promise<void> {
  await db
    .insertInto('governance_settings')
    .values({ id: 'system', stalled_days: days, updated_by: by, updated_at: at })
    .onConflict((oc) => oc.column('id').doUpdateSet({ stalled_days: days, updated_by: by, updated_at: at }))
    .execute()
}

export interface BoardMeasure {
  measureId: string
  priorityId: string | null
  flaggedAt: string
}

/** The Board's measures, oldest flag first (a deleted measure has left the list with it). */
export async function listBoardMeasures(db: Db): Promise<BoardMeasure[]> {
  const rows = await db
    .selectFrom('board_measures')
    .select(['measure_id', 'priority_id', 'flagged_at'])
    .orderBy('flagged_at')
    .orderBy('measure_id')
    .execute()
  return rows.map((r) => ({ measureId: r.measure_id, priorityId: r.priority_id, flaggedAt: r.flagged_at }))
}

export async function findBoardMeasure(db: Db, measureId: string): Promise<BoardMeasure | null> {
  const r = await db
    .selectFrom('board_measures')
    .select(['measure_id', 'priority_id', 'flagged_at'])
    .where('measure_id', '=', measureId)
    .executeTakeFirst()
  return r ? { measureId: r.measure_id, priorityId: r.priority_id, flaggedAt: r.flagged_at } : null
}

/** Flags a measure, or changes the priority it is shown under. */
export async function upsertBoardMeasure(
  db: Db,
  m: { measureId: string; priorityId: string | null; by: string; at: string },
): Promise<void> {
  await db
    .insertInto('board_measures')
    .values({ measure_id: m.measureId, priority_id: m.priorityId, flagged_by: m.by, flagged_at: m.at })
    .onConflict((oc) => oc.column('measure_id').doUpdateSet({ priority_id: m.priorityId }))
    .execute()
}

export async function deleteBoardMeasure(db: Db, measureId: string): Promise<boolean> {
  const r = await db.deleteFrom('board_measures').where('measure_id', '=', measureId).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
