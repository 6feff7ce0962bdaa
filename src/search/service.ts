import type { Kysely } from 'kysely'
import type { CurrentUser } from '../core/identity.js'
import type { DB } from '../db/schema.js'
import { markSnippet, parseQuery, MAX_QUERY_LENGTH, type ParsedQuery } from './query.js'
import { hitsFor, searchIndex, type Visibility } from './repository.js'
import { SOURCES, type SearchDeps, type SearchSource } from './sources/index.js'

export const SEARCH_PAGE_SIZE = 20
/** Pages past this are not offered: narrow the search instead. */
export const MAX_PAGE = 50
/**
 * Counts stop here ("more than 100"): counting every match of a common word across 100,000 posts
 * is what made search slow, and nobody reads past a hundred results. Pages go on past it.
 */
export const COUNT_CAP = 100

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
  /**
   * Every kind with its count of visible matches (0 included), in the filters' order; `more`
   * when there are more than `n` (COUNT_CAP).
   */
  counts: { kind: string; label: string; plural: string; n: number; more: boolean }[]
  total: number
  totalMore: boolean
  /** Matches of the chosen kind, or of all kinds. */
  matching: number
  matchingMore: boolean
  /** Whether a next page has results. */
  hasNext: boolean
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
    /** Where counts stop (tests make it small). */
    private readonly countCap = COUNT_CAP,
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
      counts: this.sources.map(({ kind, label, plural }) => ({ kind, label, plural, n: 0, more: false })),
      total: 0,
      totalMore: false,
      matching: 0,
      matchingMore: false,
      hasNext: false,
      results: [],
      message,
    })
    if (query.kind === 'empty') return empty(null)
    if (query.kind === 'too_long')
      return empty(`Search for ${MAX_QUERY_LENGTH} characters or fewer (this was ${query.length})`)
    if (query.kind === 'no_words')
      return empty('Search for words or numbers: what you typed has no letters or digits to look for')
    const visible: Visibility[] = this.sources.map((s) => ({ kind: s.kind, ids: s.visibleIds(user) }))
    const page = Math.min(Math.max(1, input.page ?? 1), MAX_PAGE)
    const offset = (page - 1) * SEARCH_PAGE_SIZE
    const { counts, ranked } = await searchIndex(this.db, {
      terms: query.terms,
      kinds: visible,
      listed: new Set(visible.filter((v) => !input.type || v.kind === input.type).map((v) => v.kind)),
      // One more than the page, to know whether there is a next one.
      need: offset + SEARCH_PAGE_SIZE + 1,
      cap: this.countCap,
    })
    const hits = await hitsFor(this.db, query.terms, ranked.slice(offset, offset + SEARCH_PAGE_SIZE))
    const byKind = new Map(this.sources.map((s) => [s.kind, s]))
    const countList = this.sources.map(({ kind, label, plural }) => ({
      kind,
      label,
      plural,
      n: counts.get(kind)?.n ?? 0,
      more: counts.get(kind)?.more ?? false,
    }))
    const total = countList.reduce((sum, c) => sum + c.n, 0)
    const totalMore = countList.some((c) => c.more)
    const matching = input.type ? (counts.get(input.type)?.n ?? 0) : total
    const matchingMore = input.type ? (counts.get(input.type)?.more ?? false) : totalMore
    return {
      query,
      counts: countList,
      total,
      totalMore,
      matching,
      matchingMore,
      hasNext: page < MAX_PAGE && ranked.length > offset + SEARCH_PAGE_SIZE,
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
