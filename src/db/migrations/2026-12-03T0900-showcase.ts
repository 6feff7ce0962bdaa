import { type ColumnDataType, type ColumnDefinitionBuilder, type Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// The showcase (issue 10): the occasions and posters the foundation migration created get their
// dates, voting window, summary, links, review and file state; posters' files, consent records,
// categories, members' votes and the judges' scores get tables of their own. Uploaded files live
// in the database (instances are stateless).

const blob = (dialect: 'sqlite' | 'postgres'): ColumnDataType => (dialect === 'postgres' ? 'bytea' : 'blob')

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  const t = types(dialect)
  const occasionColumns: [string, ColumnDataType, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder][] =
    [
      ['kind', 'text', (c) => c.notNull().defaultTo('event')],
      ['summary', 'text', (c) => c.notNull().defaultTo('')],
      ['starts_on', 'text', (c) => c],
      ['ends_on', 'text', (c) => c],
      ['voting_opens_at', t.timestamp, (c) => c],
      ['voting_closes_at', t.timestamp, (c) => c],
      ['status', 'text', (c) => c.notNull().defaultTo('open')],
      ['closed_at', t.timestamp, (c) => c],
      ['created_by', 'text', (c) => c],
      ['created_at', t.timestamp, (c) => c],
    ]
  for (const [name, type, build] of occasionColumns)
    await db.schema.alterTable('showcase_occasions').addColumn(name, type, build).execute()
  const itemColumns: [string, ColumnDataType, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder][] = [
    ['summary', 'text', (c) => c.notNull().defaultTo('')],
    ['project_id', 'text', (c) => c],
    ['programme_id', 'text', (c) => c],
    ['funder', 'text', (c) => c],
    ['year', 'integer', (c) => c],
    ['created_by', 'text', (c) => c],
    ['updated_at', t.timestamp, (c) => c],
    ['submitted_at', t.timestamp, (c) => c],
    ['submitted_by', 'text', (c) => c],
    ['decided_at', t.timestamp, (c) => c],
    ['decided_by', 'text', (c) => c],
    ['decision_comment', 'text', (c) => c],
    ['file_status', 'text', (c) => c.notNull().defaultTo('none')],
    ['file_error', 'text', (c) => c],
    ['file_kind', 'text', (c) => c],
    ['file_name', 'text', (c) => c],
    ['nobody_identifiable', t.boolean, (c) => c.notNull().defaultTo(t.false)],
    ['consent_confirmed_at', t.timestamp, (c) => c],
    ['consent_confirmed_by', 'text', (c) => c],
    ['search_text', 'text', (c) => c.notNull().defaultTo('')],
    ['version', 'integer', (c) => c.notNull().defaultTo(1)],
  ]
  for (const [name, type, build] of itemColumns)
    await db.schema.alterTable('showcase_items').addColumn(name, type, build).execute()
  await db.schema
    .createIndex('showcase_items_gallery_idx')
    .on('showcase_items')
    .columns(['status', 'year'])
    .execute()
  await db.schema
    .createIndex('showcase_items_occasion_idx')
    .on('showcase_items')
    .column('occasion_id')
    .execute()
  await db.schema
    .createIndex('showcase_items_project_idx')
    .on('showcase_items')
    .column('project_id')
    .execute()

  await db.schema
    .createTable('showcase_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('occasion_id', 'text', (c) =>
      c.notNull().references('showcase_occasions.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addUniqueConstraint('showcase_categories_name_uq', ['occasion_id', 'name'])
    .execute()
  await db.schema
    .createTable('showcase_item_organisations')
    .addColumn('item_id', 'text', (c) => c.notNull().references('showcase_items.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (c) =>
      c.notNull().references('organisations.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('showcase_item_organisations_pk', ['item_id', 'organisation_id'])
    .execute()
  await db.schema
    .createIndex('showcase_item_organisations_org_idx')
    .on('showcase_item_organisations')
    .column('organisation_id')
    .execute()
  await db.schema
    .createTable('showcase_item_aim_codes')
    .addColumn('item_id', 'text', (c) => c.notNull().references('showcase_items.id').onDelete('cascade'))
    .addColumn('aim_code', 'text', (c) => c.notNull().references('aims.code').onDelete('cascade'))
    .addPrimaryKeyConstraint('showcase_item_aim_codes_pk', ['item_id', 'aim_code'])
    .execute()
  await db.schema
    .createIndex('showcase_item_aim_codes_code_idx')
    .on('showcase_item_aim_codes')
    .column('aim_code')
    .execute()
  // One row per role: the upload as sent (until the background job has checked and re-encoded
  // it), the poster file offered for download, its preview and its thumbnail.
  await db.schema
    .createTable('showcase_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('showcase_items.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('bytes', blob(dialect), (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('showcase_files_role_uq', ['item_id', 'role'])
    .execute()
  await db.schema
    .createTable('showcase_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('showcase_items.id').onDelete('cascade'))
    .addColumn('person_name', 'text', (c) => c.notNull())
    .addColumn('appears_as', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('given_on', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_at', t.timestamp, (c) => c.notNull())
    .addColumn('withdrawn_at', t.timestamp)
    .addColumn('withdrawn_by', 'text')
    .execute()
  await db.schema
    .createIndex('showcase_consents_item_idx')
    .on('showcase_consents')
    .column('item_id')
    .execute()
  // One person, one vote per category of an occasion: the unique index is the rule, so two
  // requests at once cannot both insert.
  await db.schema
    .createTable('showcase_votes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('occasion_id', 'text', (c) =>
      c.notNull().references('showcase_occasions.id').onDelete('cascade'),
    )
    .addColumn('category_id', 'text', (c) =>
      c.notNull().references('showcase_categories.id').onDelete('cascade'),
    )
    .addColumn('voter_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('showcase_items.id').onDelete('cascade'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('showcase_votes_one_per_category_uq')
    .on('showcase_votes')
    .columns(['occasion_id', 'category_id', 'voter_id'])
    .unique()
    .execute()
  await db.schema.createIndex('showcase_votes_item_idx').on('showcase_votes').column('item_id').execute()
  // The judging panel, its criteria and its scores: kept apart from the members' vote.
  await db.schema
    .createTable('showcase_judges')
    .addColumn('occasion_id', 'text', (c) =>
      c.notNull().references('showcase_occasions.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('showcase_judges_pk', ['occasion_id', 'user_id'])
    .execute()
  await db.schema
    .createTable('showcase_criteria')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('occasion_id', 'text', (c) =>
      c.notNull().references('showcase_occasions.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('max_score', 'integer', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('showcase_scores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('occasion_id', 'text', (c) =>
      c.notNull().references('showcase_occasions.id').onDelete('cascade'),
    )
    .addColumn('criterion_id', 'text', (c) =>
      c.notNull().references('showcase_criteria.id').onDelete('cascade'),
    )
    .addColumn('judge_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('showcase_items.id').onDelete('cascade'))
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('showcase_scores_one_per_criterion_uq')
    .on('showcase_scores')
    .columns(['item_id', 'judge_id', 'criterion_id'])
    .unique()
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'showcase_scores',
    'showcase_criteria',
    'showcase_judges',
    'showcase_votes',
    'showcase_consents',
    'showcase_files',
    'showcase_item_aim_codes',
    'showcase_item_organisations',
    'showcase_categories',
  ])
    await db.schema.dropTable(table).execute()
  for (const index of [
    'showcase_items_gallery_idx',
    'showcase_items_occasion_idx',
    'showcase_items_project_idx',
  ])
    await db.schema.dropIndex(index).execute()
  for (const column of [
    'summary',
    'project_id',
    'programme_id',
    'funder',
    'year',
    'created_by',
    'updated_at',
    'submitted_at',
    'submitted_by',
    'decided_at',
    'decided_by',
    'decision_comment',
    'file_status',
    'file_error',
    'file_kind',
    'file_name',
    'nobody_identifiable',
    'consent_confirmed_at',
    'consent_confirmed_by',
    'search_text',
    'version',
  ])
    await db.schema.alterTable('showcase_items').dropColumn(column).execute()
  for (const column of [
    'kind',
    'summary',
    'starts_on',
    'ends_on',
    'voting_opens_at',
    'voting_closes_at',
    'status',
    'closed_at',
    'created_by',
    'created_at',
  ])
    await db.schema.alterTable('showcase_occasions').dropColumn(column).execute()
}
