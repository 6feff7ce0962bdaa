import type { FastifyReply } from 'fastify'
import { requestMeta, requireUser } from '../web/plugin.js'
import { guard } from '../web/guard.js'
import { handleForm } from '../web/form-page.js'
import { errorList } from '../web/forms.js'
import { pagination } from '../web/pagination.js'
import { sendDownload } from '../web/download.js'
import { safeNext } from '../web/safe-path.js'
import { formBody, idParams, type ZodApp } from '../web/route-schemas.js'
import type { CurrentUser } from '../core/identity.js'
import type { GovernanceServices } from './index.js'
import {
  boardMeasuresQuery,
  FILTER_KEYS,
  flagForm,
  PORTFOLIO_TABLES,
  portfolioQuery,
  settingsForm,
  type PortfolioQuery,
} from './forms.js'
import { filterQuery, LIST_PATH, PORTFOLIO_PATH, STALLED_PATH, withQuery } from './portfolio-service.js'
import { canSteer } from './policy.js'
import { boardPackRoutes } from './routes-packs.js'
import { capabilityRoutes } from './routes-capability.js'
import { impactRoutes } from './impact/routes.js'
import { facilitationRoutes } from './routes-facilitation.js'
import { digestRoutes } from './digest/routes.js'

/** The services these routes use: app.ts passes only these. */
export interface GovernanceRouteServices {
  governance: GovernanceServices
}

const BOARD_MEASURES = '/steering-group/board-measures'
const SETTINGS = '/steering-group/settings'

/**
 * The Steering Group's pages (the portfolio, its lists and CSVs, the settings, the Board's
 * measures) and the Board's SPC summary. Permission first: each route's guard decides from the
 * person alone before anything is read (sign in, or 403).
 */
