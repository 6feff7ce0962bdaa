import type { FastifyInstance } from 'fastify'
import type { Services } from '../app.js'
import { guard } from '../web/guard.js'
import { driverRoutes } from './driver-routes.js'
import { pdsaRoutes } from './pdsa-routes.js'
import { toolRoutes } from './tool-routes.js'

/** /projects/:id/drivers, /change-ideas, /pdsa and /tools. */
export async function improvementRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const improvement = services.improvement
  // Permission first: every form here changes the project, so the team's right to edit it is
  // checked before any route reads the body (a new route is covered without doing anything).
  const mayEdit = guard((user, request) =>
    improvement.requireEdit(user, (request.params as { id?: string }).id ?? ''),
  )
  app.addHook('preHandler', async function (request, reply) {
    if (request.method !== 'GET' && request.method !== 'HEAD') await mayEdit.call(this, request, reply)
  })
  await app.register(driverRoutes, { improvement })
  await app.register(pdsaRoutes, { improvement, comments: services.projects.comments })
  await app.register(toolRoutes, { improvement })
}
