import { read } from '../db/database.js'
import type { Db } from './repository.js'

/** Pasted or uploaded tables kept for their preview until they are committed or discarded (`measure_imports`). */

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
