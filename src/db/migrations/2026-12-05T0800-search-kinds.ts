import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../schema-helpers.js'
import { addSearchKind, dropSearchKind } from '../search-index.js'

// Frozen in time: imports nothing from features.
// Search at the community's size (issue 11, Benchmark): 100,000 posts made every search read and
// rank every kind's matches. Each kind is now indexed on its own, so a search reads one kind's
// newest matches and stops at what the page needs (search/repository.ts):
// - SQLite: one FTS5 table per kind, `search_fts_<kind>`, over its rows of `search_docs`,
//   instead of one `search_fts` over all;
// - PostgreSQL: `search_docs` partitioned by kind (a partition each, and a default one for a
//   kind a later migration forgets to add), so each kind has its own GIN index and statistics.
// Later kinds get theirs from `createSearchSource`.

const KINDS = [
  'project',
  'poster',
  'resource',
  'person',
  'course',
  'event',
  'programme',
  'network',
  'thread',
  'post',
]
const COLUMNS = 'id, kind, ref_id, path, title, body'

/** `search_docs` rebuilt, partitioned by kind or not, with the same rows and ids. */
async function rebuildPg(db: Kysely<any>, partitioned: boolean) {
  await sql`alter table search_docs rename to search_docs_before`.execute(db)
  for (const index of ['search_docs_pkey', 'search_docs_kind_ref_id_key', 'search_docs_document_idx'])
    await sql.raw(`alter index if exists ${index} rename to ${index}_before`).execute(db)
  await sql
    .raw(
      `create table search_docs (
        id bigint generated always as identity,
        kind text not null,
        ref_id text not null,
        path text not null,
        title text not null,
        body text not null,
        document tsvector generated always as (
          setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', left(body, 100000)), 'B')
        ) stored,
        ${partitioned ? 'constraint search_docs_pkey primary key (kind, id)' : 'constraint search_docs_pkey primary key (id)'},
        constraint search_docs_kind_ref_id_key unique (kind, ref_id)
      )${partitioned ? ' partition by list (kind)' : ''}`,
    )
    .execute(db)
  await sql`create index search_docs_document_idx on search_docs using gin (document)`.execute(db)
  if (partitioned) await sql`create table search_docs_other partition of search_docs default`.execute(db)
  await sql
    .raw(
      `insert into search_docs (${COLUMNS}) overriding system value select ${COLUMNS} from search_docs_before`,
    )
    .execute(db)
  await sql
    .raw(
      `select setval(pg_get_serial_sequence('search_docs', 'id'), coalesce((select max(id) from search_docs), 0) + 1, false)`,
    )
    .execute(db)
  await sql`drop table search_docs_before`.execute(db)
}

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  if (dialect === 'postgres') {
    await rebuildPg(db, true)
  } else {
    for (const t of ['ai', 'ad', 'au']) await sql.raw(`drop trigger if exists search_docs_${t}`).execute(db)
    await sql`drop table if exists search_fts`.execute(db)
  }
  for (const kind of KINDS) await addSearchKind(db, dialect, kind)
}

export async function down(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  if (dialect === 'postgres') {
    await rebuildPg(db, false)
    return
  }
  for (const kind of KINDS) await dropSearchKind(db, dialect, kind)
  await sql`create virtual table search_fts using fts5(
    title, body, content = 'search_docs', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
  )`.execute(db)
  await sql`create trigger search_docs_ai after insert on search_docs begin
    insert into search_fts (rowid, title, body) values (new.id, new.title, new.body);
  end`.execute(db)
  await sql`create trigger search_docs_ad after delete on search_docs begin
    insert into search_fts (search_fts, rowid, title, body) values ('delete', old.id, old.title, old.body);
  end`.execute(db)
  await sql`create trigger search_docs_au after update on search_docs begin
    insert into search_fts (search_fts, rowid, title, body) values ('delete', old.id, old.title, old.body);
    insert into search_fts (rowid, title, body) values (new.id, new.title, new.body);
  end`.execute(db)
  await sql`insert into search_fts (search_fts) values ('rebuild')`.execute(db)
}