export async function governanceRoutes(app: ZodApp, { services }: { services: GovernanceRouteServices }) {
  const { portfolio, board } = services.governance
  const reader = guard((user) => portfolio.requireReader(user))
  const steering = guard((user) => portfolio.requireSteering(user))
  const boardReader = guard((user) => board.requireReader(user))

  /** The filter form's choices, each list with "all" first. */
  const filterForm = async (query: PortfolioQuery, options: Awaited<ReturnType<typeof portfolio.options>>) =>
    FILTER_KEYS.map((key) => ({
      key,
      value: query[key] ?? '',
      items: [
        { value: '', text: 'All' },
        ...[...options[key]].map(([value, text]) => ({ value, text })),
        ...(key === 'status' || key === 'stage' ? [] : [{ value: 'none', text: 'None' }]),
      ],
    }))

  /**
   * The filters of a portfolio page, checked; when one names nothing we know, the page is shown
   * with the NHS.UK error summary and a 400, and the handler stops there.
   */
  const checkedFilters = async (
    reply: FastifyReply,
    query: PortfolioQuery,
    template: string,
    title: string,
  ) => {
    const parsed = await portfolio.parseFilters(query)
    if (Object.keys(parsed.errors).length) {
      await reply.page(
        template,
        {
          title,
          errors: parsed.errors,
          errorItems: errorList(parsed.errors, [...FILTER_KEYS]),
          filterForm: await filterForm(query, parsed.options),
          clearHref: PORTFOLIO_PATH,
          invalid: true,
        },
        400,
      )
      return null
    }
    return parsed
  }

  app.get('/steering-group', { preHandler: reader }, async (_request, reply) =>
    reply.redirect(PORTFOLIO_PATH, 303),
  )

  app.get(
    PORTFOLIO_PATH,
    { schema: { querystring: portfolioQuery }, preHandler: reader },
    async (request, reply) => {
      const user = requireUser(request)
      const title = 'Portfolio'
      const parsed = await checkedFilters(reply, request.query, 'governance/views/portfolio.njk', title)
      if (!parsed) return reply
      const data = await portfolio.portfolio(user, parsed.filters, parsed.options)
      const query = filterQuery(parsed.filters)
      return reply.page('governance/views/portfolio.njk', {
        title,
        ...data,
        filters: parsed.filters,
        active: portfolio.activeFilters(parsed.filters, parsed.options),
        filterForm: await filterForm(request.query, parsed.options),
        csv: (table: string) => withQuery(`${PORTFOLIO_PATH}/${table}.csv`, query),
        canSteer: canSteer(user),
        returnTo: withQuery(PORTFOLIO_PATH, query),
        clearHref: PORTFOLIO_PATH,
      })
    },
  )

  app.get(
    LIST_PATH,
    { schema: { querystring: portfolioQuery }, preHandler: reader },
    async (request, reply) => {
      const user = requireUser(request)
      const title = 'Projects in the portfolio'
      const parsed = await checkedFilters(reply, request.query, 'governance/views/projects.njk', title)
      if (!parsed) return reply
      const page = request.query.page ?? 1
      const pageSize = 25
      const result = await portfolio.list(user, parsed.filters, page, pageSize)
      const query = filterQuery(parsed.filters)
      return reply.page('governance/views/projects.njk', {
        title,
        ...result,
        active: portfolio.activeFilters(parsed.filters, parsed.options),
        backHref: withQuery(PORTFOLIO_PATH, query),
        csvHref: withQuery(`${PORTFOLIO_PATH}/projects.csv`, query),
        pages: pagination(LIST_PATH, new URLSearchParams(query), page, pageSize, result.total),
      })
    },
  )

  app.get(
    STALLED_PATH,
    { schema: { querystring: portfolioQuery }, preHandler: reader },
    async (request, reply) => {
      const user = requireUser(request)
      const title = 'Stalled projects'
      const parsed = await checkedFilters(reply, request.query, 'governance/views/stalled.njk', title)
      if (!parsed) return reply
      const stalled = await portfolio.stalled(user, parsed.filters)
      const query = filterQuery(parsed.filters)
      return reply.page('governance/views/stalled.njk', {
        title,
        stalled,
        active: portfolio.activeFilters(parsed.filters, parsed.options),
        backHref: withQuery(PORTFOLIO_PATH, query),
        csvHref: withQuery(`${PORTFOLIO_PATH}/stalled.csv`, query),
        canSteer: canSteer(user),
      })
    },
  )

  for (const table of PORTFOLIO_TABLES)
    app.get(
      `${PORTFOLIO_PATH}/${table}.csv`,
      { schema: { querystring: portfolioQuery }, preHandler: reader, config: { download: true } },
      async (request, reply) => {
        const user = requireUser(request)
        const result = await portfolio.csv(user, table, request.query, requestMeta(request).ip)
        if ('errors' in result)
          return reply
            .code(400)
            .type('application/problem+json')
            .send({ title: 'A filter names nothing we know', status: 400, errors: result.errors })
        return sendDownload(reply, result.file, 'text/csv; charset=utf-8')
      },
    )

  // ----- the Steering Group's settings -----

  const settingsPage = async () => ({
    title: 'Portfolio settings',
    settings: await portfolio.settings(),
  })

  app.get(SETTINGS, { preHandler: steering }, async (_request, reply) => {
    const context = await settingsPage()
    return reply.page('governance/views/settings.njk', {
      ...context,
      values: { stalledDays: String(context.settings.stalledDays) },
    })
  })

  app.post(SETTINGS, { schema: { body: formBody }, preHandler: steering }, async (request, reply) => {
    const user = requireUser(request)
    return handleForm(
      reply,
      {
        schema: settingsForm,
        body: request.body,
        template: 'governance/views/settings.njk',
        context: settingsPage,
      },
      async (data) => {
        await portfolio.setStalledDays(user, data.stalledDays, requestMeta(request).ip)
        return reply
          .flash(
            `A project is now stalled after ${data.stalledDays} days without a data point or a PDSA change.`,
          )
          .redirect(PORTFOLIO_PATH, 303)
      },
    )
  })

  // ----- the measures shown to the Board -----

  const boardMeasuresPage = async (user: CurrentUser, q: string) => {
    const words = q.trim().slice(0, 100)
    return {
      title: 'Measures for the Board',
      ...(await board.flaggedList(user)),
      q: words,
      candidates: words ? await board.candidates(user, words) : null,
    }
  }

  app.get(
    BOARD_MEASURES,
    { schema: { querystring: boardMeasuresQuery }, preHandler: steering },
    async (request, reply) => {
      const user = requireUser(request)
      return reply.page(
        'governance/views/board-measures.njk',
        await boardMeasuresPage(user, request.query.q ?? ''),
      )
    },
  )

  app.post(BOARD_MEASURES, { schema: { body: formBody }, preHandler: steering }, async (request, reply) => {
    const user = requireUser(request)
    return handleForm(
      reply,
      {
        schema: flagForm,
        body: request.body,
        template: 'governance/views/board-measures.njk',
        context: () => boardMeasuresPage(user, ''),
      },
      async (data) => {
        const measure = await board.flag(user, data.measureId, data.priorityId, requestMeta(request).ip)
        const back =
          data.from === 'portfolio' ? safeNext(request.body.returnTo, PORTFOLIO_PATH) : BOARD_MEASURES
        return reply
          .flash(`“${measure.name}” is on the Board’s SPC summary.`)
          .redirect(back.startsWith(PORTFOLIO_PATH) ? back : BOARD_MEASURES, 303)
      },
    )
  })

  app.post(
    `${BOARD_MEASURES}/:id/remove`,
    { schema: { params: idParams, body: formBody }, preHandler: steering },
    async (request, reply) => {
      const user = requireUser(request)
      await board.unflag(user, request.params.id, requestMeta(request).ip)
      return reply.flash('The measure is no longer on the Board’s SPC summary.').redirect(BOARD_MEASURES, 303)
    },
  )

  // ----- the Board -----

  app.get('/board', { preHandler: boardReader }, async (request, reply) => {
    const user = requireUser(request)
    const summary = await board.summary(user)
    return reply.page('governance/views/board.njk', {
      title: 'Board SPC summary',
      ...summary,
      canSteer: canSteer(user),
    })
  })

  await boardPackRoutes(app, { governance: services.governance })
  await capabilityRoutes(app, { governance: services.governance })
  await impactRoutes(app, { impact: services.governance.impact })
  await facilitationRoutes(app, { governance: services.governance })
  await digestRoutes(app, { digest: services.governance.digest })

  app.get('/board.csv', { preHandler: boardReader, config: { download: true } }, async (request, reply) => {
    const user = requireUser(request)
    return sendDownload(reply, await board.csv(user, requestMeta(request).ip), 'text/csv; charset=utf-8')
  })
}
