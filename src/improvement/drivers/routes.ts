import type { FastifyReply } from 'fastify'
import { z, type ZodType } from 'zod'
import { handleForm } from '../../web/form-page.js'
import { pictureType, sendDownload } from '../../web/download.js'
import { requestMeta, requireUser } from '../../web/plugin.js'
import { idParam, idParams, queryText, type RequestWithParams, type ZodApp } from '../../web/route-schemas.js'
import { driverEditForm, driverForm } from '../forms.js'
import type { ImprovementServices } from '../index.js'
import { CHANGE_IDEA_STATUS_LABELS } from '../policy.js'
import { deletePages, moveHandler, projectPath, withList } from '../route-helpers.js'

const driverParams = z.object({ id: idParam, driverId: idParam })
const newDriverQuery = z.object({ kind: queryText, parent: queryText })
type ProjectRequest = RequestWithParams<typeof idParams>
type DriverRequest = RequestWithParams<typeof driverParams>

const DRIVER_ORDER = ['title', 'parentIds']

/** The driver diagram and its primary and secondary drivers (change ideas: routes-change-ideas.ts). */
export async function driverRoutes(app: ZodApp, { improvement }: { improvement: ImprovementServices }) {
  const { drivers } = improvement
  const diagramPath = (projectId: string) => `${projectPath(projectId)}/drivers`

  app.get('/projects/:id/drivers', { schema: { params: idParams } }, async (request, reply) => {
    const view = await drivers.diagram(request.user, request.params.id)
    return reply.page('improvement/views/drivers.njk', {
      title: `Driver diagram: ${view.project.title}`,
      ...view,
      statusLabels: CHANGE_IDEA_STATUS_LABELS,
    })
  })

  // The picture as a download: the same right as seeing the diagram (refused as a problem).
  for (const format of ['svg', 'png'] as const)
    app.get(
      `/projects/:id/drivers/diagram.${format}`,
      { schema: { params: idParams } },
      async (request, reply) =>
        sendDownload(
          reply,
          await drivers.diagramPicture(request.user, request.params.id, format),
          pictureType(format),
        ),
    )

  /** A new or changed driver (its parents already a list); a wrong form comes back as typed. */
  const saveDriver = <T>(
    reply: FastifyReply,
    schema: ZodType<T>,
    body: Record<string, unknown>,
    context: () => Promise<Record<string, unknown>>,
    action: (data: T) => Promise<unknown>,
  ) =>
    handleForm(
      reply,
      { schema, body, template: 'improvement/views/driver-form.njk', context, order: DRIVER_ORDER },
      action,
    )

  const kindOf = (v: unknown) => (v === 'secondary' ? 'secondary' : 'primary')
  const newDriverContext = (request: ProjectRequest, kind: 'primary' | 'secondary') => async () => {
    const context = await drivers.editContext(request.user, request.params.id)
    return {
      title: kind === 'primary' ? 'Add a primary driver' : 'Add a secondary driver',
      ...context,
      kind,
      action: diagramPath(request.params.id),
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
      const body = withList(request.body, 'parentIds')
      const kind = kindOf(body.kind)
      return saveDriver(reply, driverForm, body, newDriverContext(request, kind), async (data) => {
        await drivers.addDriver(user, request.params.id, kind, data, requestMeta(request).ip)
        return reply
          .flash(`The ${kind} driver “${data.title}” has been added.`)
          .redirect(diagramPath(request.params.id), 303)
      })
    },
  )

  const editDriverContext = (request: DriverRequest) => async () => {
    const view = await drivers.driver(request.user, request.params.id, request.params.driverId)
    return {
      title: `Change the ${view.driver.kind} driver`,
      ...view,
      kind: view.driver.kind,
      action: `${diagramPath(request.params.id)}/${view.driver.id}/edit`,
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
      const body = withList(request.body, 'parentIds')
      return saveDriver(reply, driverEditForm, body, editDriverContext(request), async (data) => {
        await drivers.editDriver(
          user,
          request.params.id,
          request.params.driverId,
          data,
          requestMeta(request).ip,
        )
        return reply
          .flash(`The driver “${data.title}” has been saved.`)
          .redirect(diagramPath(request.params.id), 303)
      })
    },
  )

  app.post(
    '/projects/:id/drivers/:driverId/move',
    { schema: { params: driverParams } },
    moveHandler(
      (user, p: DriverRequest['params'], direction) => drivers.moveDriver(user, p.id, p.driverId, direction),
      (p) => `${diagramPath(p.id)}#manage-drivers`,
    ),
  )

  const deleteDriver = deletePages({
    template: 'improvement/views/driver-delete.njk',
    context: async (request: DriverRequest) => {
      const view = await drivers.driver(request.user, request.params.id, request.params.driverId)
      return { title: `Delete the ${view.driver.kind} driver`, ...view }
    },
    version: (context) => context.driver.version,
    remove: (user, p, version, ip) => drivers.deleteDriver(user, p.id, p.driverId, version, ip),
    done: (gone, p) => ({
      flash: `The ${gone.kind} driver “${gone.title}” has been deleted.`,
      to: diagramPath(p.id),
    }),
  })
  const deletePath = '/projects/:id/drivers/:driverId/delete'
  app.get(deletePath, { schema: { params: driverParams } }, deleteDriver.page)
  app.post(deletePath, { schema: { params: driverParams } }, deleteDriver.confirm)
}
