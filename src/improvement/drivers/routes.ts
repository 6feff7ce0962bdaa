import { z } from 'zod'
import { handleForm } from '../../web/form-page.js'
import { requestMeta, requireUser } from '../../web/plugin.js'
import { idParam, idParams, queryText, type RequestWithParams, type ZodApp } from '../../web/route-schemas.js'
import {
  changeIdeaEditForm,
  changeIdeaForm,
  deleteForm,
  driverEditForm,
  driverForm,
  moveForm,
} from '../forms.js'
import type { ImprovementServices } from '../index.js'
import {
  CHANGE_IDEA_STATUSES,
  CHANGE_IDEA_STATUS_LABELS,
  PDSA_DECISION_LABELS,
  PDSA_STATUS_LABELS,
  PREDICTION_MET_LABELS,
} from '../policy.js'

const driverParams = z.object({ id: idParam, driverId: idParam })
const ideaParams = z.object({ id: idParam, ideaId: idParam })
const newDriverQuery = z.object({ kind: queryText, parent: queryText })
const newIdeaQuery = z.object({ driver: queryText })
type ProjectRequest = RequestWithParams<typeof idParams>
type DriverRequest = RequestWithParams<typeof driverParams>
type IdeaRequest = RequestWithParams<typeof ideaParams>

const DRIVER_ORDER = ['title', 'parentIds']
const IDEA_ORDER = ['title', 'description', 'status', 'driverIds']
const statuses = CHANGE_IDEA_STATUSES.map((value) => ({ value, text: CHANGE_IDEA_STATUS_LABELS[value] }))

function listOf(v: unknown): string[] {
  return v === undefined ? [] : ([] as unknown[]).concat(v).map(String)
}

