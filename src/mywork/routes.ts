import type { CurrentUser } from '../core/identity.js'
import { requireUser } from '../web/plugin.js'
import type { ZodApp } from '../web/route-schemas.js'
import type { MyWorkService } from './service.js'

export const MY_WORK_TEMPLATE = 'mywork/views/home.njk'

/** The services these routes use: app.ts passes only these. */
export interface MyWorkRouteServices {
  myWork: MyWorkService
}

/**
 * What the home page (pages/routes.ts) is given for a signed-in person: the template and its
 * context, so pages renders "my work" without importing this room.
 */
export function myWorkHome(service: MyWorkService) {
  return {
    async forUser(user: CurrentUser) {
      return { template: MY_WORK_TEMPLATE, context: { title: 'My work', work: await service.forUser(user) } }
    },
  }
}

/** `/my-work`: the stable address of a signed-in person's home (`/` shows the same). */
export async function myWorkRoutes(app: ZodApp, { services }: { services: MyWorkRouteServices }) {
  const home = myWorkHome(services.myWork)
  app.get('/my-work', async (request, reply) => {
    const { template, context } = await home.forUser(requireUser(request))
    return reply.page(template, context)
  })
}
