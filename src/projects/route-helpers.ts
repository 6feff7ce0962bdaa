import type { FastifyReply } from 'fastify'
import type { ZodType } from 'zod'
import { handleForm } from '../web/form-page.js'
import { guard } from '../web/guard.js'
import { paramOf } from '../web/route-schemas.js'
import type { Need } from './access.js'
import { ConflictError } from '../core/errors.js'
import { STATUS_COLOURS, STATUS_LABELS } from './lifecycle.js'
import { VISIBILITY_LABELS } from './policy.js'

/**
 * Permission first: a preHandler that insists on `need` for the project in the address before
 * the handler reads the form, so whoever lacks the right gets 401, 403 or 404 whatever they send.
 * The route's schema has already checked `:id` (preHandlers run after validation).
 */
export function projectNeeds(
  projects: {
    load(user: Parameters<Parameters<typeof guard>[0]>[0], id: string, need: Need): Promise<unknown>
  },
  need: Need,
) {
  return guard((user, request) => projects.load(user, paramOf(request, 'id'), need))
}

/** Repeated form fields (checkboxes) as a list, for re-rendering a form. */
export function listOf(v: unknown): string[] {
  return v === undefined || v === null || v === '' ? [] : ([] as unknown[]).concat(v).map(String)
}

/** What every project template needs to show labels and tags. */
export const labels = {
  statusLabels: STATUS_LABELS,
  statusColours: STATUS_COLOURS,
  visibilityLabels: VISIBILITY_LABELS,
}

/**
 * handleForm, plus: a version clash (someone else saved first) re-renders the form with
 * the message in the error summary and status 409, keeping what the user typed so it is
 * not lost. The form keeps the old version, so saving again is refused until they reload.
 */
export async function projectForm<T>(
  reply: FastifyReply,
  options: {
    schema: ZodType<T>
    body: unknown
    template: string
    context?: () => Promise<Record<string, unknown>> | Record<string, unknown>
    order?: string[]
  },
  action: (data: T) => Promise<unknown>,
) {
  try {
    return await handleForm(reply, options, action)
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error
    const context = options.context ? await options.context() : {}
    const values = { ...(typeof options.body === 'object' && options.body ? options.body : {}) } as Record<
      string,
      unknown
    >
    delete values._csrf
    return reply.page(
      options.template,
      {
        ...context,
        values,
        errors: { [error.field ?? 'version']: error.message },
        errorItems: [{ text: error.message, href: '#maincontent' }],
        conflict: true,
      },
      409,
    )
  }
}
