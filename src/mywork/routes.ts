import type { CurrentUser } from '../core/identity.js'
import { z } from 'zod'
import { NotFoundError } from '../core/errors.js'
import { requireUser } from '../web/plugin.js'
import type { ZodApp } from '../web/route-schemas.js'
import type { MyWorkService } from './service.js'

export const MY_WORK_TEMPLATE = 'mywork/views/home.njk'
const sectionParams = z.object({ kind: z.string().max(40) })

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
  // One section with every item (the home shows the first few of each).
  app.get('/my-work/:kind', { schema: { params: sectionParams } }, async (request, reply) => {
    const section = await services.myWork.section(requireUser(request), request.params.kind)
    if (!section) throw new NotFoundError('There is no such part of my work')
    return reply.page('mywork/views/section.njk', { title: `${section.heading}: my work`, section })
  })
}
