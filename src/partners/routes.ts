import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { requestMeta, requireUser } from '../web/plugin.js'
import { guard } from '../web/guard.js'
import { handleForm } from '../web/form-page.js'
import { sendDownload } from '../web/download.js'
import { formBody, idParam, idParams, type ZodApp } from '../web/route-schemas.js'
import { partsOf } from '../core/dates.js'
import { chartParams } from '../measures/routes-page.js'
import {
  INVOLVEMENT_ORDER,
  INVOLVEMENT_STATUS_LABELS,
  involvementBody,
  involvementForm,
  involvementStatusForm,
  READING_AGE_MAX,
  READING_AGE_MIN,
  settingsForm,
  YOU_SAID_ORDER,
  youSaidBody,
  youSaidForm,
} from './forms.js'
import { pounds, type PartnerService } from './service.js'

/** The services these routes use: app.ts passes only these. */
export interface PartnerRouteServices {
  partners: PartnerService
}

const entryParams = z.object({ id: idParam, entryId: idParam })
const SETTINGS = '/partners/settings'
const MINE = '/partners/involvement'
const plainPath = (id: string) => `/projects/${id}/for-partners`

const hoursText = (minutes: number) => {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return (
    [h ? `${h} hour${h === 1 ? '' : 's'}` : '', m ? `${m} minutes` : ''].filter(Boolean).join(' ') || 'None'
  )
}
const money = { pounds, hoursText, statusLabels: INVOLVEMENT_STATUS_LABELS }

/**
 * Improvement partners' pages: a project in plain English (anyone who may see the project),
 * "you said, we did" (the team writes it), the involvement log (the partner's own; the
 * project's leads approve and pay, and download it for finance) and the Steering Group's
 * reading-age setting. Permission first: each write's guard decides before the body is read.
 */
