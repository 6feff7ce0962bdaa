import { sql, type Kysely, type RawBuilder } from 'kysely'
import { read } from '../db/database.js'
import { isPostgres } from '../db/dialect.js'
import type { DB } from '../db/schema.js'
import { ftsTableOf } from '../db/search-index.js'
import { highlightText, snippetText } from './highlight.js'
import { ftsMatch } from './query.js'

/** Which rows of the index this viewer may see: one condition per kind (sources' `visibleIds`). */
export interface Visibility {
  kind: string
  /** A subquery of visible ids (a Kysely select of one `id` column), or null: every indexed row of the kind. */
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

/** What one search asks of the index (search/service.ts). */
export interface IndexQuery {
  terms: string[]
  /** Every kind, with who may see what: each is counted. */
  kinds: Visibility[]
  /** The kinds whose matches are listed (all, or the type filter's one). */
  listed: Set<string>
  /** How many of the best matches are needed (the page's offset plus its size). */
  need: number
  /** Counts stop here: a kind with more matches says "more than `cap`". */
  cap: number
}

/** One index row: its kind (which says where it is indexed) and id. */
export interface Ranked {
  kind: string
  id: number
}

export interface IndexAnswer {
  counts: Map<string, { n: number; more: boolean }>
  /** The best `need` matches of the listed kinds, best first. */
  ranked: Ranked[]
}

// PostgreSQL: the title-only query is the words' query with every lexeme weighted A (the title's
// weight). Built from plainto_tsquery's own output, so a user's words are never parsed as
// tsquery syntax; immutable, so folded while planning.
const TITLE_WEIGHT_PATTERN = `('(?:[^']|'')*')`

/**
 * The order (docs/search.md): matches with every word in the title first, then the rest, each
 * newest first (a row's index id grows whenever the thing is created or edited). Each kind is
 * indexed on its own (db/search-index.ts) and read from its newest matches down, stopping at the
 * page's need: the database never reads, ranks or checks the visibility of every match of a
 * common word. Counts stop at `cap` for the same reason. One statement, one round trip.
 */
export async function searchIndex(db: Kysely<DB>, q: IndexQuery): Promise<IndexAnswer> {
  return isPostgres(db) ? searchPostgres(db, q) : searchSqlite(db, q)
}

/**
 * Who may see a candidate, checked for the candidates read only (a correlated subquery; Kysely
 * puts the source's subquery in parentheses). On PostgreSQL as a one-row subplan rather than an
 * EXISTS, which the planner would turn into a join: it cannot estimate a viewer's rule, and
 * guessing it rare it would check every match instead of stopping at the limit.
 */
function visibleSql(k: Visibility, pg: boolean): RawBuilder<unknown> {
  if (k.ids === null) return sql``
  const ids = k.ids as RawBuilder<unknown>
  return pg
    ? sql` and (select 1 from ${ids} as v where v.id = d.ref_id limit 1) is not null`
    : sql` and exists (select 1 from ${ids} as v where v.id = d.ref_id)`
}

type Found = Map<string, { n: number; inTitle: Ranked[]; others: Ranked[] }>

function foundFor(found: Found, kind: string) {
  const f = found.get(kind) ?? { n: 0, inTitle: [], others: [] }
  found.set(kind, f)
  return f
}

/** Each kind's count and its two tiers as one answer: title matches first, each tier newest first. */
function answer(found: Found, q: IndexQuery): IndexAnswer {
  const counts = new Map<string, { n: number; more: boolean }>()
  const inTitle: Ranked[] = []
  const others: Ranked[] = []
  for (const [kind, f] of found) {
    counts.set(kind, { n: Math.min(f.n, q.cap), more: f.n > q.cap })
    inTitle.push(...f.inTitle)
    others.push(...f.others)
  }
  const newest = (a: Ranked, b: Ranked) => b.id - a.id
  return { counts, ranked: [...inTitle.sort(newest), ...others.sort(newest)].slice(0, q.need) }
}

/**
 * SQLite: each kind has its own FTS5 table, read newest first and stopping at the limit: per
 * kind a count up to the cap, and for a listed kind its newest title matches and its newest
 * other matches, as many as the page needs. One statement.
 */
async function searchSqlite(db: Kysely<DB>, q: IndexQuery): Promise<IndexAnswer> {
  const any = ftsMatch(q.terms)
  const title = ftsMatch(q.terms, 'title')
  const branches: RawBuilder<unknown>[] = []
  for (const k of q.kinds) {
    const fts = sql.raw(ftsTableOf(k.kind))
    const from = sql`from ${fts} f join search_docs d on d.id = f.rowid where ${fts} match`
    const visible = visibleSql(k, false)
    branches.push(sql`select 'c' as part, ${k.kind} as kind, count(*) as n, null as id
      from (select 1 ${from} ${any}${visible} limit ${q.cap + 1})`)
    if (!q.listed.has(k.kind)) continue
    branches.push(sql`select * from (select 't' as part, d.kind, 0 as n, d.id ${from} ${title}${visible}
      order by f.rowid desc limit ${q.need})`)
    branches.push(sql`select * from (select 'o' as part, d.kind, 0 as n, d.id ${from} ${`(${any}) NOT (${title})`}${visible}
      order by f.rowid desc limit ${q.need})`)
  }
  if (!branches.length) return { counts: new Map(), ranked: [] }
  type Row = { part: 'c' | 't' | 'o'; kind: string; n: unknown; id: unknown }
  const rows = (await sql<Row>`${sql.join(branches, sql` union all `)}`.execute(db)).rows
  const found: Found = new Map()
  for (const r of rows) {
    const f = foundFor(found, r.kind)
    if (r.part === 'c') f.n = read.num(r.n)
    else (r.part === 't' ? f.inTitle : f.others).push({ kind: r.kind, id: read.num(r.id) })
  }
  return answer(found, q)
}

/**
 * PostgreSQL: each kind is its own partition, so `d.kind = k` reads only it, newest first from
 * its primary key (kind, id) or, for a rare word, the few matches from its GIN index, chosen
 * from the partition's own statistics. The first statement reads each listed kind's newest
 * matches, enough to count to the cap and to fill the page, with whether the title has every
 * word: that is the count, and both tiers of the list when all its matches fit. Only a kind with
 * more needs a second statement, for its title matches older than those (its newest others are
 * in the window: the window is at least the page's need).
 */
async function searchPostgres(db: Kysely<DB>, q: IndexQuery): Promise<IndexAnswer> {
  const visible = (k: Visibility) => visibleSql(k, true)
  const text = q.terms.join(' ')
  // Immutable, so folded while planning and estimated from the statistics of the real words.
  const any = sql`plainto_tsquery('english', ${text})`
  const title = sql`(regexp_replace(${any}::text, ${sql.lit(TITLE_WEIGHT_PATTERN)}, ${sql.lit('\\1:A')}, 'g'))::tsquery`
  const newestFirst = sql`order by d.kind desc, d.id desc`
  // A listed kind's window: enough to count to the cap and to fill the page from it.
  const window = Math.max(q.cap + 1, q.need)
  const first = q.kinds.map((k) =>
    q.listed.has(k.kind)
      ? sql`(select d.kind, d.id, (d.document @@ ${title}) as in_title, 1 as n from search_docs d
          where d.kind = ${k.kind} and d.document @@ ${any}${visible(k)} ${newestFirst} limit ${window})`
      : sql`(select ${k.kind}::text as kind, null::bigint as id, null::boolean as in_title, count(*)::int as n
          from (select 1 from search_docs d
            where d.kind = ${k.kind} and d.document @@ ${any}${visible(k)} ${newestFirst} limit ${q.cap + 1}) c)`,
  )
  type Row = { kind: string; id: unknown; in_title: boolean | null; n: unknown }
  const rows = (await sql<Row>`${sql.join(first, sql` union all `)}`.execute(db)).rows
  const found: Found = new Map()
  for (const r of rows) {
    const kind = foundFor(found, r.kind)
    if (r.id === null) {
      kind.n += read.num(r.n)
      continue
    }
    kind.n += 1
    ;(r.in_title ? kind.inTitle : kind.others).push({ kind: r.kind, id: read.num(r.id) })
  }
  // A full window may have older title matches.
  const past = q.kinds.filter((k) => q.listed.has(k.kind) && (found.get(k.kind)?.n ?? 0) >= window)
  if (past.length) {
    const second = past.map(
      (k) => sql`(select d.kind, d.id from search_docs d
        where d.kind = ${k.kind} and d.document @@ ${title}${visible(k)} ${newestFirst} limit ${q.need})`,
    )
    const older = (
      await sql<{ kind: string; id: unknown }>`${sql.join(second, sql` union all `)}`.execute(db)
    ).rows
    for (const k of past) found.get(k.kind)!.inTitle = []
    for (const r of older) found.get(r.kind)!.inTitle.push({ kind: r.kind, id: read.num(r.id) })
  }
  return answer(found, q)
}

/** These index rows (already known to be visible) with their marked titles and snippets, in this order. */
export async function hitsFor(db: Kysely<DB>, terms: string[], ranked: Ranked[]): Promise<IndexHit[]> {
  if (!ranked.length) return []
  // Marked here (search/highlight.ts), from the page's rows only: FTS5's highlight() would read
  // every match of the words again, and ts_headline parses each text again.
  let query = db
    .selectFrom('search_docs')
    .select(['id', 'kind', 'ref_id', 'path', 'title', 'body'])
    .where(
      'id',
      'in',
      ranked.map((r) => r.id),
    )
  // On PostgreSQL the kinds name the partitions (its key is kind, id); on SQLite the id is the
  // key, and a kind would lead the planner to the (kind, ref_id) index and every row of the kind.
  if (isPostgres(db)) query = query.where('kind', 'in', [...new Set(ranked.map((r) => r.kind))])
  const rows = await query.execute()
  const byKey = new Map(rows.map((r) => [`${r.kind}:${read.num(r.id)}`, r]))
  return ranked.flatMap(({ kind, id }) => {
    const r = byKey.get(`${kind}:${id}`)
    if (!r) return []
    return [
      {
        kind: r.kind,
        refId: r.ref_id,
        path: r.path,
        title: r.title,
        titleMarked: highlightText(r.title, terms),
        snippetMarked: snippetText(r.body, terms),
      },
    ]
  })
}
