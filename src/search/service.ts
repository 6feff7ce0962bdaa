import type { Kysely } from 'kysely'
import type { CurrentUser } from '../core/identity.js'
import type { DB } from '../db/schema.js'
import { markSnippet, parseQuery, MAX_QUERY_LENGTH, type ParsedQuery } from './query.js'
import { countByKind, searchPage, type Visibility } from './repository.js'
import { SOURCES, type SearchDeps, type SearchSource } from './sources/index.js'

export const SEARCH_PAGE_SIZE = 20
/** Pages past this are not offered: narrow the search instead. */
export const MAX_PAGE = 50

export interface SearchResult {
  kind: string
  label: string
  href: string
  /** Escaped text with our own <mark>s: safe to put on the page as it is. */
  titleHtml: string
  snippetHtml: string
}

export interface SearchAnswer {
  query: ParsedQuery
  /** Every kind with its count of visible matches (0 included), in the filters' order. */
  counts: { kind: string; label: string; plural: string; n: number }[]
  total: number
  /** Matches of the chosen kind, or of all kinds. */
  matching: number
  results: SearchResult[]
  /** A sentence for an answer with no results to show, or why the words were not searched. */
  message: string | null
}

/** One search across every kind the sources list, showing each viewer only what they may see. */
export class SearchService {
  private readonly sources: SearchSource[]

  constructor(
    private readonly db: Kysely<DB>,
    deps: SearchDeps,
  ) {
    this.sources = SOURCES.map((make) => make(deps))
  }

  kinds(): { kind: string; label: string; plural: string }[] {
    return this.sources.map(({ kind, label, plural }) => ({ kind, label, plural }))
  }

  async search(
    user: CurrentUser | null,
    input: { q?: string; type?: string; page?: number },
  ): Promise<SearchAnswer> {
    const query = parseQuery(input.q)
    const empty = (message: string | null): SearchAnswer => ({
      query,
      counts: this.sources.map(({ kind, label, plural }) => ({ kind, label, plural, n: 0 })),
      total: 0,
      matching: 0,
      results: [],
      message,
    })
    if (query.kind === 'empty') return empty(null)
    if (query.kind === 'too_long')
      return empty(`Search for ${MAX_QUERY_LENGTH} characters or fewer (this was ${query.length})`)
    if (query.kind === 'no_words')
      return empty('Search for words or numbers: what you typed has no letters or digits to look for')
    const visible: Visibility[] = this.sources.map((s) => ({ kind: s.kind, ids: s.visibleIds(user) }))
    const chosen = visible.filter((v) => !input.type || v.kind === input.type)
    const page = Math.min(Math.max(1, input.page ?? 1), MAX_PAGE)
    const [counts, hits] = await Promise.all([
      countByKind(this.db, query.terms, visible),
      searchPage(this.db, query.terms, chosen, {
        limit: SEARCH_PAGE_SIZE,
        offset: (page - 1) * SEARCH_PAGE_SIZE,
      }),
    ])
    const byKind = new Map(this.sources.map((s) => [s.kind, s]))
    const countList = this.sources.map(({ kind, label, plural }) => ({
      kind,
      label,
      plural,
      n: counts.get(kind) ?? 0,
    }))
    const total = countList.reduce((sum, c) => sum + c.n, 0)
    const matching = input.type ? (counts.get(input.type) ?? 0) : total
    return {
      query,
      counts: countList,
      total,
      matching,
      results: hits.map((h) => ({
        kind: h.kind,
        label: byKind.get(h.kind)?.label ?? h.kind,
        href: h.path,
        titleHtml: markSnippet(h.titleMarked),
        snippetHtml: markSnippet(h.snippetMarked),
      })),
      message: matching === 0 ? 'No results. Check the spelling or try fewer or other words.' : null,
    }
  }
}
