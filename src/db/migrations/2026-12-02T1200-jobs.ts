import { sql, type Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// Background jobs (thumbnails, board packs, digests) live in the database, so any instance may
// run them: claimed one at a time with a lease, retried with back-off, finished once. A job with
// a key is queued once per (kind, key) while it is still to run, so a double click queues one.

export async function up(db: Kysely<any>): Promise<void> {
  const t = types(await dialectOf(db))
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text')
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', t.timestamp, (c) => c.notNull())
    .addColumn('locked_until', t.timestamp)
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('finished_at', t.timestamp)
    .execute()
  // What the claim reads: the oldest due job that is queued, or running with a lapsed lease.
  await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['status', 'run_at']).execute()
  // One live job per (kind, key): a finished or failed one frees the key for the next.
  await sql`create unique index jobs_live_key_idx on jobs (kind, dedupe_key)
    where dedupe_key is not null and status in ('queued', 'running')`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute()
}
