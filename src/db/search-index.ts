import { sql, type Kysely } from 'kysely'

/**
 * The site-wide search index (search/): one row per searchable thing in `search_docs`
 * (kind, ref_id, the page's path, title, body), kept by database triggers on each source table,
 * so every insert, update and delete updates the index in the same transaction and no feature
 * code can forget. SQLite mirrors `search_docs` into the FTS5 table `search_fts` (porter
 * stemming); PostgreSQL keeps a generated `tsvector` with a GIN index (English stemming).
 *
 * Migrations call `createSearchSource` to index a table (networks and threads: one call in their
 * own migration). Kept backwards compatible: a migration that has run is never re-run, but a new
 * one may rely on this, so change it only by adding options.
 */
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
  const kind = `'${s.kind.replace(/[^a-z_]/g, '')}'`
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
