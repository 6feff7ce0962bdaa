import type { FastifyRequest } from 'fastify'
import type { ScreeningService } from './service.js'
import { ForbiddenError } from '../core/errors.js'
import { handleForm } from '../web/form-page.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { idParams, type RequestWithParams, type ZodApp } from '../web/route-schemas.js'
import { confirmForm, patternForm } from './forms.js'
import { canGovernInformation } from './policy.js'

function requireIgLead(request: FastifyRequest) {
  const user = requireUser(request)
  if (!canGovernInformation(user))
    throw new ForbiddenError('Only information governance leads can use this page')
  return user
}

/** The services these routes use: app.ts passes only these. */
export interface ScreeningRouteServices {
  screening: ScreeningService
}

export async function screeningRoutes(app: ZodApp, { services }: { services: ScreeningRouteServices }) {
  const { screening } = services

  const listContext = async (request: FastifyRequest) => ({
    title: 'Patient-data screening',
    patterns: await screening.list(requireIgLead(request)),
  })

  app.get('/admin/screening', async (request, reply) => {
    requireIgLead(request)
    return reply.page('screening/views/patterns.njk', {
      ...(await listContext(request)),
      values: { kind: 'mask' },
    })
  })

  app.post('/admin/screening', async (request, reply) => {
    const user = requireIgLead(request)
    return handleForm(
      reply,
      {
        schema: patternForm,
        body: request.body,
        template: 'screening/views/patterns.njk',
        context: () => listContext(request),
        order: ['label', 'kind', 'pattern'],
      },
      async (data) => {
        await screening.add(user, data, requestMeta(request).ip)
        return reply.flash(`Pattern added: ${data.label}.`).redirect('/admin/screening', 303)
      },
    )
  })

  const removeContext = async (request: RequestWithParams<typeof idParams>) => {
    const { id } = request.params
    const pattern = await screening.get(requireIgLead(request), id)
    return { title: `Remove the pattern “${pattern.label}”?`, pattern }
  }

  app.get('/admin/screening/:id/remove', { schema: { params: idParams } }, async (request, reply) => {
    requireIgLead(request)
    return reply.page('screening/views/remove.njk', await removeContext(request))
  })

  app.post('/admin/screening/:id/remove', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireIgLead(request)
    const { id } = request.params
    return handleForm(
      reply,
      {
        schema: confirmForm,
        body: request.body,
        template: 'screening/views/remove.njk',
        context: () => removeContext(request),
      },
      async () => {
        await screening.remove(user, id, requestMeta(request).ip)
        return reply.flash('Pattern removed.').redirect('/admin/screening', 303)
      },
    )
  })
}
