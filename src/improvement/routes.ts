import type { FastifyInstance } from 'fastify'
import type { ImprovementServices } from './index.js'
import type { ProjectServices } from '../projects/index.js'
import { guard } from '../web/guard.js'
import { paramOf } from '../web/route-schemas.js'
import { changeIdeaRoutes } from './drivers/routes-change-ideas.js'
import { driverRoutes } from './drivers/routes.js'
import { pdsaRoutes, type PdsaCoach } from './pdsa/routes.js'
import { toolItemRoutes } from './tools/routes-items.js'
import { toolRoutes } from './tools/routes.js'

/** The services these routes use: app.ts passes only these. */
export interface ImprovementRouteServices {
  improvement: ImprovementServices
  projects: ProjectServices
  /** The built-in QI coach (coach/ CoachService): a PDSA cycle's advice for those who may change it. */
  coach?: PdsaCoach
}

/** /projects/:id/drivers, /change-ideas, /pdsa and /tools. */
export async function improvementRoutes(
  app: FastifyInstance,
  { services }: { services: ImprovementRouteServices },
) {
  const improvement = services.improvement
  // Permission first: every form here changes the project, so the team's right to edit it is
  // checked before any route reads the body (a new route is covered without doing anything).
  const mayEdit = guard((user, request) => improvement.requireEdit(user, paramOf(request, 'id')))
  app.addHook('preHandler', async function (request, reply) {
    if (request.method !== 'GET' && request.method !== 'HEAD') await mayEdit.call(this, request, reply)
  })
  await app.register(driverRoutes, { improvement })
  await app.register(changeIdeaRoutes, { improvement })
  await app.register(pdsaRoutes, { improvement, comments: services.projects.comments, coach: services.coach })
  await app.register(toolRoutes, { improvement })
  await app.register(toolItemRoutes, { improvement })
}
