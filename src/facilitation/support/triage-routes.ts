import { facilitationGuards } from '../guards.js'
import type { FastifyRequest } from 'fastify'
import { handleForm } from '../../web/form-page.js'
import { requestMeta, requireUser } from '../../web/plugin.js'
import { idParams, type RequestWithParams, type ZodApp } from '../../web/route-schemas.js'
import { ForbiddenError } from '../../core/errors.js'
import { pagination } from '../../web/pagination.js'
import { canSetCapacity, canTriage } from '../policy.js'
import type { FacilitationServices } from '../index.js'
import {
  ASSIGNMENT_ROWS,
  actualHoursForm,
  addAssignmentForm,
  capacityForm,
  overrideForm,
  triageQuery,
} from '../forms.js'
import { REQUEST_STATUSES } from './lifecycle.js'
import { monthLabel } from '../capacity/months.js'
import { SCALES } from '../capacity/priority-score.js'

const PAGE_SIZE = 25

/** The triage queue, the pipeline, QI specialists' capacity, priority overrides and hours. */
export async function triageRoutes(app: ZodApp, { f }: { f: FacilitationServices }) {
  const g = facilitationGuards(f)

  app.get('/support/triage', { schema: { querystring: triageQuery } }, async (request, reply) => {
    const user = requireUser(request)
    const query = request.query
    const result = await f.pipeline.triage(user, {
      status: query.status,
      page: query.page,
      pageSize: PAGE_SIZE,
    })
    const params = new URLSearchParams(query.status ? { status: query.status } : {})
    return reply.page('facilitation/views/triage.njk', {
      title: 'Triage support requests',
      query,
      ...result,
      statuses: REQUEST_STATUSES,
      scales: SCALES,
      pager: pagination('/support/triage', params, query.page, PAGE_SIZE, result.total),
    })
  })

  app.get('/support/pipeline', async (request, reply) => {
    const user = requireUser(request)
    const pipeline = await f.pipeline.pipeline(user)
    return reply.page('facilitation/views/pipeline.njk', { title: 'Support pipeline', ...pipeline })
  })

  // ----- capacity -----

  const capacityContext = (request: FastifyRequest) => async () => {
    const user = requireUser(request)
    const months = f.capacity.months(6)
    const [overview, coaches] = await Promise.all([f.capacity.overview(months), f.capacity.coaches()])
    return {
      title: 'QI specialists’ capacity',
      capacity: overview,
      coaches: coaches.filter((c) => canSetCapacity(user, c.id)),
      monthItems: f.capacity.months(12).map((m) => ({ value: m, text: monthLabel(m) })),
      canTriage: canTriage(user),
    }
  }

  app.get('/support/capacity', async (request, reply) => {
    const user = requireUser(request)
    const context = await capacityContext(request)()
    if (!context.canTriage)
      throw new ForbiddenError('Only the Steering Group, QI specialists and admins see capacity')
    return reply.page('facilitation/views/capacity.njk', {
      ...context,
      values: { coachId: user.id, month: f.capacity.currentMonth() },
    })
  })

  app.post('/support/capacity', { preHandler: g.triageTeam }, async (request, reply) => {
    const user = requireUser(request)
    return handleForm(
      reply,
      {
        schema: capacityForm,
        body: request.body,
        template: 'facilitation/views/capacity.njk',
        context: capacityContext(request),
        order: ['coachId', 'month', 'hours'],
      },
      async (data) => {
        await f.capacity.setAvailable(
          user,
          { coachId: data.coachId, month: data.month, hours: data.hours },
          requestMeta(request).ip,
        )
        return reply
          .flash(`Available hours for ${monthLabel(data.month)} have been saved.`)
          .redirect('/support/capacity', 303)
      },
    )
  })

  // ----- priority override -----

  const overrideContext = (request: RequestWithParams<typeof idParams>) => async () => {
    const view = await f.support.view(requireUser(request), request.params.id)
    return { title: 'Change the priority', ...view }
  }

  app.get(
    '/support/requests/:id/priority',
    { schema: { params: idParams }, preHandler: g.priority },
    async (request, reply) => {
      const context = await overrideContext(request)()
      return reply.page('facilitation/views/request-priority.njk', {
        ...context,
        values: { score: context.request.priorityOverride ?? '' },
      })
    },
  )

  app.post(
    '/support/requests/:id/priority',
    { schema: { params: idParams }, preHandler: g.priority },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return handleForm(
        reply,
        {
          schema: overrideForm,
          body: request.body,
          template: 'facilitation/views/request-priority.njk',
          context: overrideContext(request),
          order: ['score', 'reason'],
        },
        async (data) => {
          await f.triage.overridePriority(user, id, data, requestMeta(request).ip)
          return reply
            .flash(
              data.score === null
                ? 'The suggested priority applies again.'
                : `The priority is now ${data.score}.`,
            )
            .redirect(`/support/requests/${id}`, 303)
        },
      )
    },
  )

  // ----- hours -----

  const hoursContext = (request: RequestWithParams<typeof idParams>) => async () => {
    const view = await f.support.view(requireUser(request), request.params.id)
    const months = f.capacity.months(12)
    const [coaches, capacity] = await Promise.all([
      f.capacity.coaches(),
      f.capacity.overview(months.slice(0, 6)),
    ])
    return {
      title: `Hours: ${view.request.title}`,
      ...view,
      coaches,
      capacity,
      monthItems: months.map((m) => ({ value: m, text: monthLabel(m) })),
      rows: Array.from({ length: ASSIGNMENT_ROWS }, (_, i) => i + 1),
      monthLabel,
    }
  }

  app.get(
    '/support/requests/:id/hours',
    { schema: { params: idParams }, preHandler: g.triage },
    async (request, reply) => {
      const context = await hoursContext(request)()
      const values = Object.fromEntries(
        context.assignments.map((a) => [`actual-${a.id}`, a.actualHours ?? '']),
      )
      return reply.page('facilitation/views/request-hours.njk', { ...context, values })
    },
  )

  app.post(
    '/support/requests/:id/hours',
    { schema: { params: idParams }, preHandler: g.triage, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return handleForm(
        reply,
        {
          schema: actualHoursForm,
          body: request.body,
          template: 'facilitation/views/request-hours.njk',
          context: hoursContext(request),
        },
        async (actual) => {
          await f.triage.recordActualHours(user, id, actual, requestMeta(request).ip)
          return reply.flash('Actual hours have been saved.').redirect(`/support/requests/${id}`, 303)
        },
      )
    },
  )

  app.post(
    '/support/requests/:id/assignments',
    { schema: { params: idParams }, preHandler: g.triage },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return handleForm(
        reply,
        {
          schema: addAssignmentForm,
          body: request.body,
          template: 'facilitation/views/request-hours.njk',
          context: hoursContext(request),
          order: [
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
          ],
        },
        async (data) => {
          await f.triage.addAssignments(user, id, data, requestMeta(request).ip)
          return reply.flash('The hours have been added.').redirect(`/support/requests/${id}`, 303)
        },
      )
    },
  )
}
