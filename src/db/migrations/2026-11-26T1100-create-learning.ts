import type { Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// Learning: courses, cohorts, sessions, enrolments, attendance, certificates, external training.

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  const t = types(dialect)

  await db.schema
    .alterTable('faculties')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .alterTable('faculties')
    .addColumn('contact_text', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  // { "Bronze": "awareness", … }: the faculty's own level names on the community's ladder.
  await db.schema.alterTable('faculties').addColumn('level_map', t.json).execute()

  await db.schema
    .createTable('courses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('faculty_id', 'text', (c) => c.notNull().references('faculties.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('local_level', 'text')
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('open_to_all', t.boolean, (c) => c.notNull().defaultTo(t.true))
    .addColumn('eligible_org_ids', t.json)
    .addColumn('eligible_roles', t.json)
    .addColumn('min_attendance_pct', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('requires_project', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('requires_assessment', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('requires_approval', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('certificate_valid_months', 'integer')
    .addColumn('published', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('is_demo', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('courses_faculty_idx').on('courses').column('faculty_id').execute()

  await db.schema
    .createTable('course_prerequisites')
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('prerequisite_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('course_prerequisites_pk', ['course_id', 'prerequisite_id'])
    .execute()

  await db.schema
    .createTable('cohorts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('enrolment_closes_at', t.timestamp, (c) => c.notNull())
    .addColumn('venue', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('online_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('facilitators', 'text', (c) => c.notNull().defaultTo(''))
    // Kept from the sessions, so lists and reports need no aggregate.
    .addColumn('starts_at', t.timestamp)
    .addColumn('ends_at', t.timestamp)
    // Recounted inside the transaction that holds the cohort's lock.
    .addColumn('enrolled_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('waitlisted_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('requested_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_queue_no', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('is_demo', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('cohorts_course_idx')
    .on('cohorts')
    .columns(['course_id', 'starts_at'])
    .execute()

  await db.schema
    .createTable('cohort_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('starts_at', t.timestamp, (c) => c.notNull())
    .addColumn('ends_at', t.timestamp, (c) => c.notNull())
    .addColumn('venue', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('online_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reminder_sent_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('cohort_sessions_cohort_idx')
    .on('cohort_sessions')
    .columns(['cohort_id', 'starts_at'])
    .execute()
  await db.schema
    .createIndex('cohort_sessions_starts_idx')
    .on('cohort_sessions')
    .column('starts_at')
    .execute()

  await db.schema
    .createTable('enrolments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('queue_no', 'integer', (c) => c.notNull())
    .addColumn('requested_at', t.timestamp, (c) => c.notNull())
    .addColumn('status_changed_at', t.timestamp, (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('project_ref', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('project_submitted', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('assessment_passed', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('completed_at', t.timestamp)
    .addColumn('is_demo', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addUniqueConstraint('enrolments_cohort_user_unique', ['cohort_id', 'user_id'])
    .execute()
  await db.schema.createIndex('enrolments_user_idx').on('enrolments').column('user_id').execute()
  await db.schema
    .createIndex('enrolments_cohort_status_idx')
    .on('enrolments')
    .columns(['cohort_id', 'status', 'queue_no'])
    .execute()

  await db.schema
    .createTable('attendance')
    .addColumn('session_id', 'text', (c) => c.notNull().references('cohort_sessions.id').onDelete('cascade'))
    .addColumn('enrolment_id', 'text', (c) => c.notNull().references('enrolments.id').onDelete('cascade'))
    .addColumn('present', t.boolean, (c) => c.notNull())
    .addColumn('marked_by', 'text')
    .addColumn('marked_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('attendance_pk', ['session_id', 'enrolment_id'])
    .execute()
  await db.schema.createIndex('attendance_enrolment_idx').on('attendance').column('enrolment_id').execute()

  await db.schema
    .createTable('certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('enrolment_id', 'text', (c) =>
      c.notNull().unique().references('enrolments.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('person_name', 'text', (c) => c.notNull())
    .addColumn('course_title', 'text', (c) => c.notNull())
    .addColumn('faculty_name', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('local_level', 'text')
    .addColumn('issued_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp)
    .addColumn('revoked_at', t.timestamp)
    .addColumn('revoked_reason', 'text')
    .execute()
  await db.schema.createIndex('certificates_user_idx').on('certificates').column('user_id').execute()

  await db.schema
    .createTable('external_training')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('completed_on', 'text', (c) => c.notNull())
    .addColumn('evidence_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('evidence_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('faculty_id', 'text', (c) => c.references('faculties.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', t.timestamp)
    .addColumn('review_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('external_training_user_idx')
    .on('external_training')
    .column('user_id')
    .execute()
  await db.schema
    .createIndex('external_training_faculty_idx')
    .on('external_training')
    .columns(['faculty_id', 'status'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'external_training',
    'certificates',
    'attendance',
    'enrolments',
    'cohort_sessions',
    'cohorts',
    'course_prerequisites',
    'courses',
  ]) {
    await db.schema.dropTable(table).execute()
  }
  for (const column of ['level_map', 'contact_text', 'description']) {
    await db.schema.alterTable('faculties').dropColumn(column).execute()
  }
}
