import { hasRole } from '../core/identity.js'
import { ForbiddenError } from '../core/errors.js'
import { guard } from '../web/guard.js'
import { requireUser } from '../web/plugin.js'
import type { ZodApp } from '../web/route-schemas.js'
import type { CoachService } from './service.js'

/** The services these routes use: app.ts passes only these. */
export interface CoachRouteServices {
  coach: CoachService
}

/** A QI coach's caseload advice in one list (`/coach/advice`); everyone else is refused. */
export async function coachRoutes(app: ZodApp, { services }: { services: CoachRouteServices }) {
  const coachOnly = guard((user) => {
    if (!hasRole(user, 'coach')) throw new ForbiddenError('Only QI coaches have a caseload')
  })

  app.get('/coach/advice', { preHandler: coachOnly }, async (request, reply) => {
    const projects = await services.coach.caseload(requireUser(request))
    return reply.page('coach/views/caseload.njk', {
      title: 'Coach’s advice for your caseload',
      projects,
      adviceCount: projects.reduce((n, p) => n + p.advice.length, 0),
    })
  })
}
