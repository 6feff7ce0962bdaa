import type { ZodApp } from '../web/route-schemas.js'
import type { FacilitationServices } from './index.js'
import { canManagePriorities, canTriage } from './policy.js'
import { programmeRoutes } from './programmes/routes.js'
import { supportRoutes } from './support/routes.js'
import { triageRoutes } from './support/triage-routes.js'

/** The services these routes use: app.ts passes only these. */
export interface FacilitationRouteServices {
  facilitation: FacilitationServices
}

/** Facilitation: programmes, priorities, support requests, capacity and the pipeline (events are their own feature). */
export async function facilitationRoutes(app: ZodApp, { services }: { services: FacilitationRouteServices }) {
  const f = services.facilitation

  app.get('/facilitation', async (request, reply) => {
    const [programmes, events] = await Promise.all([f.programmes.list(), f.events.list(request.user)])
    return reply.page('facilitation/views/hub.njk', {
      title: 'Facilitation, programmes and events',
      programmes: programmes.filter((p) => !p.isDemo),
      upcoming: events.upcoming.slice(0, 5),
      canTriage: canTriage(request.user),
      canManagePriorities: canManagePriorities(request.user),
      canCreateEvents: f.events.canCreate(request.user),
    })
  })

  await app.register(programmeRoutes, { f })
  await app.register(supportRoutes, { f })
  await app.register(triageRoutes, { f })
}
