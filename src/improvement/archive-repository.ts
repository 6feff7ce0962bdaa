import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { read } from '../db/database.js'
import { normaliseData } from './tools/definitions.js'
import { sustainabilityModel } from './tools/model.js'

type Db = Kysely<DB> | Transaction<DB>

const BATCH = 500

/** What a finished project's archive card shows of its change ideas and its sustainability. */
export interface ProjectOutcome {
  adopted: string[]
  abandoned: string[]
  /** The latest Sustainability Model score (NHS Institute, total of the ten factors), if scored. */
  sustainability: { total: number; date: string } | null
}

/** Adopted and abandoned change ideas and the latest sustainability score, per project. */
export async function outcomesByProject(
  db: Db,
  projectIds: readonly string[],
): Promise<Map<string, ProjectOutcome>> {
  const out = new Map<string, ProjectOutcome>()
  const of = (id: string) => {
    let o = out.get(id)
    if (!o) out.set(id, (o = { adopted: [], abandoned: [], sustainability: null }))
    return o
  }
  for (let i = 0; i < projectIds.length; i += BATCH) {
    const ids = projectIds.slice(i, i + BATCH)
    const ideas = await db
      .selectFrom('change_ideas')
      .select(['project_id', 'title', 'status'])
      .where('project_id', 'in', ids)
      .where('status', 'in', ['adopted', 'abandoned'])
      .orderBy('position')
      .execute()
    for (const r of ideas)
      (r.status === 'adopted' ? of(r.project_id).adopted : of(r.project_id).abandoned).push(r.title)
    const tools = await db
      .selectFrom('project_tools')
      .select(['project_id', 'data'])
      .where('project_id', 'in', ids)
      .where('type', '=', 'sustainability')
      .orderBy('updated_at', 'desc')
      .execute()
    for (const t of tools) {
      const latest = sustainabilityModel(normaliseData(read.json(t.data, {}))).latest
      const o = of(t.project_id)
      if (latest && (!o.sustainability || latest.date > o.sustainability.date))
        o.sustainability = { total: latest.total, date: latest.date }
    }
  }
  return out
}
