import { type Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// The resources library (issue 11 point 2): guides and curated links, each edit kept as a revision.
// The community's older `resources` table (six seed links) stays for the community's reference data.

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  const t = types(dialect)
  const pg = dialect === 'postgres'
  await db.schema
    .createTable('library_resources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_md', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('url', 'text')
    .addColumn('publisher', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('checked_on', 'text')
    .addColumn('app_href', 'text')
    .addColumn('app_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('qsir_stage', 'text')
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .execute()
  await db.schema
    .createIndex('library_resources_stage_idx')
    .on('library_resources')
    .columns(['qsir_stage', 'sort'])
    .execute()
  await db.schema
    .createTable('library_resource_revisions')
    .addColumn('id', pg ? 'bigint' : 'integer', (c) =>
      pg ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('resource_id', 'text', (c) =>
      c.notNull().references('library_resources.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_md', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('url', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addUniqueConstraint('library_resource_revisions_version_uq', ['resource_id', 'version'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('library_resource_revisions').execute()
  await db.schema.dropTable('library_resources').execute()
}
