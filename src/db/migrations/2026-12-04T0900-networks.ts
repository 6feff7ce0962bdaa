import { type Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// Networks with discussions (issue 11 point 1): networks, their members (with each member's
// e-mail preference), threads, posts, reports and one-click unsubscribe tokens. Titles and bodies
// are plain text columns so that search can index them. Mail gains a `headers` column (JSON) for
// headers such as List-Unsubscribe (RFC 8058).

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(await dialectOf(db))
  await db.schema.alterTable('mail_outbox').addColumn('headers', 'text').execute()
  await db.schema
    .createTable('networks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('join_policy', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('is_demo', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .execute()
  await db.schema
    .createTable('network_members')
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('email_pref', 'text', (c) => c.notNull())
    .addColumn('requested_at', t.timestamp, (c) => c.notNull())
    .addColumn('joined_at', t.timestamp)
    .addPrimaryKeyConstraint('network_members_pk', ['network_id', 'user_id'])
    .execute()
  await db.schema.createIndex('network_members_user_idx').on('network_members').column('user_id').execute()
  await db.schema
    .createTable('network_threads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_post_at', t.timestamp, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('removed_at', t.timestamp)
    .addColumn('removed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .execute()
  await db.schema
    .createIndex('network_threads_network_idx')
    .on('network_threads')
    .columns(['network_id', 'last_post_at'])
    .execute()
  await db.schema
    .createTable('network_posts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('thread_id', 'text', (c) => c.notNull().references('network_threads.id').onDelete('cascade'))
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('is_opening', t.boolean, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('edited_at', t.timestamp)
    .addColumn('removed_at', t.timestamp)
    .addColumn('removed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .execute()
  await db.schema
    .createIndex('network_posts_thread_idx')
    .on('network_posts')
    .columns(['thread_id', 'created_at'])
    .execute()
  // The digests read a network's posts by time.
  await db.schema
    .createIndex('network_posts_network_idx')
    .on('network_posts')
    .columns(['network_id', 'created_at'])
    .execute()
  await db.schema
    .createTable('network_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'text', (c) => c.notNull().references('network_posts.id').onDelete('cascade'))
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('reporter_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('routed_to', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('handled_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('handled_at', t.timestamp)
    .execute()
  await db.schema
    .createIndex('network_reports_queue_idx')
    .on('network_reports')
    .columns(['status', 'routed_to', 'network_id'])
    .execute()
  await db.schema
    .createTable('network_unsubscribe_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'network_unsubscribe_tokens',
    'network_reports',
    'network_posts',
    'network_threads',
    'network_members',
    'networks',
  ])
    await db.schema.dropTable(table).execute()
  await db.schema.alterTable('mail_outbox').dropColumn('headers').execute()
}
