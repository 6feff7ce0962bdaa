import type { FastifyInstance, FastifyRequest } from 'fastify'
import * as oidc from 'openid-client'
import type { Services } from '../app.js'
import type { Config } from '../config.js'
import { AppError, ValidationError } from '../web/errors.js'
import { SESSION_COOKIE, requestMeta, safeNext, secureCookies } from '../web/plugin.js'
import { hmac, safeEqual } from './tokens.js'

const STATE_COOKIE = 'qi_sso'

/**
 * OpenID Connect sign-in (authorisation code + PKCE), for Microsoft Entra ID /
 * NHSmail-style providers. The state, nonce and PKCE verifier travel in a signed,
 * short-lived cookie, so any app instance can finish the round trip.
 */
export async function ssoRoutes(app: FastifyInstance, { services, config }: { services: Services; config: Config }) {
  const settings = config.oidc
  if (!settings) {
    app.get('/sign-in/sso', async (_request, reply) => reply.redirect('/sign-in', 303))
    return
  }
  const redirectUri = `${config.baseUrl}/sign-in/sso/callback`
  let discovered: Promise<oidc.Configuration> | null = null
  const configuration = () => {
    discovered ??= oidc
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
        execute: settings.issuer.startsWith('http://') ? [oidc.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        discovered = null
        throw error
      })
    return discovered
  }
  const secure = secureCookies(config)

  const sign = (value: string) => `${value}.${hmac(config.sessionSecret, `sso:${value}`)}`
  const unsign = (signed: string | undefined): string | null => {
    if (!signed) return null
    const dot = signed.lastIndexOf('.')
    if (dot < 0) return null
    const value = signed.slice(0, dot)
    return safeEqual(signed.slice(dot + 1), hmac(config.sessionSecret, `sso:${value}`)) ? value : null
  }

  app.get('/sign-in/sso', async (request, reply) => {
    let conf: oidc.Configuration
    try {
      conf = await configuration()
    } catch (error) {
      request.log.warn({ err: error }, 'single sign-on provider unavailable')
      throw new AppError('Single sign-on is not available at the moment. Sign in with your e-mail address and password, or try again later.', 'sso_unavailable', 503)
    }
    const verifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const nonce = oidc.randomNonce()
    const next = safeNext((request.query as { next?: string }).next)
    const url = oidc.buildAuthorizationUrl(conf, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    })
    const payload = Buffer.from(JSON.stringify({ verifier, state, nonce, next, at: Date.now() })).toString('base64url')
    reply.setCookie(STATE_COOKIE, sign(payload), { path: '/sign-in/sso', httpOnly: true, sameSite: 'lax', secure, maxAge: 600 })
    return reply.redirect(url.href, 303)
  })

  app.get('/sign-in/sso/callback', async (request: FastifyRequest, reply) => {
    const raw = unsign(request.cookies[STATE_COOKIE])
    reply.clearCookie(STATE_COOKIE, { path: '/sign-in/sso' })
    if (!raw) throw new AppError('Your single sign-on attempt expired. Start again from the sign-in page.', 'sso_state', 400)
    const saved = JSON.parse(Buffer.from(raw, 'base64url').toString()) as { verifier: string; state: string; nonce: string; next: string; at: number }
    if (Date.now() - saved.at > 600_000) throw new AppError('Your single sign-on attempt expired. Start again from the sign-in page.', 'sso_state', 400)
    let claims: oidc.IDToken | undefined
    try {
      const conf = await configuration()
      const tokens = await oidc.authorizationCodeGrant(conf, new URL(request.url, config.baseUrl), {
        pkceCodeVerifier: saved.verifier,
        expectedState: saved.state,
        expectedNonce: saved.nonce,
      })
      claims = tokens.claims()
    } catch (error) {
      request.log.warn({ err: error }, 'single sign-on failed')
      throw new AppError('Single sign-on did not complete. Start again from the sign-in page.', 'sso_failed', 400)
    }
    const email = typeof claims?.email === 'string' ? claims.email : ''
    if (!email || claims?.email_verified === false) {
      throw new ValidationError({ _form: 'Your organisation did not share a verified e-mail address, so we cannot sign you in with single sign-on.' })
    }
    const name = typeof claims?.name === 'string' ? claims.name : email
    const result = await services.auth.signInWithSso({ email, name, subject: String(claims?.sub), issuer: String(claims?.iss) }, requestMeta(request))
    reply.setCookie(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 7 * 24 * 3600 })
    if (result.created) reply.flash('Welcome to the community. Tell colleagues about yourself on your profile.')
    return reply.redirect(result.created ? '/profile/edit' : safeNext(saved.next), 303)
  })
}
