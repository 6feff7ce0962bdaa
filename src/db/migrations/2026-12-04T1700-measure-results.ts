import { type Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// Stored SPC results (issue 12 point 8): each measure's analysis as viewers outside its team see
// it, written in the transaction that changes its data, rebases, target or chart type, with the
// key of what it was computed from, so every instance reads it instead of recomputing.

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(await dialectOf(db))
  await db.schema
    .createTable('measure_results')
    .addColumn('measure_id', 'text', (c) => c.primaryKey().references('measures.id').onDelete('cascade'))
    .addColumn('inputs_key', 'text', (c) => c.notNull())
    .addColumn('view', 'text', (c) => c.notNull())
    .addColumn('computed_at', t.timestamp, (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('measure_results').execute()
}
