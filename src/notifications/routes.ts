import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { NotFoundError } from '../core/errors.js'
import { handleForm } from '../web/form-page.js'
import { acceptAnyBody } from '../web/one-click.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { formBody, type ZodApp } from '../web/route-schemas.js'
import { preferencesForm } from './forms.js'
import { PREFERENCE_KIND_NAMES } from './kinds.js'
import { SETTINGS_PATH, UNSUBSCRIBE_PATH, type NotificationService } from './service.js'

/** The services these routes use: app.ts passes only these. */
export interface NotificationRouteServices {
  notifications: NotificationService
}

const tokenParams = z.object({ token: z.string().max(300) })
const SETTINGS = 'notifications/views/settings.njk'
const UNSUBSCRIBE = 'notifications/views/unsubscribe.njk'

/** `/settings/notifications`: every kind of e-mail and how often; one-click unsubscribe without signing in. */
export async function notificationRoutes(app: ZodApp, { services }: { services: NotificationRouteServices }) {
  const { notifications } = services
  const context = async (request: FastifyRequest) => ({
    title: 'Your e-mails',
    ...(await notifications.settings(requireUser(request))),
    action: SETTINGS_PATH,
  })

  app.get(SETTINGS_PATH, async (request, reply) => {
    const page = await context(request)
    return reply.page(SETTINGS, {
      ...page,
      values: Object.fromEntries(page.kinds.map((k) => [k.kind, k.frequency])),
    })
  })

  app.post(SETTINGS_PATH, { schema: { body: formBody } }, async (request, reply) => {
    const user = requireUser(request)
    return handleForm(
      reply,
      {
        schema: preferencesForm,
        body: request.body,
        template: SETTINGS,
        context: () => context(request),
        order: PREFERENCE_KIND_NAMES,
      },
      async (data) => {
        await notifications.save(user, data, requestMeta(request).ip)
        return reply.flash('Your e-mail choices have been saved.').redirect(SETTINGS_PATH, 303)
      },
    )
  })

  // ----- one-click unsubscribe (RFC 8058): no sign-in, no CSRF; the token is the proof -----
  await app.register(async (open: ZodApp) => {
    acceptAnyBody(open)
    const refused = (reply: FastifyReply, used: boolean, what?: string) =>
      reply.page(
        UNSUBSCRIBE,
        {
          title: used ? 'This link has been used' : 'This link does not work',
          state: used ? 'used' : 'invalid',
          what,
        },
        used ? 410 : 404,
      )

    open.get(`${UNSUBSCRIBE_PATH}/:token`, { schema: { params: tokenParams } }, async (request, reply) => {
      try {
        const found = await notifications.unsubscribeState(request.params.token)
        if (found.usedAt) return refused(reply, true, found.what)
        return reply.page(UNSUBSCRIBE, {
          title: 'Stop these e-mails',
          state: 'confirm',
          what: found.what,
          action: `${UNSUBSCRIBE_PATH}/${encodeURIComponent(request.params.token)}`,
        })
      } catch (error) {
        if (error instanceof NotFoundError) return refused(reply, false)
        throw error
      }
    })

    open.post(
      `${UNSUBSCRIBE_PATH}/:token`,
      { schema: { params: tokenParams }, config: { csrf: false, once: false } },
      async (request, reply) => {
        try {
          const done = await notifications.unsubscribe(request.params.token, requestMeta(request).ip)
          if (done.used) return refused(reply, true, done.what)
          return reply.page(UNSUBSCRIBE, { title: 'You are unsubscribed', state: 'done', what: done.what })
        } catch (error) {
          if (error instanceof NotFoundError) return refused(reply, false)
          throw error
        }
      },
    )
  })
}
