import type { FastifyReply } from 'fastify'
import { z, type ZodType } from 'zod'
import { handleForm } from '../../web/form-page.js'
import { requestMeta, requireUser } from '../../web/plugin.js'
import { idParam, idParams, queryText, type RequestWithParams, type ZodApp } from '../../web/route-schemas.js'
import { changeIdeaEditForm, changeIdeaForm } from '../forms.js'
import type { ImprovementServices } from '../index.js'
import {
  CHANGE_IDEA_STATUSES,
  CHANGE_IDEA_STATUS_LABELS,
  PDSA_DECISION_LABELS,
  PDSA_STATUS_LABELS,
  PREDICTION_MET_LABELS,
} from '../policy.js'
import { deletePages, moveHandler, projectPath, withList } from '../route-helpers.js'

const ideaParams = z.object({ id: idParam, ideaId: idParam })
const newIdeaQuery = z.object({ driver: queryText })
type ProjectRequest = RequestWithParams<typeof idParams>
type IdeaRequest = RequestWithParams<typeof ideaParams>

const IDEA_ORDER = ['title', 'description', 'status', 'driverIds']
const statuses = CHANGE_IDEA_STATUSES.map((value) => ({ value, text: CHANGE_IDEA_STATUS_LABELS[value] }))
const pdsaLabels = {
  statusLabels: CHANGE_IDEA_STATUS_LABELS,
  pdsaStatusLabels: PDSA_STATUS_LABELS,
  decisionLabels: PDSA_DECISION_LABELS,
}

/** The change ideas of the driver diagram, each with its PDSA ramp. */
export async function changeIdeaRoutes(app: ZodApp, { improvement }: { improvement: ImprovementServices }) {
  const { drivers, pdsa } = improvement
  const diagramPath = (projectId: string) => `${projectPath(projectId)}/drivers`
  const ideasPath = (projectId: string) => `${projectPath(projectId)}/change-ideas`

  /** A new or changed change idea, its ticked drivers as a list; a wrong form comes back as typed. */
  const saveIdea = <T>(
    reply: FastifyReply,
    schema: ZodType<T>,
    body: unknown,
    context: () => Promise<Record<string, unknown>>,
    action: (data: T) => Promise<unknown>,
  ) =>
    handleForm(
      reply,
      {
        schema,
        body: withList(body, 'driverIds'),
        template: 'improvement/views/change-idea-form.njk',
        context,
        order: IDEA_ORDER,
      },
      action,
    )

  app.get('/projects/:id/change-ideas', { schema: { params: idParams } }, async (request, reply) =>
    reply.redirect(`${diagramPath(request.params.id)}#change-ideas`, 302),
  )

  const newIdeaContext = (request: ProjectRequest) => async () => {
    const context = await drivers.editContext(request.user, request.params.id)
    return {
      title: 'Add a change idea',
      ...context,
      statuses,
      action: ideasPath(request.params.id),
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
      return saveIdea(reply, changeIdeaForm, request.body, newIdeaContext(request), async (data) => {
        const id = await drivers.addChangeIdea(user, request.params.id, data, requestMeta(request).ip)
        return reply
          .flash(`The change idea “${data.title}” has been added.`)
          .redirect(`${ideasPath(request.params.id)}/${id}`, 303)
      })
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
        ...pdsaLabels,
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
      action: `${ideasPath(request.params.id)}/${view.idea.id}/edit`,
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
      return saveIdea(reply, changeIdeaEditForm, request.body, editIdeaContext(request), async (data) => {
        await drivers.editChangeIdea(
          user,
          request.params.id,
          request.params.ideaId,
          data,
          requestMeta(request).ip,
        )
        return reply
          .flash(`The change idea “${data.title}” has been saved.`)
          .redirect(`${ideasPath(request.params.id)}/${request.params.ideaId}`, 303)
      })
    },
  )

  app.post(
    '/projects/:id/change-ideas/:ideaId/move',
    { schema: { params: ideaParams } },
    moveHandler(
      (user, p: IdeaRequest['params'], direction) => drivers.moveChangeIdea(user, p.id, p.ideaId, direction),
      (p) => `${diagramPath(p.id)}#manage-change-ideas`,
    ),
  )

  const deleteIdea = deletePages({
    template: 'improvement/views/change-idea-delete.njk',
    context: async (request: IdeaRequest) => {
      const view = await drivers.changeIdea(request.user, request.params.id, request.params.ideaId, 'edit')
      return { title: 'Delete the change idea', ...view }
    },
    version: (context) => context.idea.version,
    remove: (user, p, version, ip) => drivers.deleteChangeIdea(user, p.id, p.ideaId, version, ip),
    done: (gone, p) => ({
      flash: `The change idea “${gone.title}” has been deleted.`,
      to: diagramPath(p.id),
    }),
  })
  const deletePath = '/projects/:id/change-ideas/:ideaId/delete'
  app.get(deletePath, { schema: { params: ideaParams } }, deleteIdea.page)
  app.post(deletePath, { schema: { params: ideaParams } }, deleteIdea.confirm)

  app.get(
    '/projects/:id/change-ideas/:ideaId/ramp',
    { schema: { params: ideaParams } },
    async (request, reply) => {
      const view = await pdsa.ramp(request.user, request.params.id, request.params.ideaId)
      return reply.page('improvement/views/ramp.njk', {
        title: `PDSA ramp: ${view.changeIdea.title}`,
        ...view,
        ...pdsaLabels,
        metLabels: PREDICTION_MET_LABELS,
      })
    },
  )
}
