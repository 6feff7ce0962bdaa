import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from features.
// Learning meets projects: an enrolment may link a project on the platform (issue 5 point 6).
// project_ref stays as the free-text reference for a project done outside the platform.
// Deleting the project clears the link rather than the learner's enrolment.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('enrolments')
    .addColumn('project_id', 'text', (c) => c.references('projects.id').onDelete('set null'))
    .execute()
  await db.schema.createIndex('enrolments_project_idx').on('enrolments').column('project_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('enrolments_project_idx').execute()
  await db.schema.alterTable('enrolments').dropColumn('project_id').execute()
}
