import type { Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// One row per form submission key (issue 15 point 4): Back and Send again, or a double click,
// finds the first submission's row and is shown what it did instead of doing it twice.

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(await dialectOf(db))
  await db.schema
    .createTable('form_submissions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('location', 'text')
    .execute()
  await db.schema
    .createIndex('form_submissions_created_idx')
    .on('form_submissions')
    .column('created_at')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('form_submissions').execute()
}
