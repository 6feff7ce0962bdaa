import { sql, type Kysely, type RawBuilder } from 'kysely'
import { read } from '../db/database.js'
import { isPostgres } from '../db/dialect.js'
import type { DB } from '../db/schema.js'
import { ftsMatch, MARK_END, MARK_START } from './query.js'

/** Which rows of the index this viewer may see: one condition per kind (sources' `visibleIds`). */
export interface Visibility {
  kind: string
  /** A subquery of visible ids (a Kysely select of one column), or null: every indexed row of the kind. */
  ids: unknown
}

export interface IndexHit {
  kind: string
  refId: string
  path: string
  title: string
  /** Title and snippet with the database's markers (MARK_START/MARK_END) around matches. */
  titleMarked: string
  snippetMarked: string
}

function visibleWhere(kinds: Visibility[]): RawBuilder<unknown> {
  if (!kinds.length) return sql`1 = 0`
  return sql`(${sql.join(
    kinds.map((k) =>
      k.ids === null
        ? sql`d.kind = ${k.kind}`
        : // Kysely puts a subquery in its own parentheses: `in ${...}` is `in (select …)`.
          sql`(d.kind = ${k.kind} and d.ref_id in ${k.ids as RawBuilder<unknown>})`,
    ),
    sql` or `,
  )})`
}

/** How many visible matches of each kind. */
export async function countByKind(db: Kysely<DB>, terms: string[], kinds: Visibility[]) {
  const visible = visibleWhere(kinds)
  const rows = isPostgres(db)
    ? await sql<{ kind: string; n: unknown }>`
        select d.kind, count(*) as n from search_docs d
        where d.document @@ plainto_tsquery('english', ${terms.join(' ')}) and ${visible}
        group by d.kind`.execute(db)
    : await sql<{ kind: string; n: unknown }>`
        select d.kind, count(*) as n from search_fts f join search_docs d on d.id = f.rowid
        where search_fts match ${ftsMatch(terms)} and ${visible}
        group by d.kind`.execute(db)
  return new Map(rows.rows.map((r) => [r.kind, read.num(r.n)]))
}

/** One page of visible matches, best first, with marked title and snippet. */
export async function searchPage(
  db: Kysely<DB>,
  terms: string[],
  kinds: Visibility[],
  page: { limit: number; offset: number },
): Promise<IndexHit[]> {
  const visible = visibleWhere(kinds)
  type Row = { kind: string; ref_id: string; path: string; title: string; title_hl: string; snip: string }
  let rows: Row[]
  if (isPostgres(db)) {
    const query = terms.join(' ')
    const titleOptions = `StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`
    const bodyOptions = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`
    // Headlines only for the page's rows (ts_headline reads the whole text).
    const result = await sql<Row>`
      with q as (select plainto_tsquery('english', ${query}) as query),
      hits as (
        select d.kind, d.ref_id, d.path, d.title, d.body, ts_rank(d.document, q.query) as rank, d.id
        from search_docs d, q
        where d.document @@ q.query and ${visible}
        order by rank desc, d.id
        limit ${page.limit} offset ${page.offset}
      )
      select h.kind, h.ref_id, h.path, h.title,
        ts_headline('english', h.title, q.query, ${titleOptions}) as title_hl,
        ts_headline('english', left(h.body, 20000), q.query, ${bodyOptions}) as snip
      from hits h, q
      order by h.rank desc, h.id`.execute(db)
    rows = result.rows
  } else {
    const result = await sql<Row>`
      select d.kind, d.ref_id, d.path, d.title,
        highlight(search_fts, 0, ${MARK_START}, ${MARK_END}) as title_hl,
        snippet(search_fts, 1, ${MARK_START}, ${MARK_END}, '…', 24) as snip
      from search_fts f join search_docs d on d.id = f.rowid
      where search_fts match ${ftsMatch(terms)} and ${visible}
      order by bm25(search_fts, 4.0, 1.0), d.id
      limit ${page.limit} offset ${page.offset}`.execute(db)
    rows = result.rows
  }
  return rows.map((r) => ({
    kind: r.kind,
    refId: r.ref_id,
    path: r.path,
    title: r.title,
    titleMarked: r.title_hl ?? r.title,
    snippetMarked: r.snip ?? '',
  }))
}
