import type { Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// Improvement methods: driver diagrams (drivers, change ideas), PDSA cycles and the
// QI tools kept inside a project. pdsa_measures.measure_id refers to measures.id
// without a foreign key (the measures tables are created by a sibling migration).

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(await dialectOf(db))

  await db.schema
    .createTable('drivers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('drivers_project_idx')
    .on('drivers')
    .columns(['project_id', 'kind', 'position'])
    .execute()

  await db.schema
    .createTable('driver_parents')
    .addColumn('secondary_id', 'text', (c) => c.notNull().references('drivers.id').onDelete('cascade'))
    .addColumn('primary_id', 'text', (c) => c.notNull().references('drivers.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('driver_parents_pk', ['secondary_id', 'primary_id'])
    .execute()
  await db.schema
    .createIndex('driver_parents_primary_idx')
    .on('driver_parents')
    .column('primary_id')
    .execute()

  await db.schema
    .createTable('change_ideas')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('change_ideas_project_idx')
    .on('change_ideas')
    .columns(['project_id', 'position'])
    .execute()

  await db.schema
    .createTable('change_idea_drivers')
    .addColumn('change_idea_id', 'text', (c) => c.notNull().references('change_ideas.id').onDelete('cascade'))
    .addColumn('driver_id', 'text', (c) => c.notNull().references('drivers.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('change_idea_drivers_pk', ['change_idea_id', 'driver_id'])
    .execute()
  await db.schema
    .createIndex('change_idea_drivers_driver_idx')
    .on('change_idea_drivers')
    .column('driver_id')
    .execute()

  await db.schema
    .createTable('pdsa_cycles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('change_idea_id', 'text', (c) => c.notNull().references('change_ideas.id').onDelete('cascade'))
    .addColumn('previous_id', 'text', (c) => c.references('pdsa_cycles.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('objective', 'text', (c) => c.notNull())
    .addColumn('prediction', 'text', (c) => c.notNull())
    .addColumn('plan_who', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('plan_what', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('plan_when', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('plan_where', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('planned_date', 'text')
    .addColumn('data_to_collect', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('do_notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('do_start', 'text')
    .addColumn('do_end', 'text')
    .addColumn('findings', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('prediction_met', 'text')
    .addColumn('decision', 'text')
    .addColumn('decision_reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('decided_at', t.timestamp)
    .addColumn('closed_at', t.timestamp)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('pdsa_cycles_project_idx')
    .on('pdsa_cycles')
    .columns(['project_id', 'created_at'])
    .execute()
  await db.schema
    .createIndex('pdsa_cycles_change_idea_idx')
    .on('pdsa_cycles')
    .column('change_idea_id')
    .execute()
  await db.schema.createIndex('pdsa_cycles_previous_idx').on('pdsa_cycles').column('previous_id').execute()

  await db.schema
    .createTable('pdsa_measures')
    .addColumn('pdsa_id', 'text', (c) => c.notNull().references('pdsa_cycles.id').onDelete('cascade'))
    .addColumn('measure_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pdsa_measures_pk', ['pdsa_id', 'measure_id'])
    .execute()
  await db.schema.createIndex('pdsa_measures_measure_idx').on('pdsa_measures').column('measure_id').execute()

  await db.schema
    .createTable('project_tools')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('data', t.json, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('project_tools_project_idx')
    .on('project_tools')
    .columns(['project_id', 'type'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'project_tools',
    'pdsa_measures',
    'pdsa_cycles',
    'change_idea_drivers',
    'change_ideas',
    'driver_parents',
    'drivers',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
