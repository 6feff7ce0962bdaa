import { type Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// The NHS IMPACT self-assessment (issue 12 point 6): assessments of the system or of one
// organisation, a maturity level (and an optional note) per question area, and actions per area
// that may link to a project, a course or a programme.

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(await dialectOf(db))
  await db.schema
    .createTable('impact_assessments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.references('organisations.id').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('shared', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('completed_at', t.timestamp)
    .execute()
  await db.schema
    .createIndex('impact_assessments_organisation')
    .on('impact_assessments')
    .columns(['organisation_id', 'period'])
    .execute()
  await db.schema
    .createTable('impact_ratings')
    .addColumn('assessment_id', 'text', (c) =>
      c.notNull().references('impact_assessments.id').onDelete('cascade'),
    )
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('level', 'integer')
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('impact_ratings_pk', ['assessment_id', 'area'])
    .execute()
  await db.schema
    .createTable('impact_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('assessment_id', 'text', (c) =>
      c.notNull().references('impact_assessments.id').onDelete('cascade'),
    )
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('link_type', 'text')
    .addColumn('link_ref', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('impact_actions_assessment')
    .on('impact_actions')
    .column('assessment_id')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('impact_actions').execute()
  await db.schema.dropTable('impact_ratings').execute()
  await db.schema.dropTable('impact_assessments').execute()
}