export async function partnerRoutes(app: ZodApp, { services }: { services: PartnerRouteServices }) {
  const { partners } = services
  const ip = (request: FastifyRequest) => requestMeta(request).ip
  const paramId = (r: FastifyRequest) => (r.params as { id: string }).id
  const editor = guard((user, r) => partners.requireEdit(user, paramId(r)))
  const lead = guard((user, r) => partners.requireLead(user, paramId(r)))
  const partner = guard((user) => partners.requirePartner(user))
  const steering = guard((user) => partners.requireSteering(user))

  // ----- the plain-English view -----

  app.get('/projects/:id/for-partners', { schema: { params: idParams } }, async (request, reply) => {
    const view = await partners.plainView(request.user, request.params.id)
    return reply.page('partners/views/plain.njk', {
      title: `${view.project.title} in plain English`,
      ...view,
      charts: view.charts.map((c) => ({
        measure: c.measure,
        description: c.chart.description,
        params:
          c.chart.svg || c.chart.rows.length
            ? { ...chartParams(c.measure, c.chart, `partners-${c.measure.id}`, null), description: '' }
            : null,
      })),
    })
  })

  // ----- "you said, we did" -----

  const youSaidContext = (request: FastifyRequest, entryId?: string) => async () => {
    const user = requireUser(request)
    const id = paramId(request)
    const { project } = entryId
      ? await partners.youSaidEntry(user, id, entryId)
      : await partners.requireEdit(user, id)
    return {
      title: entryId ? 'Change “you said, we did”' : 'Add “you said, we did”',
      project,
      entryId,
      maxAge: await partners.maxReadingAge(),
    }
  }

  app.get(
    '/projects/:id/for-partners/you-said/new',
    { schema: { params: idParams }, preHandler: editor },
    async (request, reply) =>
      reply.page('partners/views/you-said.njk', { ...(await youSaidContext(request)()), values: {} }),
  )

  app.post(
    '/projects/:id/for-partners/you-said',
    { schema: { params: idParams, body: formBody }, preHandler: editor, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return handleForm(
        reply,
        {
          schema: youSaidForm,
          body: youSaidBody(request.body),
          template: 'partners/views/you-said.njk',
          context: youSaidContext(request),
          order: YOU_SAID_ORDER,
        },
        async (data) => {
          const { check } = await partners.addYouSaid(user, id, data, ip(request))
          return reply.flash(savedMessage(check)).redirect(plainPath(id), 303)
        },
      )
    },
  )

  app.get(
    '/projects/:id/for-partners/you-said/:entryId/edit',
    { schema: { params: entryParams }, preHandler: editor },
    async (request, reply) => {
      const { entry } = await partners.youSaidEntry(
        requireUser(request),
        request.params.id,
        request.params.entryId,
      )
      return reply.page('partners/views/you-said.njk', {
        ...(await youSaidContext(request, entry.id)()),
        values: { youSaid: entry.youSaid, weDid: entry.weDid, ...partsOf(entry.saidOn, 'saidOn') },
      })
    },
  )

  app.post(
    '/projects/:id/for-partners/you-said/:entryId/edit',
    { schema: { params: entryParams, body: formBody }, preHandler: editor },
    async (request, reply) => {
      const user = requireUser(request)
      const { id, entryId } = request.params
      return handleForm(
        reply,
        {
          schema: youSaidForm,
          body: youSaidBody(request.body),
          template: 'partners/views/you-said.njk',
          context: youSaidContext(request, entryId),
          order: YOU_SAID_ORDER,
        },
        async (data) => {
          const { check } = await partners.editYouSaid(user, id, entryId, data, ip(request))
          return reply.flash(savedMessage(check)).redirect(plainPath(id), 303)
        },
      )
    },
  )

  // ----- the involvement log: the partner's own -----

  const mineContext = (request: FastifyRequest) => async () => ({
    title: 'Your involvement',
    ...(await partners.myInvolvement(requireUser(request))),
    ...money,
  })

  app.get(MINE, { preHandler: partner }, async (request, reply) =>
    reply.page('partners/views/involvement.njk', { ...(await mineContext(request)()), values: {} }),
  )

  app.post(
    MINE,
    { schema: { body: formBody }, preHandler: partner, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      return handleForm(
        reply,
        {
          schema: involvementForm,
          body: involvementBody(request.body),
          template: 'partners/views/involvement.njk',
          context: mineContext(request),
          order: INVOLVEMENT_ORDER,
        },
        async (data) => {
          await partners.addInvolvement(user, data, ip(request))
          return reply
            .flash(
              data.expenses
                ? `Your involvement has been logged, with ${pounds(data.expenses)} of expenses claimed. The project lead will approve it.`
                : 'Your involvement has been logged.',
            )
            .redirect(MINE, 303)
        },
      )
    },
  )

  // ----- the involvement log: the project's leads -----

  const projectContext = (request: FastifyRequest) => async () => {
    const page = await partners.projectInvolvement(requireUser(request), paramId(request))
    return { title: `Partners’ involvement: ${page.project.title}`, ...page, ...money }
  }

  app.get(
    '/projects/:id/involvement',
    { schema: { params: idParams }, preHandler: lead },
    async (request, reply) =>
      reply.page('partners/views/project-involvement.njk', await projectContext(request)()),
  )

  app.post(
    '/projects/:id/involvement/:entryId/status',
    { schema: { params: entryParams, body: formBody }, preHandler: lead },
    async (request, reply) => {
      const user = requireUser(request)
      const { id, entryId } = request.params
      return handleForm(
        reply,
        {
          schema: involvementStatusForm,
          body: request.body,
          template: 'partners/views/project-involvement.njk',
          context: projectContext(request),
        },
        async (data) => {
          await partners.setInvolvementStatus(user, id, entryId, data.status, ip(request))
          return reply
            .flash(
              data.status === 'approved'
                ? 'The entry has been approved.'
                : 'The entry has been marked as paid.',
            )
            .redirect(`/projects/${id}/involvement`, 303)
        },
      )
    },
  )

  app.get(
    '/projects/:id/involvement.csv',
    { schema: { params: idParams }, preHandler: lead, config: { download: true } },
    async (request, reply) => {
      const file = await partners.involvementCsv(requireUser(request), request.params.id, ip(request))
      return sendDownload(reply, file, 'text/csv; charset=utf-8')
    },
  )

  // ----- the Steering Group's reading age -----

  const settingsContext = async () => ({
    title: 'Reading age for improvement partners',
    maxAge: await partners.maxReadingAge(),
    min: READING_AGE_MIN,
    max: READING_AGE_MAX,
  })

  app.get(SETTINGS, { preHandler: steering }, async (_request, reply) => {
    const context = await settingsContext()
    return reply.page('partners/views/settings.njk', {
      ...context,
      values: { maxReadingAge: String(context.maxAge) },
    })
  })

  app.post(SETTINGS, { schema: { body: formBody }, preHandler: steering }, async (request, reply) => {
    const user = requireUser(request)
    return handleForm(
      reply,
      {
        schema: settingsForm,
        body: request.body,
        template: 'partners/views/settings.njk',
        context: settingsContext,
      },
      async (data) => {
        await partners.setMaxReadingAge(user, data.maxReadingAge, ip(request))
        return reply
          .flash(`Text for partners above a reading age of ${data.maxReadingAge} now gets a warning.`)
          .redirect(SETTINGS, 303)
      },
    )
  })
}

function savedMessage(check: { age: number; tooHard: boolean } | null): string {
  if (!check) return 'Saved.'
  return check.tooHard
    ? `Saved. Its reading age is about ${check.age}, which is harder than the Steering Group’s level: see the advice on the page.`
    : `Saved. Its reading age is about ${check.age}.`
}
