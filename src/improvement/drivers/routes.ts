import type { FastifyInstance, FastifyRequest } from 'fastify'
import { handleForm } from '../../web/form-page.js'
import { requestMeta, requireUser } from '../../web/plugin.js'
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

type Params = { id: string; driverId?: string; ideaId?: string }

const DRIVER_ORDER = ['title', 'parentIds']
const IDEA_ORDER = ['title', 'description', 'status', 'driverIds']
const statuses = CHANGE_IDEA_STATUSES.map((value) => ({ value, text: CHANGE_IDEA_STATUS_LABELS[value] }))

function listOf(v: unknown): string[] {
  return v === undefined ? [] : ([] as unknown[]).concat(v).map(String)
}

/** The driver diagram and its change ideas. */
export async function driverRoutes(
  app: FastifyInstance,
  { improvement }: { improvement: ImprovementServices },
) {
  const { drivers, pdsa } = improvement
  const p = (request: FastifyRequest) => request.params as Params
  const base = (request: FastifyRequest) => `/projects/${encodeURIComponent(p(request).id)}`

  app.get('/projects/:id/drivers', async (request, reply) => {
    const view = await drivers.diagram(request.user, p(request).id)
    return reply.page('improvement/views/drivers.njk', {
      title: `Driver diagram: ${view.project.title}`,
      ...view,
      statusLabels: CHANGE_IDEA_STATUS_LABELS,
    })
  })

  // ----- drivers -----

  const kindOf = (v: unknown) => (v === 'secondary' ? 'secondary' : 'primary')
  const newDriverContext = (request: FastifyRequest, kind: 'primary' | 'secondary') => async () => {
    const context = await drivers.editContext(request.user, p(request).id)
    return {
      title: kind === 'primary' ? 'Add a primary driver' : 'Add a secondary driver',
      ...context,
      kind,
      action: `${base(request)}/drivers`,
    }
  }

  app.get('/projects/:id/drivers/new', async (request, reply) => {
    requireUser(request)
    const kind = kindOf((request.query as { kind?: string }).kind)
    const context = await newDriverContext(request, kind)()
    const parent = (request.query as { parent?: string }).parent
    return reply.page('improvement/views/driver-form.njk', {
      ...context,
      values: { parentIds: parent ? [parent] : [] },
    })
  })

  app.post('/projects/:id/drivers', { config: { once: 'content' } }, async (request, reply) => {
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
        await drivers.addDriver(user, p(request).id, kind, data, requestMeta(request).ip)
        return reply
          .flash(`The ${kind} driver “${data.title}” has been added.`)
          .redirect(`${base(request)}/drivers`, 303)
      },
    )
  })

  const editDriverContext = (request: FastifyRequest) => async () => {
    const view = await drivers.driver(request.user, p(request).id, p(request).driverId!)
    return {
      title: `Change the ${view.driver.kind} driver`,
      ...view,
      kind: view.driver.kind,
      action: `${base(request)}/drivers/${view.driver.id}/edit`,
      editing: true,
    }
  }

  app.get('/projects/:id/drivers/:driverId/edit', async (request, reply) => {
    requireUser(request)
    const context = await editDriverContext(request)()
    const d = context.driver
    return reply.page('improvement/views/driver-form.njk', {
      ...context,
      values: { title: d.title, parentIds: d.parentIds, version: d.version },
    })
  })

  app.post('/projects/:id/drivers/:driverId/edit', async (request, reply) => {
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
        await drivers.editDriver(user, p(request).id, p(request).driverId!, data, requestMeta(request).ip)
        return reply
          .flash(`The driver “${data.title}” has been saved.`)
          .redirect(`${base(request)}/drivers`, 303)
      },
    )
  })

  app.post('/projects/:id/drivers/:driverId/move', async (request, reply) => {
    const user = requireUser(request)
    const parsed = moveForm.safeParse(request.body)
    if (parsed.success)
      await drivers.moveDriver(user, p(request).id, p(request).driverId!, parsed.data.direction)
    return reply.redirect(`${base(request)}/drivers#manage-drivers`, 303)
  })

  const deleteDriverContext = (request: FastifyRequest) => async () => {
    const view = await drivers.driver(request.user, p(request).id, p(request).driverId!)
    return { title: `Delete the ${view.driver.kind} driver`, ...view }
  }

  app.get('/projects/:id/drivers/:driverId/delete', async (request, reply) => {
    requireUser(request)
    const context = await deleteDriverContext(request)()
    return reply.page('improvement/views/driver-delete.njk', {
      ...context,
      values: { version: context.driver.version },
    })
  })

  app.post('/projects/:id/drivers/:driverId/delete', async (request, reply) => {
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
          p(request).id,
          p(request).driverId!,
          data.version,
          requestMeta(request).ip,
        )
        return reply
          .flash(`The ${gone.kind} driver “${gone.title}” has been deleted.`)
          .redirect(`${base(request)}/drivers`, 303)
      },
    )
  })

  // ----- change ideas -----

  app.get('/projects/:id/change-ideas', async (request, reply) =>
    reply.redirect(`${base(request)}/drivers#change-ideas`, 302),
  )

  const newIdeaContext = (request: FastifyRequest) => async () => {
    const context = await drivers.editContext(request.user, p(request).id)
    return { title: 'Add a change idea', ...context, statuses, action: `${base(request)}/change-ideas` }
  }

  app.get('/projects/:id/change-ideas/new', async (request, reply) => {
    requireUser(request)
    const context = await newIdeaContext(request)()
    const driver = (request.query as { driver?: string }).driver
    return reply.page('improvement/views/change-idea-form.njk', {
      ...context,
      values: { status: 'idea', driverIds: driver ? [driver] : [] },
    })
  })

  app.post('/projects/:id/change-ideas', { config: { once: 'content' } }, async (request, reply) => {
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
        const id = await drivers.addChangeIdea(user, p(request).id, data, requestMeta(request).ip)
        return reply
          .flash(`The change idea “${data.title}” has been added.`)
          .redirect(`${base(request)}/change-ideas/${id}`, 303)
      },
    )
  })

  app.get('/projects/:id/change-ideas/:ideaId', async (request, reply) => {
    const view = await drivers.changeIdea(request.user, p(request).id, p(request).ideaId!)
    const { ramps } = await pdsa.ramp(request.user, p(request).id, view.idea.id)
    return reply.page('improvement/views/change-idea.njk', {
      title: view.idea.title,
      ...view,
      cycles: ramps.flatMap((r) => r.cycles),
      statusLabels: CHANGE_IDEA_STATUS_LABELS,
      pdsaStatusLabels: PDSA_STATUS_LABELS,
      decisionLabels: PDSA_DECISION_LABELS,
    })
  })

  const editIdeaContext = (request: FastifyRequest) => async () => {
    const view = await drivers.changeIdea(request.user, p(request).id, p(request).ideaId!, 'edit')
    return {
      title: 'Change the change idea',
      ...view,
      primaries: view.drivers.filter((d) => d.kind === 'primary'),
      secondaries: view.drivers.filter((d) => d.kind === 'secondary'),
      statuses,
      action: `${base(request)}/change-ideas/${view.idea.id}/edit`,
      editing: true,
    }
  }

  app.get('/projects/:id/change-ideas/:ideaId/edit', async (request, reply) => {
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
  })

  app.post('/projects/:id/change-ideas/:ideaId/edit', async (request, reply) => {
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
        await drivers.editChangeIdea(user, p(request).id, p(request).ideaId!, data, requestMeta(request).ip)
        return reply
          .flash(`The change idea “${data.title}” has been saved.`)
          .redirect(`${base(request)}/change-ideas/${p(request).ideaId}`, 303)
      },
    )
  })

  app.post('/projects/:id/change-ideas/:ideaId/move', async (request, reply) => {
    const user = requireUser(request)
    const parsed = moveForm.safeParse(request.body)
    if (parsed.success)
      await drivers.moveChangeIdea(user, p(request).id, p(request).ideaId!, parsed.data.direction)
    return reply.redirect(`${base(request)}/drivers#manage-change-ideas`, 303)
  })

  const deleteIdeaContext = (request: FastifyRequest) => async () => {
    const view = await drivers.changeIdea(request.user, p(request).id, p(request).ideaId!, 'edit')
    return { title: 'Delete the change idea', ...view }
  }

  app.get('/projects/:id/change-ideas/:ideaId/delete', async (request, reply) => {
    requireUser(request)
    const context = await deleteIdeaContext(request)()
    return reply.page('improvement/views/change-idea-delete.njk', {
      ...context,
      values: { version: context.idea.version },
    })
  })

  app.post('/projects/:id/change-ideas/:ideaId/delete', async (request, reply) => {
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
          p(request).id,
          p(request).ideaId!,
          data.version,
          requestMeta(request).ip,
        )
        return reply
          .flash(`The change idea “${gone.title}” has been deleted.`)
          .redirect(`${base(request)}/drivers`, 303)
      },
    )
  })

  app.get('/projects/:id/change-ideas/:ideaId/ramp', async (request, reply) => {
    const view = await pdsa.ramp(request.user, p(request).id, p(request).ideaId!)
    return reply.page('improvement/views/ramp.njk', {
      title: `PDSA ramp: ${view.changeIdea.title}`,
      ...view,
      statusLabels: CHANGE_IDEA_STATUS_LABELS,
      pdsaStatusLabels: PDSA_STATUS_LABELS,
      decisionLabels: PDSA_DECISION_LABELS,
      metLabels: PREDICTION_MET_LABELS,
    })
  })
}
