import { read } from '../db/database.js'
import { anyOf } from '../db/sql.js'
import type { Db } from './repository.js'

/** Annotations and rebases of a measure's chart (`measure_annotations`). */

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
export function listRebasesOf(db: Db, measureIds: string[]): Promise<Map<string, Annotation[]>> {
  return listAnnotationsOf(db, measureIds, { rebasesOnly: true })
}

/** The annotations of several measures in one query, each measure's in date order. */
export async function listAnnotationsOf(
  db: Db,
  measureIds: string[],
  options: { rebasesOnly?: boolean } = {},
): Promise<Map<string, Annotation[]>> {
  const out = new Map<string, Annotation[]>(measureIds.map((id) => [id, []]))
  if (measureIds.length === 0) return out
  let query = db
    .selectFrom('measure_annotations')
    .selectAll()
    .where(anyOf(db, 'measure_id', measureIds))
  if (options.rebasesOnly) query = query.where('is_rebase', '=', true)
  const rows = await query.orderBy('date').orderBy('created_at').execute()
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
