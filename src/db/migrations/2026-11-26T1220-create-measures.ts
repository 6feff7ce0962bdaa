import { sql, type Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// Measures of improvement projects: the measure and its operational definition, its aggregate
// data points, annotations (and rebases), import previews, and personal API tokens.

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  const t = types(dialect)
  const real = dialect === 'postgres' ? 'double precision' : 'real'

  await db.schema
    .createTable('measures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('numerator', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('denominator', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('inclusions', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('exclusions', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('sampling', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('frequency', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('collector', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('target', real)
    .addColumn('data_kind', 'text', (c) => c.notNull())
    // null: the chart type suggested from the data kind and the number of points.
    .addColumn('chart_type', 'text')
    .addColumn('multiplier', real, (c) => c.notNull().defaultTo(1))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_demo', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    // Goes up with every change to the measure's data points (charts are cached by it).
    .addColumn('data_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_data_at', t.timestamp)
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('measures_project_idx').on('measures').columns(['project_id', 'sort']).execute()

  // One row per measure and period: the primary key is the natural one, so a measure's series is
  // one range scan (and SQLite stores the table once, in key order).
  await db.schema
    .createTable('measure_data_points')
    .addColumn('measure_id', 'text', (c) => c.notNull().references('measures.id').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('value', real)
    .addColumn('numerator', real)
    .addColumn('denominator', real)
    .addColumn('excluded', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('exclusion_reason', 'text')
    .addColumn('entered_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('entered_at', t.timestamp)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('measure_data_points_pk', ['measure_id', 'period'])
    .$call((b) => (dialect === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b))
    .execute()

  await db.schema
    .createTable('measure_annotations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('measure_id', 'text', (c) => c.notNull().references('measures.id').onDelete('cascade'))
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    // A PDSA cycle of the project (table of the improvement methods feature; no foreign key so
    // that the two features' migrations stay independent).
    .addColumn('pdsa_id', 'text')
    .addColumn('is_rebase', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('measure_annotations_measure_idx')
    .on('measure_annotations')
    .columns(['measure_id', 'date'])
    .execute()

  // Uploaded or pasted data waiting for its preview to be confirmed: kept in the database (any
  // instance can show the preview), never on disk. Screened for patient data before it is stored.
  await db.schema
    .createTable('measure_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('measure_id', 'text', (c) => c.notNull().references('measures.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('cells', t.json, (c) => c.notNull())
    .addColumn('notes', t.json, (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('replace_existing', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('committed_at', t.timestamp)
    .execute()
  await db.schema
    .createIndex('measure_imports_measure_idx')
    .on('measure_imports')
    .columns(['measure_id', 'created_at'])
    .execute()

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('can_write', t.boolean, (c) => c.notNull().defaultTo(t.false))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_used_at', t.timestamp)
    .addColumn('revoked_at', t.timestamp)
    .execute()
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute()

  // The filtered project list (bench/projects.ts): walk a status in activity order and stop after
  // a page, and count it, from the index alone (it holds every column the visibility rule reads).
  await db.schema
    .createIndex('projects_list_idx')
    .on('projects')
    .columns(['status', 'last_activity_at', 'visibility', 'public_approved_at', 'created_by', 'id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('projects_list_idx').execute()
  for (const table of [
    'api_tokens',
    'measure_imports',
    'measure_annotations',
    'measure_data_points',
    'measures',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
