import type { Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// Notification preferences in one place (issue 13 point 2): per person and kind of e-mail, how
// often (immediately, daily, weekly, never; no row means immediately); the messages held for a
// daily or weekly digest until the digest job sends them (`digest_key` names the digest that
// took them, so no message is sent twice); and the one-click unsubscribe tokens (RFC 8058),
// stored hashed, each for one person and kind and usable once.

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(await dialectOf(db))
  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'kind'])
    .execute()
  await db.schema
    .createTable('notification_digest_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('digest_key', 'text')
    .execute()
  await db.schema
    .createIndex('notification_digest_items_due_idx')
    .on('notification_digest_items')
    .columns(['frequency', 'digest_key', 'created_at'])
    .execute()
  await db.schema
    .createTable('notification_unsubscribe_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'notification_unsubscribe_tokens',
    'notification_digest_items',
    'notification_preferences',
  ])
    await db.schema.dropTable(table).execute()
}
