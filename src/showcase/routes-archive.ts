import type { ZodApp } from '../web/route-schemas.js'
import { pagination } from '../web/pagination.js'
import { ARCHIVE_PAGE_SIZE, FINISHED_STATUSES } from './archive.js'
import { choices, filterParams, sharedChoices } from './filter-form.js'
import { archiveQuery } from './forms.js'
import type { ShowcaseService } from './service.js'

const STATUS_LABELS: Record<string, string> = {
  completed: 'Completed',
  sustaining: 'Sustaining',
  archived: 'Archived',
  abandoned: 'Stopped, with lessons',
}

/** The archive of finished projects, filterable like the gallery. */
export function archiveRoutes(app: ZodApp, showcase: ShowcaseService) {
  app.get('/showcase/archive', { schema: { querystring: archiveQuery } }, async (request, reply) => {
    const q = request.query
    const [result, options] = await Promise.all([
      showcase.archive.list(request.user, {
        status: q.status || undefined,
        programmeId: q.programme || undefined,
        organisationId: q.organisation || undefined,
        aimCode: q.aim || undefined,
        q: q.q || undefined,
        page: q.page,
      }),
      showcase.archiveOptions(),
    ])
    const params = filterParams({
      status: q.status,
      programme: q.programme,
      organisation: q.organisation,
      aim: q.aim,
      q: q.q,
    })
    const filterItems = {
      status: choices(
        FINISHED_STATUSES.map((s) => ({ value: s, text: STATUS_LABELS[s] ?? s })),
        q.status,
        'Any finished status',
      ),
      ...sharedChoices(options, q),
    }
    // The form depends on the filters and the lists alone: rendered once per set (app.fragment).
    const filtersHtml = await app.fragment('showcase/views/_archive-filters.njk', {
      query: { q: q.q ?? '' },
      filterItems,
    })
    return reply.page('showcase/views/archive.njk', {
      title: 'Archive of finished projects',
      metaDescription:
        'Finished improvement projects across One Gloucestershire: their aims, final charts, what was adopted and abandoned, and the lessons learnt.',
      items: result.items.map((i) => ({ ...i, statusLabel: STATUS_LABELS[i.status] ?? i.status })),
      total: result.total,
      filtered: params.toString() !== '',
      query: q,
      filtersHtml,
      pages: pagination('/showcase/archive', params, q.page, ARCHIVE_PAGE_SIZE, result.total),
    })
  })
}
