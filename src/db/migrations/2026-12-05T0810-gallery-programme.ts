import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from features.
// The gallery filtered by programme (issue 10, Benchmark): with only (status, year) every
// approved poster was read to test its programme; this reads that programme's alone.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('showcase_items_programme_idx')
    .on('showcase_items')
    .columns(['status', 'programme_id', 'year'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('showcase_items_programme_idx').execute()
}
