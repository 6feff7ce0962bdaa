import { sql } from 'kysely'
import { listMeasuresByIds, type Db, type Measure } from './repository.js'

/**
 * What reports across many projects read of `measures` (the Steering Group's portfolio, the
 * Board's summary): in batches of ids, so a portfolio of thousands stays within every
 * database's limit on parameters.
 */

const BATCH = 500

async function inBatches<T>(ids: readonly string[], run: (batch: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < ids.length; i += BATCH) out.push(...(await run(ids.slice(i, i + BATCH))))
  return out
}

/** Each project's latest change to any of its measures' data (projects without data are left out). */
export async function lastDataByProject(db: Db, projectIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await inBatches(projectIds, (batch) =>
    db
      .selectFrom('measures')
      .select(['project_id', sql<string>`max(last_data_at)`.as('at')])
      .where('project_id', 'in', batch)
      .where('last_data_at', 'is not', null)
      .groupBy('project_id')
      .execute(),
  )
  return new Map(rows.filter((r) => r.at !== null).map((r) => [r.project_id, String(r.at)]))
}

/** The measures of these projects, by project then the team's order. */
export async function measuresOfProjects(db: Db, projectIds: readonly string[]): Promise<Measure[]> {
  const ids = await inBatches(projectIds, (batch) =>
    db.selectFrom('measures').select('id').where('project_id', 'in', batch).execute(),
  )
  return measuresByIds(
    db,
    ids.map((r) => r.id),
  )
}

/** These measures (those still there), in no particular order. */
export async function measuresByIds(db: Db, ids: readonly string[]): Promise<Measure[]> {
  return inBatches(ids, (batch) => listMeasuresByIds(db, batch))
}

/** Measures whose name contains the words, newest first (for choosing one to flag). */
export async function searchMeasureNames(
  db: Db,
  words: string,
  limit: number,
): Promise<{ id: string; name: string; projectId: string }[]> {
  const terms = words.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 6)
  if (terms.length === 0) return []
  let q = db.selectFrom('measures').select(['id', 'name', 'project_id'])
  for (const t of terms)
    q = q.where(sql<boolean>`lower(name) like ${`%${t.replace(/[\\%_]/g, (c) => '\\' + c)}%`} escape '\\'`)
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute()
  return rows.map((r) => ({ id: r.id, name: r.name, projectId: r.project_id }))
}

/** The names of each project's measures (for "similar projects"; names only, never data). */
export async function measureNamesByProject(
  db: Db,
  projectIds: readonly string[],
): Promise<Map<string, string[]>> {
  const rows = await inBatches(projectIds, (batch) =>
    db.selectFrom('measures').select(['project_id', 'name']).where('project_id', 'in', batch).execute(),
  )
  const out = new Map<string, string[]>()
  for (const r of rows) out.set(r.project_id, [...(out.get(r.project_id) ?? []), r.name])
  return out
}
