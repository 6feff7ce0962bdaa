import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'

export interface MeasureOption {
  id: string
  title: string
}

/**
 * The project's measures, for linking PDSA cycles. The measures tables belong to the
 * measures feature (a sibling migration): read them with plain SQL and answer an empty
 * list while they do not exist yet, so improvement methods work on their own.
 * Never call this inside a transaction (on PostgreSQL a failed query aborts it).
 */
export async function listProjectMeasures(db: Kysely<DB>, projectId: string): Promise<MeasureOption[]> {
  try {
    const result = await sql<
      Record<string, unknown>
    >`select * from measures where project_id = ${projectId}`.execute(db)
    return result.rows
      .map((row) => ({ id: String(row.id), title: String(row.title ?? row.name ?? row.id) }))
      .sort((a, b) => a.title.localeCompare(b.title))
  } catch {
    return []
  }
}
