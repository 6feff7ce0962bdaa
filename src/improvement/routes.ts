import type { FastifyInstance } from 'fastify'
import type { Services } from '../app.js'
import { driverRoutes } from './driver-routes.js'
import { pdsaRoutes } from './pdsa-routes.js'
import { toolRoutes } from './tool-routes.js'

/** /projects/:id/drivers, /change-ideas, /pdsa and /tools. */
export async function improvementRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const improvement = services.improvement
  await app.register(driverRoutes, { improvement })
  await app.register(pdsaRoutes, { improvement, comments: services.projects.comments })
  await app.register(toolRoutes, { improvement })
}
