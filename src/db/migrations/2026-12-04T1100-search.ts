import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../schema-helpers.js'
import { createSearchSource, dropSearchSource, type SearchSourceSpec } from '../search-index.js'

// Frozen in time: imports nothing from features.
// One search across everything (issue 11 point 3). `search_docs` holds one row per searchable
// thing, written only by the triggers `createSearchSource` puts on each source table, in the
// transaction of the change. Who may see a row is decided when searching (search/sources/),
// except where the index itself must not hold it: people outside the directory, unpublished
// courses. People are indexed with only what they share (never e-mail addresses).

const shared = (flag: string, column: string) => `case when {r}.${flag} then {r}.${column} else '' end`

const SOURCES: SearchSourceSpec[] = [
  {
    kind: 'project',
    table: 'projects',
    path: `'/projects/' || {r}.id`,
    title: '{r}.title',
    body: '{r}.problem',
    columns: ['title', 'problem'],
  },
  {
    kind: 'poster',
    table: 'showcase_items',
    path: `'/showcase/posters/' || {r}.id`,
    title: '{r}.title',
    body: '{r}.summary',
    columns: ['title', 'summary'],
  },
  {
    kind: 'resource',
    table: 'library_resources',
    path: `'/resources/' || {r}.slug`,
    title: '{r}.title',
    body: `{r}.summary || ' ' || {r}.publisher || ' ' || {r}.body_md`,
    columns: ['slug', 'title', 'summary', 'publisher', 'body_md'],
  },
  {
    kind: 'person',
    table: 'users',
    path: `'/people/' || {r}.id`,
    title: '{r}.name',
    body: [
      shared('share_job_role', 'job_role'),
      `case when {r}.share_organisation then coalesce((select o.name from organisations o where o.id = {r}.organisation_id), '') else '' end`,
      shared('share_skills', 'skills'),
      shared('share_bio', 'bio'),
    ].join(` || ' ' || `),
    when: '{r}.in_directory = true and {r}.email_verified_at is not null and {r}.disabled_at is null',
    columns: [
      'name',
      'job_role',
      'skills',
      'bio',
      'organisation_id',
      'share_job_role',
      'share_organisation',
      'share_skills',
      'share_bio',
      'in_directory',
      'email_verified_at',
      'disabled_at',
    ],
  },
  {
    kind: 'course',
    table: 'courses',
    path: `'/learning/courses/' || {r}.slug`,
    title: '{r}.title',
    body: '{r}.summary',
    when: '{r}.published = true',
    columns: ['slug', 'title', 'summary', 'published'],
  },
  {
    kind: 'event',
    table: 'events',
    path: `'/events/' || {r}.id`,
    title: '{r}.title',
    body: '{r}.description',
    columns: ['title', 'description'],
  },
  {
    kind: 'programme',
    table: 'programmes',
    path: `'/programmes/' || {r}.slug`,
    title: '{r}.name',
    body: '{r}.support',
    columns: ['slug', 'name', 'support'],
  },
]

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  if (dialect === 'postgres') {
    await sql`create table search_docs (
      id bigint generated always as identity primary key,
      kind text not null,
      ref_id text not null,
      path text not null,
      title text not null,
      body text not null,
      document tsvector generated always as (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', left(body, 100000)), 'B')
      ) stored,
      unique (kind, ref_id)
    )`.execute(db)
    await sql`create index search_docs_document_idx on search_docs using gin (document)`.execute(db)
  } else {
    await sql`create table search_docs (
      id integer primary key autoincrement,
      kind text not null,
      ref_id text not null,
      path text not null,
      title text not null,
      body text not null,
      unique (kind, ref_id)
    )`.execute(db)
    // External content: the FTS5 index reads title and body from search_docs by rowid.
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
  }
  for (const source of SOURCES) await createSearchSource(db, dialect, source)
}

export async function down(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  for (const source of SOURCES) await dropSearchSource(db, dialect, source.kind)
  if (dialect === 'sqlite') {
    for (const t of ['ai', 'ad', 'au']) await sql.raw(`drop trigger if exists search_docs_${t}`).execute(db)
    await sql`drop table if exists search_fts`.execute(db)
  }
  await sql`drop table if exists search_docs`.execute(db)
}
