import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { RedactionService } from './service.js'
import { canGovernInformation } from '../screening/policy.js'
import { ForbiddenError, NotFoundError } from '../core/errors.js'
import { handleForm } from '../web/form-page.js'
import { optionalPlainText } from '../web/forms.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import type { RequestWithParams, ZodApp } from '../web/route-schemas.js'
import { confirmForm } from '../screening/forms.js'
import { REDACTABLE, isRedactableType, type RedactableType } from './service.js'

function requireIgLead(request: FastifyRequest) {
  const user = requireUser(request)
  if (!canGovernInformation(user))
    throw new ForbiddenError('Only information governance leads can redact records')
  return user
}

// Which record: a type from a fixed list and an id or slug, never stored as typed.
const findQuery = z.object({
  type: optionalPlainText('type', 20).catch(''),
  id: optionalPlainText('id', 100).catch(''),
})

const types = Object.entries(REDACTABLE).map(([value, text]) => ({ value, text }))

// Any text: a type or id that names no redactable record is "not found", as before schemas.
const targetParams = z.object({ type: z.string(), id: z.string() })
type TargetRequest = RequestWithParams<typeof targetParams>

function target(request: TargetRequest): { type: RedactableType; id: string } {
  const { type, id } = request.params
  if (!isRedactableType(type) || !/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw new NotFoundError()
  return { type, id }
}

/** The services these routes use: app.ts passes only these. */
export interface RedactionRouteServices {
  redaction: RedactionService
}

export async function redactionRoutes(app: ZodApp, { services }: { services: RedactionRouteServices }) {
  const { redaction } = services

  app.get('/admin/redact', { schema: { querystring: findQuery } }, async (request, reply) => {
    requireIgLead(request)
    const query = request.query
    if (query.type && query.id && isRedactableType(query.type) && /^[A-Za-z0-9_-]{1,100}$/.test(query.id))
      return reply.redirect(`/admin/redact/${query.type}/${encodeURIComponent(query.id)}`, 303)
    return reply.page('redaction/views/find.njk', { title: 'Redact a record', types, values: query })
  })

  const confirmContext = async (request: TargetRequest) => {
    const { type, id } = target(request)
    const preview = await redaction.preview(requireIgLead(request), type, id)
    return { title: `Redact “${preview.name}”?`, preview, typeLabel: REDACTABLE[type] }
  }

  app.get('/admin/redact/:type/:id', { schema: { params: targetParams } }, async (request, reply) => {
    requireIgLead(request)
    return reply.page('redaction/views/confirm.njk', await confirmContext(request))
  })

  app.post('/admin/redact/:type/:id', { schema: { params: targetParams } }, async (request, reply) => {
    const user = requireIgLead(request)
    const { type, id } = target(request)
    return handleForm(
      reply,
      {
        schema: confirmForm,
        body: request.body,
        template: 'redaction/views/confirm.njk',
        context: () => confirmContext(request),
      },
      async () => {
        await redaction.redact(user, type, id, requestMeta(request).ip)
        return reply.flash(`${REDACTABLE[type]} redacted.`).redirect('/admin/redact', 303)
      },
    )
  })
}
