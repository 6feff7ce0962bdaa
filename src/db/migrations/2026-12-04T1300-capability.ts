import { type Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// Capability (issue 12 point 2): the Steering Group's targets per organisation and level (a share
// of the staff by a date) and the staff headcount each organisation's admin enters.

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(await dialectOf(db))
  await db.schema
    .createTable('capability_targets')
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('percent', 'real', (c) => c.notNull())
    .addColumn('by_date', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('set_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('capability_targets_pk', ['organisation_id', 'level'])
    .execute()
  await db.schema
    .createTable('organisation_headcounts')
    .addColumn('organisation_id', 'text', (c) =>
      c.primaryKey().references('organisations.id').onDelete('cascade'),
    )
    .addColumn('headcount', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('organisation_headcounts').execute()
  await db.schema.dropTable('capability_targets').execute()
}
