import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'

type Db = Kysely<DB> | Transaction<DB>

export interface StoredPattern {
  id: string
  label: string
  kind: 'mask' | 'regex'
  pattern: string
  source: string
  createdAt: string
}

/** The checked sources only: one small query on every write request. */
export async function patternSources(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('screening_patterns').select('source').execute()
  return rows.map((r) => r.source)
}

export async function listPatterns(db: Db): Promise<StoredPattern[]> {
  const rows = await db
    .selectFrom('screening_patterns')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    kind: r.kind === 'regex' ? 'regex' : 'mask',
    pattern: r.pattern,
    source: r.source,
    createdAt: r.created_at,
  }))
}

export async function insertPattern(
  db: Db,
  p: { id: string; label: string; kind: string; pattern: string; source: string; at: string; by: string },
): Promise<void> {
  await db
    .insertInto('screening_patterns')
    .values({
      id: p.id,
      label: p.label,
      kind: p.kind,
      pattern: p.pattern,
      source: p.source,
      created_at: p.at,
      created_by: p.by,
    })
    .execute()
}

export async function deletePattern(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('screening_patterns').where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) === 1
}