/** The driver diagram and its change ideas. */
export async function driverRoutes(app: ZodApp, { improvement }: { improvement: ImprovementServices }) {
  const { drivers, pdsa } = improvement
  const base = (projectId: string) => `/projects/${encodeURIComponent(projectId)}`

  app.get('/projects/:id/drivers', { schema: { params: idParams } }, async (request, reply) => {
    const view = await drivers.diagram(request.user, request.params.id)
    return reply.page('improvement/views/drivers.njk', {
      title: `Driver diagram: ${view.project.title}`,
      ...view,
      statusLabels: CHANGE_IDEA_STATUS_LABELS,
    })
  })

  // ----- drivers -----

  const kindOf = (v: unknown) => (v === 'secondary' ? 'secondary' : 'primary')
  const newDriverContext = (request: ProjectRequest, kind: 'primary' | 'secondary') => async () => {
    const context = await drivers.editContext(request.user, request.params.id)
    return {
      title: kind === 'primary' ? 'Add a primary driver' : 'Add a secondary driver',
      ...context,
      kind,
      action: `${base(request.params.id)}/drivers`,
    }
  }

  app.get(
    '/projects/:id/drivers/new',
    { schema: { params: idParams, querystring: newDriverQuery } },
    async (request, reply) => {
      requireUser(request)
      const kind = kindOf(request.query.kind)
      const context = await newDriverContext(request, kind)()
      const parent = request.query.parent
      return reply.page('improvement/views/driver-form.njk', {
        ...context,
        values: { parentIds: parent ? [parent] : [] },
      })
    },
  )

  app.post(
    '/projects/:id/drivers',
    { schema: { params: idParams }, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      const raw = (request.body ?? {}) as Record<string, unknown>
      const kind = kindOf(raw.kind)
      const body = { ...raw, parentIds: listOf(raw.parentIds) }
      return handleForm(
        reply,
        {
          schema: driverForm,
          body,
          template: 'improvement/views/driver-form.njk',
          context: newDriverContext(request, kind),
          order: DRIVER_ORDER,
        },
        async (data) => {
          await drivers.addDriver(user, request.params.id, kind, data, requestMeta(request).ip)
          return reply
            .flash(`The ${kind} driver “${data.title}” has been added.`)
            .redirect(`${base(request.params.id)}/drivers`, 303)
        },
      )
    },
  )

  const editDriverContext = (request: DriverRequest) => async () => {
    const view = await drivers.driver(request.user, request.params.id, request.params.driverId)
    return {
      title: `Change the ${view.driver.kind} driver`,
      ...view,
      kind: view.driver.kind,
      action: `${base(request.params.id)}/drivers/${view.driver.id}/edit`,
      editing: true,
    }
  }

  app.get(
    '/projects/:id/drivers/:driverId/edit',
    { schema: { params: driverParams } },
    async (request, reply) => {
      requireUser(request)
      const context = await editDriverContext(request)()
      const d = context.driver
      return reply.page('improvement/views/driver-form.njk', {
        ...context,
        values: { title: d.title, parentIds: d.parentIds, version: d.version },
      })
    },
  )

  app.post(
    '/projects/:id/drivers/:driverId/edit',
    { schema: { params: driverParams } },
    async (request, reply) => {
      const user = requireUser(request)
      const raw = (request.body ?? {}) as Record<string, unknown>
      const body = { ...raw, parentIds: listOf(raw.parentIds) }
      return handleForm(
        reply,
        {
          schema: driverEditForm,
          body,
          template: 'improvement/views/driver-form.njk',
          context: editDriverContext(request),
          order: DRIVER_ORDER,
        },
        async (data) => {
          await drivers.editDriver(
            user,
            request.params.id,
            request.params.driverId,
            data,
            requestMeta(request).ip,
          )
          return reply
            .flash(`The driver “${data.title}” has been saved.`)
            .redirect(`${base(request.params.id)}/drivers`, 303)
        },
      )
    },
  )

  app.post(
    '/projects/:id/drivers/:driverId/move',
    { schema: { params: driverParams } },
    async (request, reply) => {
      const user = requireUser(request)
      const parsed = moveForm.safeParse(request.body)
      if (parsed.success)
        await drivers.moveDriver(user, request.params.id, request.params.driverId, parsed.data.direction)
      return reply.redirect(`${base(request.params.id)}/drivers#manage-drivers`, 303)
    },
  )

  const deleteDriverContext = (request: DriverRequest) => async () => {
    const view = await drivers.driver(request.user, request.params.id, request.params.driverId)
    return { title: `Delete the ${view.driver.kind} driver`, ...view }
  }

  app.get(
    '/projects/:id/drivers/:driverId/delete',
    { schema: { params: driverParams } },
    async (request, reply) => {
      requireUser(request)
      const context = await deleteDriverContext(request)()
      return reply.page('improvement/views/driver-delete.njk', {
        ...context,
        values: { version: context.driver.version },
      })
    },
  )

  app.post(
    '/projects/:id/drivers/:driverId/delete',
    { schema: { params: driverParams } },
    async (request, reply) => {
      const user = requireUser(request)
      return handleForm(
        reply,
        {
          schema: deleteForm,
          body: request.body,
          template: 'improvement/views/driver-delete.njk',
          context: deleteDriverContext(request),
        },
        async (data) => {
          const gone = await drivers.deleteDriver(
            user,
            request.params.id,
            request.params.driverId,
            data.version,
            requestMeta(request).ip,
          )
          return reply
            .flash(`The ${gone.kind} driver “${gone.title}” has been deleted.`)
            .redirect(`${base(request.params.id)}/drivers`, 303)
        },
      )
    },
  )

  // ----- change ideas -----

  app.get('/projects/:id/change-ideas', { schema: { params: idParams } }, async (request, reply) =>
    reply.redirect(`${base(request.params.id)}/drivers#change-ideas`, 302),
  )

  const newIdeaContext = (request: ProjectRequest) => async () => {
    const context = await drivers.editContext(request.user, request.params.id)
    return {
      title: 'Add a change idea',
      ...context,
      statuses,
      action: `${base(request.params.id)}/change-ideas`,
    }
  }

  app.get(
    '/projects/:id/change-ideas/new',
    { schema: { params: idParams, querystring: newIdeaQuery } },
    async (request, reply) => {
      requireUser(request)
      const context = await newIdeaContext(request)()
      const driver = request.query.driver
      return reply.page('improvement/views/change-idea-form.njk', {
        ...context,
        values: { status: 'idea', driverIds: driver ? [driver] : [] },
      })
    },
  )

  app.post(
    '/projects/:id/change-ideas',
    { schema: { params: idParams }, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      const raw = (request.body ?? {}) as Record<string, unknown>
      const body = { ...raw, driverIds: listOf(raw.driverIds) }
      return handleForm(
        reply,
        {
          schema: changeIdeaForm,
          body,
          template: 'improvement/views/change-idea-form.njk',
          context: newIdeaContext(request),
          order: IDEA_ORDER,
        },
        async (data) => {
          const id = await drivers.addChangeIdea(user, request.params.id, data, requestMeta(request).ip)
          return reply
            .flash(`The change idea “${data.title}” has been added.`)
            .redirect(`${base(request.params.id)}/change-ideas/${id}`, 303)
        },
      )
    },
  )

  app.get(
    '/projects/:id/change-ideas/:ideaId',
    { schema: { params: ideaParams } },
    async (request, reply) => {
      const view = await drivers.changeIdea(request.user, request.params.id, request.params.ideaId)
      const { ramps } = await pdsa.ramp(request.user, request.params.id, view.idea.id)
      return reply.page('improvement/views/change-idea.njk', {
        title: view.idea.title,
        ...view,
        cycles: ramps.flatMap((r) => r.cycles),
        statusLabels: CHANGE_IDEA_STATUS_LABELS,
        pdsaStatusLabels: PDSA_STATUS_LABELS,
        decisionLabels: PDSA_DECISION_LABELS,
      })
    },
  )

  const editIdeaContext = (request: IdeaRequest) => async () => {
    const view = await drivers.changeIdea(request.user, request.params.id, request.params.ideaId, 'edit')
    return {
      title: 'Change the change idea',
      ...view,
      primaries: view.drivers.filter((d) => d.kind === 'primary'),
      secondaries: view.drivers.filter((d) => d.kind === 'secondary'),
      statuses,
      action: `${base(request.params.id)}/change-ideas/${view.idea.id}/edit`,
      editing: true,
    }
  }

  app.get(
    '/projects/:id/change-ideas/:ideaId/edit',
    { schema: { params: ideaParams } },
    async (request, reply) => {
      requireUser(request)
      const context = await editIdeaContext(request)()
      const i = context.idea
      return reply.page('improvement/views/change-idea-form.njk', {
        ...context,
        values: {
          title: i.title,
          description: i.description,
          status: i.status,
          driverIds: i.driverIds,
          version: i.version,
        },
      })
    },
  )

  app.post(
    '/projects/:id/change-ideas/:ideaId/edit',
    { schema: { params: ideaParams } },
    async (request, reply) => {
      const user = requireUser(request)
      const raw = (request.body ?? {}) as Record<string, unknown>
      const body = { ...raw, driverIds: listOf(raw.driverIds) }
      return handleForm(
        reply,
        {
          schema: changeIdeaEditForm,
          body,
          template: 'improvement/views/change-idea-form.njk',
          context: editIdeaContext(request),
          order: IDEA_ORDER,
        },
        async (data) => {
          await drivers.editChangeIdea(
            user,
            request.params.id,
            request.params.ideaId,
            data,
            requestMeta(request).ip,
          )
          return reply
            .flash(`The change idea “${data.title}” has been saved.`)
            .redirect(`${base(request.params.id)}/change-ideas/${request.params.ideaId}`, 303)
        },
      )
    },
  )

  app.post(
    '/projects/:id/change-ideas/:ideaId/move',
    { schema: { params: ideaParams } },
    async (request, reply) => {
      const user = requireUser(request)
      const parsed = moveForm.safeParse(request.body)
      if (parsed.success)
        await drivers.moveChangeIdea(user, request.params.id, request.params.ideaId, parsed.data.direction)
      return reply.redirect(`${base(request.params.id)}/drivers#manage-change-ideas`, 303)
    },
  )

  const deleteIdeaContext = (request: IdeaRequest) => async () => {
    const view = await drivers.changeIdea(request.user, request.params.id, request.params.ideaId, 'edit')
    return { title: 'Delete the change idea', ...view }
  }

  app.get(
    '/projects/:id/change-ideas/:ideaId/delete',
    { schema: { params: ideaParams } },
    async (request, reply) => {
      requireUser(request)
      const context = await deleteIdeaContext(request)()
      return reply.page('improvement/views/change-idea-delete.njk', {
        ...context,
        values: { version: context.idea.version },
      })
    },
  )

  app.post(
    '/projects/:id/change-ideas/:ideaId/delete',
    { schema: { params: ideaParams } },
    async (request, reply) => {
      const user = requireUser(request)
      return handleForm(
        reply,
        {
          schema: deleteForm,
          body: request.body,
          template: 'improvement/views/change-idea-delete.njk',
          context: deleteIdeaContext(request),
        },
        async (data) => {
          const gone = await drivers.deleteChangeIdea(
            user,
            request.params.id,
            request.params.ideaId,
            data.version,
            requestMeta(request).ip,
          )
          return reply
            .flash(`The change idea “${gone.title}” has been deleted.`)
            .redirect(`${base(request.params.id)}/drivers`, 303)
        },
      )
    },
  )

  app.get(
    '/projects/:id/change-ideas/:ideaId/ramp',
    { schema: { params: ideaParams } },
    async (request, reply) => {
      const view = await pdsa.ramp(request.user, request.params.id, request.params.ideaId)
      return reply.page('improvement/views/ramp.njk', {
        title: `PDSA ramp: ${view.changeIdea.title}`,
        ...view,
        statusLabels: CHANGE_IDEA_STATUS_LABELS,
        pdsaStatusLabels: PDSA_STATUS_LABELS,
        decisionLabels: PDSA_DECISION_LABELS,
        metLabels: PREDICTION_MET_LABELS,
      })
    },
  )
}
