import type { FastifyReply } from 'fastify'
import { NotFoundError } from '../../core/errors.js'
import { requestMeta, requireUser } from '../../web/plugin.js'
import { guard } from '../../web/guard.js'
import { handleForm } from '../../web/form-page.js'
import { acceptAnyBody } from '../../web/one-click.js'
import { formBody, type ZodApp } from '../../web/route-schemas.js'
import { canSteer } from '../policy.js'
import { DIGEST_SETTINGS_PATH, DIGEST_UNSUBSCRIBE_PATH, type DigestService } from './service.js'
import { z } from 'zod'
import { digestForm } from './forms.js'

/** An unsubscribe link's token: its shape only (whether we issued it is the service's question). */
const tokenParams = z.object({ token: z.string().max(300) })

const SETTINGS = 'governance/digest/views/settings.njk'
const UNSUBSCRIBE = 'governance/digest/views/unsubscribe.njk'

/** The weekly digest: each recipient's choice, and one-click unsubscribe (RFC 8058) without signing in. */
export async function digestRoutes(app: ZodApp, { digest }: { digest: DigestService }) {
  const recipient = guard((user) => digest.requireRecipient(user))

  app.get(DIGEST_SETTINGS_PATH, { preHandler: recipient }, async (request, reply) => {
    const user = requireUser(request)
    const pref = await digest.preference(user)
    return reply.page(SETTINGS, {
      title: 'Weekly digest',
      steering: pref.steering,
      values: { weekly: pref.weekly ? 'yes' : 'no' },
    })
  })

  app.post(
    DIGEST_SETTINGS_PATH,
    { schema: { body: formBody }, preHandler: recipient },
    async (request, reply) => {
      const user = requireUser(request)
      return handleForm(
        reply,
        {
          schema: digestForm,
          body: request.body,
          template: SETTINGS,
          context: async () => ({ title: 'Weekly digest', steering: canSteer(user) }),
        },
        async (data) => {
          await digest.setPreference(user, data.weekly === 'yes', requestMeta(request).ip)
          return reply
            .flash(
              data.weekly === 'yes'
                ? 'You will get the weekly digest.'
                : 'You will not get the weekly digest.',
            )
            .redirect(DIGEST_SETTINGS_PATH, 303)
        },
      )
    },
  )

  // No sign-in and no CSRF: the token is the proof, and a mail client posts without a form.
  await app.register(async (open: ZodApp) => {
    acceptAnyBody(open)
    const refused = (reply: FastifyReply, state: 'used' | 'unknown') =>
      reply.page(
        UNSUBSCRIBE,
        { title: state === 'used' ? 'This link has been used' : 'This link does not work', state },
        state === 'used' ? 410 : 404,
      )

    open.get(
      `${DIGEST_UNSUBSCRIBE_PATH}/:token`,
      { schema: { params: tokenParams } },
      async (request, reply) => {
        const state = await digest.unsubscribeState(request.params.token)
        if (state !== 'ok') return refused(reply, state)
        return reply.page(UNSUBSCRIBE, {
          title: 'Stop the weekly digest',
          state: 'confirm',
          token: request.params.token,
        })
      },
    )

    open.post(
      `${DIGEST_UNSUBSCRIBE_PATH}/:token`,
      { schema: { params: tokenParams }, config: { csrf: false, once: false } },
      async (request, reply) => {
        try {
          const done = await digest.unsubscribe(request.params.token, requestMeta(request).ip)
          if (done === 'used') return refused(reply, 'used')
          return reply.page(UNSUBSCRIBE, { title: 'You are unsubscribed', state: 'done' })
        } catch (error) {
          if (error instanceof NotFoundError) return refused(reply, 'unknown')
          throw error
        }
      },
    )
  })
}
