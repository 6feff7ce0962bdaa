import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import { read } from '../../db/database.js'
import { anyOf, idChunks } from '../../db/sql.js'

type Db = Kysely<DB> | Transaction<DB>

/**
 * What reports across many projects read of `pdsa_cycles` (the Steering Group's portfolio), in
 * chunks of project ids (`idChunks`: all at once on PostgreSQL, 500 at a time on SQLite).
 */

/** Each project's latest change to any of its PDSA cycles (ISO), for projects with any. */
export async function lastChangeByProject(
  db: Db,
  projectIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const chunk of idChunks(db, projectIds)) {
    const rows = await db
      .selectFrom('pdsa_cycles')
      .select(['project_id', sql<string>`max(updated_at)`.as('at')])
      .where(anyOf(db, 'project_id', chunk))
      .groupBy('project_id')
      .execute()
    for (const r of rows) if (r.at !== null) out.set(r.project_id, String(r.at))
  }
  return out
}

/** How many decided cycles of these projects were adopted, adapted or abandoned. */
export async function decisionCounts(
  db: Db,
  projectIds: readonly string[],
): Promise<{ adopt: number; adapt: number; abandon: number }> {
  const out = { adopt: 0, adapt: 0, abandon: 0 }
  for (const chunk of idChunks(db, projectIds)) {
    const rows = await db
      .selectFrom('pdsa_cycles')
      .select(['decision', sql<number>`count(*)`.as('n')])
      .where(anyOf(db, 'project_id', chunk))
      .where('decision', 'in', ['adopt', 'adapt', 'abandon'])
      .groupBy('decision')
      .execute()
    for (const r of rows) out[r.decision as keyof typeof out] += read.num(r.n)
  }
  return out
}
