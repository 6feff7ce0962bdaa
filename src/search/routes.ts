import { openPagination, pagination } from '../web/pagination.js'
import type { ZodApp } from '../web/route-schemas.js'
import { searchQuery } from './forms.js'
import { MAX_PAGE, SEARCH_PAGE_SIZE, type SearchService } from './service.js'

/** The services these routes use: app.ts passes only these. */
export interface SearchRouteServices {
  search: SearchService
}

/** /search: one box across everything, type filters with their counts, pages of results. */
export async function searchRoutes(app: ZodApp, { services }: { services: SearchRouteServices }) {
  const { search } = services
  const known = new Set(search.kinds().map((k) => k.kind))

  app.get('/search', { schema: { querystring: searchQuery } }, async (request, reply) => {
    const q = request.query.q
    const type = known.has(request.query.type) ? request.query.type : ''
    const page = Math.min(request.query.page, MAX_PAGE)
    const answer = await search.search(request.user, { q, type: type || undefined, page })
    const base = new URLSearchParams()
    if (q) base.set('q', q)
    const filterHref = (kind: string) => {
      const p = new URLSearchParams(base)
      if (kind) p.set('type', kind)
      return `/search?${p.toString()}`
    }
    const pageParams = new URLSearchParams(base)
    if (type) pageParams.set('type', type)
    const tooLong = answer.query.kind === 'too_long'
    const errors = tooLong ? { q: answer.message! } : undefined
    const shown = Math.min(answer.matching, MAX_PAGE * SEARCH_PAGE_SIZE)
    return reply.page(
      'search/views/search.njk',
      {
        title: q && !tooLong ? `Search results for ${q}` : 'Search',
        // An over-long search is not echoed into the box or the title.
        q: tooLong ? '' : q,
        type,
        answer,
        searched: answer.query.kind === 'words',
        filters: [
          {
            kind: '',
            text: 'Everything',
            n: answer.total,
            more: answer.totalMore,
            href: filterHref(''),
            current: !type,
          },
          ...answer.counts.map((c) => ({
            kind: c.kind,
            text: c.plural,
            n: c.n,
            more: c.more,
            href: filterHref(c.kind),
            current: type === c.kind,
          })),
        ],
        pager: answer.matchingMore
          ? openPagination(
              '/search',
              pageParams,
              page,
              SEARCH_PAGE_SIZE,
              answer.results.length,
              answer.hasNext,
            )
          : pagination('/search', pageParams, page, SEARCH_PAGE_SIZE, shown),
        errors,
        errorItems: errors ? [{ text: errors.q, href: '#q' }] : undefined,
      },
      tooLong ? 400 : 200,
    )
  })
}
