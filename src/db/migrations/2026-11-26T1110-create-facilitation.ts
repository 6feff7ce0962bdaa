import type { Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// Facilitation (programmes, system priorities, support requests, capacity) and events.

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  const t = types(dialect)
  const hours = dialect === 'postgres' ? 'double precision' : 'real'

  await db.schema
    .alterTable('programmes')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .alterTable('programmes')
    .addColumn('is_demo', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .execute()

  await db.schema
    .createTable('system_priorities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('support_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('requester_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('organisation_id', 'text', (c) => c.references('organisations.id').onDelete('set null'))
    .addColumn('programme_id', 'text', (c) => c.references('programmes.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('need', 'text', (c) => c.notNull())
    .addColumn('scale', 'text', (c) => c.notNull())
    .addColumn('stakeholders', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('help_wanted', t.json, (c) => c.notNull())
    .addColumn('aim_codes', t.json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_changed_at', t.timestamp, (c) => c.notNull())
    .addColumn('signpost_faculty_id', 'text', (c) => c.references('faculties.id').onDelete('set null'))
    .addColumn('outcome', 'text')
    .addColumn('priority_override', 'integer')
    .addColumn('priority_override_reason', 'text')
    // How many system priorities the request serves (kept with its tags; orders the triage queue).
    .addColumn('priority_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_demo', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('support_requests_status_idx')
    .on('support_requests')
    .columns(['status', 'created_at'])
    .execute()
  await db.schema
    .createIndex('support_requests_requester_idx')
    .on('support_requests')
    .column('requester_id')
    .execute()
  await db.schema
    .createIndex('support_requests_programme_idx')
    .on('support_requests')
    .column('programme_id')
    .execute()
  await db.schema
    .createIndex('support_requests_organisation_idx')
    .on('support_requests')
    .column('organisation_id')
    .execute()
  // Covers the pipeline report's one grouped scan.
  await db.schema
    .createIndex('support_requests_pipeline_idx')
    .on('support_requests')
    .columns(['programme_id', 'organisation_id', 'status', 'status_changed_at'])
    .execute()

  await db.schema
    .createTable('support_request_priorities')
    .addColumn('request_id', 'text', (c) => c.notNull().references('support_requests.id').onDelete('cascade'))
    .addColumn('priority_id', 'text', (c) =>
      c.notNull().references('system_priorities.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('support_request_priorities_pk', ['request_id', 'priority_id'])
    .execute()
  await db.schema
    .createIndex('support_request_priorities_priority_idx')
    .on('support_request_priorities')
    .column('priority_id')
    .execute()

  await db.schema
    .createTable('support_request_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('support_requests.id').onDelete('cascade'))
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .createIndex('support_request_decisions_request_idx')
    .on('support_request_decisions')
    .columns(['request_id', 'at'])
    .execute()

  await db.schema
    .createTable('coach_capacity')
    .addColumn('coach_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('available_hours', hours, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('coach_capacity_pk', ['coach_id', 'month'])
    .execute()

  await db.schema
    .createTable('support_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('support_requests.id').onDelete('cascade'))
    .addColumn('coach_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('estimated_hours', hours, (c) => c.notNull())
    .addColumn('actual_hours', hours)
    .addColumn('override_reason', 'text')
    // Copied from the request (status kept in step with it) so capacity and the pipeline need no join.
    .addColumn('request_status', 'text', (c) => c.notNull())
    .addColumn('programme_id', 'text')
    .addColumn('organisation_id', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('support_assignments_unique', ['request_id', 'coach_id', 'month'])
    .execute()
  await db.schema
    .createIndex('support_assignments_month_idx')
    .on('support_assignments')
    .columns(['month', 'coach_id'])
    .execute()

  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('venue', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('joining_details', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('starts_at', t.timestamp, (c) => c.notNull())
    .addColumn('ends_at', t.timestamp, (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('programme_id', 'text', (c) => c.references('programmes.id').onDelete('set null'))
    .addColumn('support_request_id', 'text', (c) => c.references('support_requests.id').onDelete('set null'))
    .addColumn('organiser_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('published'))
    .addColumn('is_demo', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('events_starts_idx').on('events').column('starts_at').execute()
  await db.schema.createIndex('events_programme_idx').on('events').column('programme_id').execute()

  await db.schema
    .createTable('event_registrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('access_needs', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('queued_at', t.timestamp, (c) => c.notNull())
    .addColumn('queue_no', 'integer', (c) => c.notNull())
    .addColumn('checked_in_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('event_registrations_unique', ['event_id', 'user_id'])
    .addUniqueConstraint('event_registrations_queue_unique', ['event_id', 'queue_no'])
    .execute()
  await db.schema
    .createIndex('event_registrations_status_idx')
    .on('event_registrations')
    .columns(['event_id', 'status', 'queue_no'])
    .execute()
  await db.schema
    .createIndex('event_registrations_user_idx')
    .on('event_registrations')
    .column('user_id')
    .execute()

  await db.schema
    .createTable('event_feedback')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('rating', 'integer', (c) => c.notNull())
    .addColumn('went_well', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('even_better', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('event_feedback_unique', ['event_id', 'user_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'event_feedback',
    'event_registrations',
    'events',
    'support_assignments',
    'coach_capacity',
    'support_request_decisions',
    'support_request_priorities',
    'support_requests',
    'system_priorities',
  ]) {
    await db.schema.dropTable(table).execute()
  }
  await db.schema.alterTable('programmes').dropColumn('is_demo').execute()
  await db.schema.alterTable('programmes').dropColumn('description').execute()
}
