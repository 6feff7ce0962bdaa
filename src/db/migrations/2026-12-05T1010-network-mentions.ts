import type { Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// Networks' @mentions, stored (issue 13 point 3): who mentioned whom in which post, so a
// person's "my work" home lists them. The post's own row says whether it is still shown, and
// the network's membership whether the person may still read it.

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(await dialectOf(db))
  await db.schema
    .createTable('network_mentions')
    .addColumn('post_id', 'text', (c) => c.notNull().references('network_posts.id').onDelete('cascade'))
    .addColumn('mentioned_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('network_mentions_pk', ['post_id', 'mentioned_id'])
    .execute()
  await db.schema
    .createIndex('network_mentions_person_idx')
    .on('network_mentions')
    .columns(['mentioned_id', 'created_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('network_mentions').execute()
}
