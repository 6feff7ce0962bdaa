import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from features.
// A review note (returned with comments, approved, declined publication…) is for the project's
// team, not for everyone who may see the project's timeline (issue 15 point 6). It moves out of the
// public summary into a column of its own, which only the team and reviewers are shown.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('project_activity').addColumn('team_note', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('project_activity').dropColumn('team_note').execute()
}
