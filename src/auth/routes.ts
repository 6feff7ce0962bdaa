import { z } from 'zod'
import type { AuthService } from './service.js'
import type { CommunityService } from '../community/service.js'
import type { Config } from '../config.js'
import { AFFILIATIONS } from '../people/profile-options.js'
import { handleForm } from '../web/form-page.js'
import { requestMeta, requireUser, sessionCookieName, sessionCookieOptions } from '../web/plugin.js'
import { emailQuery, nextQuery, type ZodApp } from '../web/route-schemas.js'
import { safeNext } from '../web/safe-path.js'
import {
  changePasswordForm,
  forgottenPasswordForm,
  joinForm,
  resetPasswordForm,
  signInForm,
} from './forms.js'
import { PASSWORD_RULE } from './passwords.js'

const JOIN_ORDER = [
  'name',
  'email',
  'password',
  'affiliation',
  'organisationId',
  'jobRole',
  'interests',
  'privacy',
]

/** A link's token, any text: a wrong one is answered by the page that says the link is not valid. */
const tokenParams = z.object({ token: z.string() })

/** The services these routes use: app.ts passes only these. */
export interface AuthRouteServices {
  auth: AuthService
  community: CommunityService
}

export async function authRoutes(
  app: ZodApp,
  { services, config }: { services: AuthRouteServices; config: Config },
) {
  const { auth, community } = services
  const sessionCookie = sessionCookieName(config)
  const clearOptions = sessionCookieOptions(config)
  const cookieOptions = { ...clearOptions, maxAge: 7 * 24 * 3600 }

  const joinContext = async () => ({
    title: 'Join the community',
    organisations: await community.listOrganisations({ partnersOnly: true }),
    affiliations: Object.entries(AFFILIATIONS).map(([value, text]) => ({ value, text })),
    passwordRule: PASSWORD_RULE,
  })

  app.get('/join', async (request, reply) => {
    if (request.user) return reply.redirect('/profile', 303)
    return reply.page('auth/views/join.njk', { ...(await joinContext()), values: {} })
  })

  app.post('/join', async (request, reply) =>
    handleForm(
      reply,
      {
        schema: joinForm,
        body: request.body,
        template: 'auth/views/join.njk',
        context: joinContext,
        order: JOIN_ORDER,
      },
      async (data) => {
        await auth.join(data, requestMeta(request))
        return reply.redirect(`/join/check-email?email=${encodeURIComponent(data.email)}`, 303)
      },
    ),
  )

  app.get('/join/check-email', { schema: { querystring: emailQuery } }, async (request, reply) => {
    const email = (request.query.email ?? '').slice(0, 254)
    return reply.page('auth/views/check-email.njk', { title: 'Check your e-mail', email })
  })

  app.get('/verify-email/:token', { schema: { params: tokenParams } }, async (request, reply) => {
    const { token } = request.params
    const outcome = await auth.verifyEmail(token, requestMeta(request))
    const titles = {
      verified: 'Your e-mail address is confirmed',
      invalid: 'This link is not valid',
      expired: 'This link has expired',
      used: 'This link has already been used',
    }
    return reply.page(
      'auth/views/verified.njk',
      { title: titles[outcome], outcome },
      outcome === 'verified' ? 200 : 400,
    )
  })

  app.get('/sign-in', { schema: { querystring: nextQuery } }, async (request, reply) => {
    const next = safeNext(request.query.next)
    if (request.user) return reply.redirect(next, 303)
    return reply.page('auth/views/sign-in.njk', { title: 'Sign in', values: { next } })
  })

  app.post('/sign-in', async (request, reply) =>
    handleForm(
      reply,
      {
        schema: signInForm,
        body: request.body,
        template: 'auth/views/sign-in.njk',
        context: () => ({ title: 'Sign in' }),
        order: ['email', 'password'],
      },
      async (data) => {
        const result = await auth.signIn(data.email, data.password, requestMeta(request))
        if ('unverified' in result) {
          return reply.page('auth/views/check-email.njk', {
            title: 'Confirm your e-mail address first',
            email: data.email,
            unverified: true,
          })
        }
        reply.setCookie(sessionCookie, result.token, cookieOptions)
        return reply.redirect(safeNext(data.next), 303)
      },
    ),
  )

  app.post('/sign-out', async (request, reply) => {
    if (request.user) await auth.signOut(request.user, requestMeta(request))
    reply.clearCookie(sessionCookie, clearOptions)
    // A shared ward computer keeps nothing of the session: the browser drops this site's
    // cache, cookies and storage. It would drop a flash cookie too, so the message is a page.
    reply.header('clear-site-data', '"cache", "cookies", "storage"')
    return reply.redirect('/signed-out', 303)
  })

  app.get('/signed-out', async (request, reply) => {
    if (request.user) return reply.redirect('/', 303)
    return reply.page('auth/views/signed-out.njk', {
      title: 'You have signed out',
      flash: { text: 'You have signed out.', type: 'success' },
    })
  })

  app.get('/forgotten-password', async (_request, reply) =>
    reply.page('auth/views/forgotten-password.njk', { title: 'Reset your password', values: {} }),
  )

  app.post('/forgotten-password', async (request, reply) =>
    handleForm(
      reply,
      {
        schema: forgottenPasswordForm,
        body: request.body,
        template: 'auth/views/forgotten-password.njk',
        context: () => ({ title: 'Reset your password' }),
      },
      async (data) => {
        await auth.requestPasswordReset(data.email, requestMeta(request))
        return reply.page('auth/views/check-email.njk', {
          title: 'Check your e-mail',
          email: data.email,
          reset: true,
        })
      },
    ),
  )

  app.get('/reset-password/:token', { schema: { params: tokenParams } }, async (request, reply) => {
    const { token } = request.params
    const state = await auth.peekToken(token, 'reset_password')
    if (state !== 'ok')
      return reply.page(
        'auth/views/verified.njk',
        { title: linkTitle(state), outcome: state, reset: true },
        400,
      )
    return reply.page('auth/views/reset-password.njk', {
      title: 'Choose a new password',
      token,
      passwordRule: PASSWORD_RULE,
      values: {},
    })
  })

  app.post('/reset-password/:token', { schema: { params: tokenParams } }, async (request, reply) => {
    const { token } = request.params
    const context = () => ({ title: 'Choose a new password', token, passwordRule: PASSWORD_RULE })
    return handleForm(
      reply,
      {
        schema: resetPasswordForm,
        body: request.body,
        template: 'auth/views/reset-password.njk',
        context,
        order: ['password', 'confirm'],
      },
      async (data) => {
        const outcome = await auth.resetPassword(token, data.password, requestMeta(request))
        if (outcome !== 'reset')
          return reply.page(
            'auth/views/verified.njk',
            { title: linkTitle(outcome), outcome, reset: true },
            400,
          )
        reply.clearCookie(sessionCookie, clearOptions)
        return reply
          .flash('Your password has been changed. Sign in with your new password.')
          .redirect('/sign-in', 303)
      },
    )
  })

  app.get('/account/password', async (request, reply) => {
    requireUser(request)
    return reply.page('auth/views/change-password.njk', {
      title: 'Change your password',
      passwordRule: PASSWORD_RULE,
      values: {},
    })
  })

  app.post('/account/password', async (request, reply) => {
    const user = requireUser(request)
    const context = () => ({ title: 'Change your password', passwordRule: PASSWORD_RULE })
    return handleForm(
      reply,
      {
        schema: changePasswordForm,
        body: request.body,
        template: 'auth/views/change-password.njk',
        context,
        order: ['current', 'password', 'confirm'],
      },
      async (data) => {
        const token = await auth.changePassword(user, data.current, data.password, requestMeta(request))
        reply.setCookie(sessionCookie, token, cookieOptions)
        return reply
          .flash('Your password has been changed. You have been signed out everywhere else.')
          .redirect('/profile', 303)
      },
    )
  })
}

function linkTitle(state: string): string {
  return state === 'expired'
    ? 'This link has expired'
    : state === 'used'
      ? 'This link has already been used'
      : 'This link is not valid'
}
