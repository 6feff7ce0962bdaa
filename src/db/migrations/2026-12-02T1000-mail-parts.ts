import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from features.
// Every message has a plain-text and an HTML part and names its recipient (issue 15 point 9).
// Rows written before keep html_body and to_name empty: they are sent as they were written.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').addColumn('to_name', 'text').execute()
  await db.schema.alterTable('mail_outbox').addColumn('html_body', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('html_body').execute()
  await db.schema.alterTable('mail_outbox').dropColumn('to_name').execute()
}
