import { signedIn } from '../../web/guard.js'
import { facilitationGuards } from '../guards.js'
import { z } from 'zod'
import { handleForm } from '../../web/form-page.js'
import { requestMeta, requireUser } from '../../web/plugin.js'
import { idParams, queryText, type RequestWithParams, type ZodApp } from '../../web/route-schemas.js'
import type { FacilitationServices } from '../index.js'
import {
  ASSIGNMENT_ROWS,
  decisionForm,
  supportRequestBody,
  supportRequestForm,
  withdrawForm,
} from '../forms.js'
import { REQUEST_STATUSES, TRANSITIONS } from './lifecycle.js'
import { monthLabel } from '../capacity/months.js'
import { HELP_WANTED, SCALES } from '../capacity/priority-score.js'

const newRequestQuery = z.object({ programme: queryText })

const scales = Object.entries(SCALES).map(([value, s]) => ({ value, text: s.label }))
const helps = Object.entries(HELP_WANTED).map(([value, text]) => ({ value, text }))
const REQUEST_ORDER = [
  'title',
  'programmeId',
  'need',
  'scale',
  'stakeholders',
  'startDate',
  'endDate',
  'priorityIds',
  'aimCodes',
  'helpWanted',
]
const DECISION_ORDER = [
  'decision',
  'reason',
  'facultyId',
  'coach1',
  'month1',
  'hours1',
  'coach2',
  'month2',
  'hours2',
  'coach3',
  'month3',
  'hours3',
  'overrideReason',
  'outcome',
]

/** Asking for support, following a request, and the triage team's decisions on it. */
export async function supportRoutes(app: ZodApp, { f }: { f: FacilitationServices }) {
  const g = facilitationGuards(f)

  app.get('/support', async (_request, reply) => reply.redirect('/facilitation', 302))

  app.get('/support/requests', async (request, reply) => {
    const user = requireUser(request)
    const lists = await f.support.listFor(user)
    return reply.page('facilitation/views/requests.njk', {
      title: 'Your support requests',
      ...lists,
      statuses: REQUEST_STATUSES,
    })
  })

  const newContext = async () => ({
    title: 'Ask for facilitation support',
    ...(await f.programmes.formOptions()),
    scales,
    helps,
  })

  app.get('/support/requests/new', { schema: { querystring: newRequestQuery } }, async (request, reply) => {
    requireUser(request)
    const context = await newContext()
    const slug = request.query.programme
    const programmeId = context.programmes.find((p) => p.slug === slug)?.id ?? ''
    return reply.page('facilitation/views/request-new.njk', {
      ...context,
      values: { programmeId, priorityIds: [], aimCodes: [], helpWanted: [] },
    })
  })

  app.post(
    '/support/requests',
    { preHandler: signedIn, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      const raw = (request.body ?? {}) as Record<string, unknown>
      const body = supportRequestBody({
        ...raw,
        priorityIds: listOf(raw.priorityIds),
        aimCodes: listOf(raw.aimCodes),
        helpWanted: listOf(raw.helpWanted),
      })
      return handleForm(
        reply,
        {
          schema: supportRequestForm,
          body,
          template: 'facilitation/views/request-new.njk',
          context: newContext,
          order: REQUEST_ORDER,
        },
        async (data) => {
          const id = await f.support.submit(user, data, requestMeta(request).ip)
          return reply
            .flash(
              'Your request has been sent. We have e-mailed you a copy; you can follow its progress here.',
            )
            .redirect(`/support/requests/${id}`, 303)
        },
      )
    },
  )

  app.get('/support/requests/:id', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireUser(request)
    const view = await f.support.view(user, request.params.id)
    return reply.page('facilitation/views/request.njk', {
      title: view.request.title,
      ...view,
      statuses: REQUEST_STATUSES,
      scales: SCALES,
      helpLabels: HELP_WANTED,
      monthLabel,
    })
  })

  // ----- withdrawing (the requester) -----

  const withdrawContext = (request: RequestWithParams<typeof idParams>) => async () => {
    const view = await f.support.view(requireUser(request), request.params.id)
    return { title: 'Withdraw your request', request: view.request }
  }

  app.get(
    '/support/requests/:id/withdraw',
    { schema: { params: idParams }, preHandler: g.requester },
    async (request, reply) => {
      const context = await withdrawContext(request)()
      return reply.page('facilitation/views/request-withdraw.njk', {
        ...context,
        values: { version: context.request.version },
      })
    },
  )

  app.post(
    '/support/requests/:id/withdraw',
    { schema: { params: idParams }, preHandler: g.requester },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return handleForm(
        reply,
        {
          schema: withdrawForm,
          body: request.body,
          template: 'facilitation/views/request-withdraw.njk',
          context: withdrawContext(request),
        },
        async (data) => {
          await f.support.withdraw(user, id, data, requestMeta(request).ip)
          return reply.flash('Your request has been withdrawn.').redirect(`/support/requests/${id}`, 303)
        },
      )
    },
  )

  // ----- decisions (the triage team) -----

  const decideContext = (request: RequestWithParams<typeof idParams>) => async () => {
    const user = requireUser(request)
    const view = await f.support.view(user, request.params.id)
    const months = f.capacity.months(12)
    const [coaches, faculties, capacity] = await Promise.all([
      f.capacity.coaches(),
      f.programmes.faculties(),
      f.capacity.overview(months.slice(0, 6)),
    ])
    return {
      title: `Decide: ${view.request.title}`,
      ...view,
      statuses: REQUEST_STATUSES,
      coaches,
      faculties,
      capacity,
      monthItems: months.map((m) => ({ value: m, text: monthLabel(m) })),
      rows: Array.from({ length: ASSIGNMENT_ROWS }, (_, i) => i + 1),
      allows: TRANSITIONS[view.request.status],
    }
  }

  app.get(
    '/support/requests/:id/decide',
    { schema: { params: idParams }, preHandler: g.triage },
    async (request, reply) => {
      const context = await decideContext(request)()
      if (!context.can.triage) return reply.redirect(`/support/requests/${request.params.id}`, 303)
      return reply.page('facilitation/views/request-decide.njk', {
        ...context,
        values: { version: context.request.version },
      })
    },
  )

  app.post(
    '/support/requests/:id/decide',
    { schema: { params: idParams }, preHandler: g.triage },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return handleForm(
        reply,
        {
          schema: decisionForm,
          body: request.body,
          template: 'facilitation/views/request-decide.njk',
          context: decideContext(request),
          order: DECISION_ORDER,
        },
        async (data) => {
          const status = await f.triage.decide(user, id, data, requestMeta(request).ip)
          return reply
            .flash(
              `The request is now ${REQUEST_STATUSES[status].toLowerCase()}. The requester has been e-mailed.`,
            )
            .redirect(`/support/requests/${id}`, 303)
        },
      )
    },
  )
}

function listOf(v: unknown): string[] {
  return v === undefined ? [] : ([] as unknown[]).concat(v).map(String)
}
