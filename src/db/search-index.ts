import { sql, type Kysely } from 'kysely'

/**
 * The site-wide search index (search/): one row per searchable thing in `search_docs`
 * (kind, ref_id, the page's path, title, body), kept by database triggers on each source table,
 * so every insert, update and delete updates the index in the same transaction and no feature
 * code can forget.
 *
 * Each kind is indexed on its own (migration `2026-12-05T0800-search-kinds`), so a search reads
 * one kind's matches without passing every other kind's: SQLite mirrors a kind's rows of
 * `search_docs` into its own FTS5 table `search_fts_<kind>` (porter stemming); on PostgreSQL
 * `search_docs` is partitioned by kind, each partition with its generated `tsvector`, its GIN
 * index and its own statistics (English stemming). `createSearchSource` adds the kind's table or
 * partition when the kind is new.
 *
 * Migrations call `createSearchSource` to index a table (networks and threads: one call in their
 * own migration). Kept backwards compatible: a migration that has run is never re-run, but a new
 * one may rely on this, so change it only by adding options.
 */
const safeKind = (kind: string) => kind.replace(/[^a-z_]/g, '')

/** The FTS5 table of one kind (SQLite). */
export const ftsTableOf = (kind: string) => `search_fts_${safeKind(kind)}`

/** Whether the index is kept per kind yet (before `2026-12-05T0800-search-kinds` it was one table). */
async function perKind(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<boolean> {
  const found =
    dialect === 'sqlite'
      ? await sql`select 1 from sqlite_master where name = 'search_fts'`.execute(db)
      : await sql`select 1 from pg_partitioned_table p join pg_class c on c.oid = p.partrelid
          where c.relname = 'search_docs' and c.relnamespace = current_schema()::regnamespace`.execute(db)
  return dialect === 'sqlite' ? found.rows.length === 0 : found.rows.length > 0
}

/**
 * One kind's own index: on SQLite its FTS5 table with the triggers that mirror its rows of
 * `search_docs` (filled with the rows already there); on PostgreSQL its partition (rows already
 * there move from the default partition).
 */
export async function addSearchKind(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres', kind: string) {
  const k = safeKind(kind)
  if (dialect === 'postgres') {
    // Rows of the kind already in the default partition move into the new one.
    const columns = 'id, kind, ref_id, path, title, body'
    await sql
      .raw(`create temporary table search_move as select ${columns} from search_docs where kind = '${k}'`)
      .execute(db)
    await sql.raw(`delete from search_docs where kind = '${k}'`).execute(db)
    await sql.raw(`create table search_docs_${k} partition of search_docs for values in ('${k}')`).execute(db)
    await sql
      .raw(`insert into search_docs (${columns}) overriding system value select ${columns} from search_move`)
      .execute(db)
    await sql.raw(`drop table search_move`).execute(db)
    return
  }
  const fts = ftsTableOf(k)
  await sql
    .raw(
      `create virtual table ${fts} using fts5(
        title, body, content = 'search_docs', content_rowid = 'id',
        tokenize = 'porter unicode61 remove_diacritics 2'
      )`,
    )
    .execute(db)
  // Its own rows only: never 'rebuild', which would index every kind of the content table.
  const put = (row: string) =>
    `insert into ${fts} (rowid, title, body) select ${row}.id, ${row}.title, ${row}.body where ${row}.kind = '${k}'`
  const drop = (row: string) =>
    `insert into ${fts} (${fts}, rowid, title, body) select 'delete', ${row}.id, ${row}.title, ${row}.body where ${row}.kind = '${k}'`
  await sql.raw(`create trigger ${fts}_ai after insert on search_docs begin ${put('new')}; end`).execute(db)
  await sql.raw(`create trigger ${fts}_ad after delete on search_docs begin ${drop('old')}; end`).execute(db)
  await sql
    .raw(`create trigger ${fts}_au after update on search_docs begin ${drop('old')}; ${put('new')}; end`)
    .execute(db)
  await sql
    .raw(
      `insert into ${fts} (rowid, title, body) select id, title, body from search_docs where kind = '${k}'`,
    )
    .execute(db)
}

/** Undoes `addSearchKind` (the kind's rows stay in `search_docs`). */
export async function dropSearchKind(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres', kind: string) {
  const k = safeKind(kind)
  if (dialect === 'postgres') {
    await sql.raw(`alter table search_docs detach partition search_docs_${k}`).execute(db)
    await sql
      .raw(
        `insert into search_docs (id, kind, ref_id, path, title, body) overriding system value
        select id, kind, ref_id, path, title, body from search_docs_${k}`,
      )
      .execute(db)
    await sql.raw(`drop table search_docs_${k}`).execute(db)
    return
  }
  const fts = ftsTableOf(k)
  for (const t of ['ai', 'ad', 'au']) await sql.raw(`drop trigger if exists ${fts}_${t}`).execute(db)
  await sql.raw(`drop table if exists ${fts}`).execute(db)
}

export interface SearchSourceSpec {
  /** The kind's name in the index: 'project', 'thread'. */
  kind: string
  table: string
  /** SQL over the row `{r}` (NEW or OLD is substituted): the page's path, the title and the body. */
  path: string
  title: string
  body: string
  /** Only rows for which this SQL over `{r}` is true are indexed (a published course). */
  when?: string
  /** The columns whose change re-indexes a row (title, body, `when`'s and `path`'s columns). */
  columns: string[]
}

const over = (expr: string, row: string) => expr.replaceAll('{r}', row)

export async function createSearchSource(
  db: Kysely<unknown>,
  dialect: 'sqlite' | 'postgres',
  s: SearchSourceSpec,
) {
  if (await perKind(db, dialect)) await addSearchKind(db, dialect, s.kind)
  const kind = `'${safeKind(s.kind)}'`
  const cols = s.columns.join(', ')
  const insert = (row: string, from = '') =>
    `insert into search_docs (kind, ref_id, path, title, body) select ${kind}, ${row}.id, ${over(s.path, row)}, coalesce(${over(s.title, row)}, ''), coalesce(${over(s.body, row)}, '')${from}` +
    (s.when ? ` where ${over(s.when, row)}` : '')
  const remove = (row: string) => `delete from search_docs where kind = ${kind} and ref_id = ${row}.id`
  const name = `search_${s.kind}`
  if (dialect === 'sqlite') {
    await sql
      .raw(`create trigger ${name}_insert after insert on ${s.table} begin ${insert('new')}; end`)
      .execute(db)
    await sql
      .raw(
        `create trigger ${name}_update after update of ${cols} on ${s.table} begin ${remove('old')}; ${insert('new')}; end`,
      )
      .execute(db)
    await sql
      .raw(`create trigger ${name}_delete after delete on ${s.table} begin ${remove('old')}; end`)
      .execute(db)
  } else {
    await sql
      .raw(
        `create function ${name}_sync() returns trigger language plpgsql as $fn$
        begin
          if tg_op in ('UPDATE', 'DELETE') then ${remove('old')}; end if;
          if tg_op in ('INSERT', 'UPDATE') then ${insert('new')}; end if;
          return null;
        end $fn$`,
      )
      .execute(db)
    await sql
      .raw(
        `create trigger ${name}_ins_del after insert or delete on ${s.table} for each row execute function ${name}_sync()`,
      )
      .execute(db)
    await sql
      .raw(
        `create trigger ${name}_upd after update of ${cols} on ${s.table} for each row execute function ${name}_sync()`,
      )
      .execute(db)
  }
  // What the table holds already.
  await sql.raw(insert('src', ` from ${s.table} src`)).execute(db)
}

export async function dropSearchSource(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres', kind: string) {
  const name = `search_${kind.replace(/[^a-z_]/g, '')}`
  if (dialect === 'sqlite') {
    for (const t of ['insert', 'update', 'delete'])
      await sql.raw(`drop trigger if exists ${name}_${t}`).execute(db)
  } else {
    await sql.raw(`drop function if exists ${name}_sync() cascade`).execute(db)
  }
  await sql.raw(`delete from search_docs where kind = '${kind.replace(/[^a-z_]/g, '')}'`).execute(db)
}
