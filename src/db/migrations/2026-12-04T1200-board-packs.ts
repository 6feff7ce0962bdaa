import { type ColumnDataType, type Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// Board packs (issue 12 point 5): a PowerPoint file, a PDF and a print page made by a background
// job from the Board's measures, kept for download. One pack at a time is queued or running
// (`live` = 'live', unique), so two requests at once make one pack.

const blob = (dialect: 'sqlite' | 'postgres'): ColumnDataType => (dialect === 'postgres' ? 'bytea' : 'blob')

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  const t = types(dialect)
  await db.schema
    .createTable('board_packs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('live', 'text', (c) => c.unique())
    .addColumn('requested_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('requested_at', t.timestamp, (c) => c.notNull())
    .addColumn('measure_ids', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('data_as_at', t.timestamp)
    .addColumn('content', 'text')
    .addColumn('pptx', blob(dialect))
    .addColumn('pdf', blob(dialect))
    .addColumn('error', 'text')
    .addColumn('finished_at', t.timestamp)
    .execute()
  await db.schema.createIndex('board_packs_requested_idx').on('board_packs').column('requested_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('board_packs').execute()
}
