import type { Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// Improvement projects: the project, its organisations, team, aim codes, priorities,
// aim versions, progress scores, activity and comments.

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  const t = types(dialect)
  const real = dialect === 'postgres' ? 'double precision' : 'real'
  const pg = dialect === 'postgres'
  const autoId = (c: any) =>
    pg ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement()
  const idType = pg ? 'bigint' : 'integer'

  await db.schema
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('problem', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('public_approved_at', t.timestamp)
    .addColumn('public_approved_by', 'text')
    .addColumn('public_requested_at', t.timestamp)
    .addColumn('public_consent_at', t.timestamp)
    .addColumn('public_consent_by', 'text')
    .addColumn('programme_id', 'text', (c) => c.references('programmes.id').onDelete('set null'))
    .addColumn('qsir_stage', 'text', (c) => c.notNull().defaultTo('start_out'))
    .addColumn('progress_score', real)
    .addColumn('research_answer', 'text')
    .addColumn('research_notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('submitted_at', t.timestamp)
    .addColumn('approved_at', t.timestamp)
    .addColumn('approved_by', 'text')
    .addColumn('returned_comment', 'text')
    .addColumn('abandoned_reason', 'text')
    .addColumn('status_changed_at', t.timestamp)
    .addColumn('lessons', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('last_activity_at', t.timestamp, (c) => c.notNull())
    .addColumn('is_demo', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('projects_status_idx')
    .on('projects')
    .columns(['status', 'updated_at'])
    .execute()
  await db.schema.createIndex('projects_programme_idx').on('projects').column('programme_id').execute()
  await db.schema.createIndex('projects_visibility_idx').on('projects').column('visibility').execute()
  await db.schema.createIndex('projects_activity_idx').on('projects').column('last_activity_at').execute()

  await db.schema
    .createTable('project_organisations')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('project_organisations_pk', ['project_id', 'organisation_id'])
    .execute()
  await db.schema
    .createIndex('project_organisations_org_idx')
    .on('project_organisations')
    .column('organisation_id')
    .execute()

  await db.schema
    .createTable('project_members')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('added_at', t.timestamp, (c) => c.notNull())
    .addColumn('added_by', 'text')
    .addPrimaryKeyConstraint('project_members_pk', ['project_id', 'user_id'])
    .execute()
  await db.schema.createIndex('project_members_user_idx').on('project_members').column('user_id').execute()

  await db.schema
    .createTable('project_aim_codes')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('aim_code', 'text', (c) => c.notNull().references('aims.code').onDelete('cascade'))
    .addPrimaryKeyConstraint('project_aim_codes_pk', ['project_id', 'aim_code'])
    .execute()

  await db.schema
    .createTable('project_priorities')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('priority_id', 'text', (c) =>
      c.notNull().references('system_priorities.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('project_priorities_pk', ['project_id', 'priority_id'])
    .execute()

  await db.schema
    .createTable('project_aims')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('what', 'text', (c) => c.notNull())
    .addColumn('measure', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('baseline', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('target', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('for_whom', 'text', (c) => c.notNull())
    .addColumn('by_when', 'text', (c) => c.notNull())
    .addColumn('statement', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addUniqueConstraint('project_aims_version_unique', ['project_id', 'version'])
    .execute()

  await db.schema
    .createTable('project_progress_scores')
    .addColumn('id', idType, autoId)
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('score', real, (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute()
  await db.schema
    .createIndex('project_progress_scores_project_idx')
    .on('project_progress_scores')
    .column('project_id')
    .execute()

  await db.schema
    .createTable('project_activity')
    .addColumn('id', idType, autoId)
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('project_activity_project_idx')
    .on('project_activity')
    .columns(['project_id', 'at'])
    .execute()

  await db.schema
    .createTable('comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('comments_target_idx')
    .on('comments')
    .columns(['target_type', 'target_id', 'created_at'])
    .execute()
  await db.schema.createIndex('comments_project_idx').on('comments').column('project_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'comments',
    'project_activity',
    'project_progress_scores',
    'project_aims',
    'project_priorities',
    'project_aim_codes',
    'project_members',
    'project_organisations',
    'projects',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
