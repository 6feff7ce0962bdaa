import { sql, type Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// One table of one-click unsubscribe tokens for every mailing list (mail_unsubscribe_tokens,
// mail/unsubscribe.ts), in place of the notifications' and the networks' own copies of the same
// shape: the list says what a token stops (a notification kind, `digest:daily`, `network:<id>`…).
// Tokens already sent keep working: their rows move across with their hash, person and use.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`insert into mail_unsubscribe_tokens (token_hash, user_id, list, created_at, used_at)
    select token_hash, user_id, kind, created_at, used_at from notification_unsubscribe_tokens`.execute(db)
  await sql`insert into mail_unsubscribe_tokens (token_hash, user_id, list, created_at, used_at)
    select token_hash, user_id, 'network:' || network_id, created_at, used_at
    from network_unsubscribe_tokens`.execute(db)
  await db.schema.dropTable('notification_unsubscribe_tokens').execute()
  await db.schema.dropTable('network_unsubscribe_tokens').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  const t = types(await dialectOf(db))
  await db.schema
    .createTable('notification_unsubscribe_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .execute()
  await db.schema
    .createTable('network_unsubscribe_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .execute()
  await sql`insert into network_unsubscribe_tokens (token_hash, user_id, network_id, created_at, used_at)
    select token_hash, user_id, substr(list, 9), created_at, used_at from mail_unsubscribe_tokens
    where list like 'network:%' and substr(list, 9) in (select id from networks)`.execute(db)
  await sql`insert into notification_unsubscribe_tokens (token_hash, user_id, kind, created_at, used_at)
    select token_hash, user_id, list, created_at, used_at from mail_unsubscribe_tokens
    where list not like 'network:%' and list <> 'governance.digest'`.execute(db)
  await sql`delete from mail_unsubscribe_tokens where list <> 'governance.digest'`.execute(db)
}
