import type { FastifyReply, FastifyRequest } from 'fastify'
import type { CurrentUser } from '../core/identity.js'
import { handleForm } from '../web/form-page.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { deleteForm, moveForm } from './forms.js'

/** A request whose params the route's schema has checked (`T` is that schema's output). */
type Checked<T> = FastifyRequest & { params: T }

/** Repeated form fields (checkboxes) as a list, absent meaning none. */
export function listOf(v: unknown): string[] {
  return v === undefined ? [] : ([] as unknown[]).concat(v).map(String)
}

/** A form body with its repeated field `name` (checkboxes) as a list, for its schema and re-rendering. */
export function withList(body: unknown, name: string): Record<string, unknown> {
  const raw: Record<string, unknown> = typeof body === 'object' && body !== null ? { ...body } : {}
  return { ...raw, [name]: listOf(raw[name]) }
}

/** `/projects/:id`, for the redirects of every improvement room. */
export const projectPath = (projectId: string) => `/projects/${encodeURIComponent(projectId)}`

/**
 * The confirm-then-delete pair of a driver, change idea, PDSA cycle, tool or tool item, for the
 * routes to register with their params schema: `page` shows the confirmation holding the
 * version the user saw; `confirm` deletes that version (a stale one is refused by the service)
 * and says what went.
 */
export function deletePages<T, C extends Record<string, unknown>, G>(options: {
  template: string
  context: (request: Checked<T>) => Promise<C>
  version: (context: C) => number
  remove: (user: CurrentUser, params: T, version: number, ip: string) => Promise<G>
  done: (gone: G, params: T) => { flash: string; to: string }
}) {
  return {
    page: async (request: Checked<T>, reply: FastifyReply) => {
      requireUser(request)
      const context = await options.context(request)
      return reply.page(options.template, { ...context, values: { version: options.version(context) } })
    },
    confirm: async (request: Checked<T>, reply: FastifyReply) => {
      const user = requireUser(request)
      return handleForm(
        reply,
        {
          schema: deleteForm,
          body: request.body,
          template: options.template,
          context: () => options.context(request),
        },
        async (data) => {
          const gone = await options.remove(user, request.params, data.version, requestMeta(request).ip)
          const { flash, to } = options.done(gone, request.params)
          return reply.flash(flash).redirect(to, 303)
        },
      )
    },
  }
}

/**
 * Moves a record up or down its list, then goes back to `to`; a direction that is neither
 * (a hand-made request) changes nothing.
 */
export function moveHandler<T>(
  move: (user: CurrentUser, params: T, direction: 'up' | 'down', ip: string) => Promise<unknown>,
  to: (params: T) => string,
) {
  return async (request: Checked<T>, reply: FastifyReply) => {
    const user = requireUser(request)
    const parsed = moveForm.safeParse(request.body)
    if (parsed.success) await move(user, request.params, parsed.data.direction, requestMeta(request).ip)
    return reply.redirect(to(request.params), 303)
  }
}
