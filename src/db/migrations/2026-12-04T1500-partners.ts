import { sql, type Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// Improvement partners (issue 13 point 1): the team's "you said, we did" entries, each partner's
// involvement log (sessions, time, expenses in integer pence, claimed → approved → paid) and the
// Steering Group's reading-age level for text written for partners (one row, id 'system').

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(await dialectOf(db))
  await db.schema
    .createTable('partner_you_said')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('you_said', 'text', (c) => c.notNull())
    .addColumn('we_did', 'text', (c) => c.notNull())
    .addColumn('said_on', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('partner_you_said_project_idx')
    .on('partner_you_said')
    .columns(['project_id', 'said_on'])
    .execute()
  await db.schema
    .createTable('partner_involvement')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('involved_on', 'text', (c) => c.notNull())
    .addColumn('sessions', 'integer', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('what_for', 'text', (c) => c.notNull())
    .addColumn('expenses_pence', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_at', t.timestamp)
    .addColumn('paid_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('paid_at', t.timestamp)
    .addCheckConstraint('partner_involvement_pence_check', sql`expenses_pence >= 0`)
    .execute()
  await db.schema
    .createIndex('partner_involvement_project_idx')
    .on('partner_involvement')
    .columns(['project_id', 'involved_on'])
    .execute()
  await db.schema
    .createIndex('partner_involvement_partner_idx')
    .on('partner_involvement')
    .columns(['partner_id', 'involved_on'])
    .execute()
  await db.schema
    .createTable('partner_settings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('max_reading_age', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('partner_settings').execute()
  await db.schema.dropTable('partner_involvement').execute()
  await db.schema.dropTable('partner_you_said').execute()
}
