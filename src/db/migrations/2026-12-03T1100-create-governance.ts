import { type Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// Governance (issue 12): the Steering Group's settings for the portfolio (how many days without a
// data point or a PDSA change make a project stalled) and the measures it shows the Board, each
// optionally as a measure of a system priority.

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(await dialectOf(db))
  await db.schema
    .createTable('governance_settings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('stalled_days', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('board_measures')
    // A deleted measure leaves the Board's list with it: nothing is shown for a measure that is gone.
    .addColumn('measure_id', 'text', (c) => c.primaryKey().references('measures.id').onDelete('cascade'))
    .addColumn('priority_id', 'text', (c) => c.references('system_priorities.id').onDelete('set null'))
    .addColumn('flagged_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('flagged_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('board_measures_priority_idx')
    .on('board_measures')
    .column('priority_id')
    .execute()
  // The portfolio's "stalled" check reads each project's latest data change.
  await db.schema
    .createIndex('measures_project_data_idx')
    .on('measures')
    .columns(['project_id', 'last_data_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('measures_project_data_idx').execute()
  await db.schema.dropTable('board_measures').execute()
  await db.schema.dropTable('governance_settings').execute()
}
