import type { FastifyRequest } from 'fastify'
import * as oidc from 'openid-client'
import type { AuthService } from './service.js'
import type { Config } from '../config.js'
import { AppError, ValidationError } from '../core/errors.js'
import { requestMeta, secureCookies, sessionCookieName, sessionCookieOptions } from '../web/plugin.js'
import { nextQuery, type ZodApp } from '../web/route-schemas.js'
import { safeNext } from '../web/safe-path.js'
import { hmac, safeEqual } from '../core/ids.js'

const STATE_COOKIE = 'qi_sso'
const STATE_MAX_AGE_S = 600

interface SavedAttempt {
  verifier: string
  state: string
  nonce: string
  next: string
  at: number
}

/** The services these routes use: app.ts passes only these. */
export interface AuthSsoRouteServices {
  auth: AuthService
}

/**
 * OpenID Connect sign-in (authorisation code + PKCE), for Microsoft Entra ID /
 * NHSmail-style providers. The state, nonce and PKCE verifier travel in a signed,
 * short-lived cookie, so any app instance can finish the round trip.
 */
export async function ssoRoutes(
  app: ZodApp,
  { services, config }: { services: AuthSsoRouteServices; config: Config },
) {
  const settings = config.oidc
  if (!settings) {
    app.get('/sign-in/sso', async (_request, reply) => reply.redirect('/sign-in', 303))
    return
  }
  const redirectUri = `${config.baseUrl}/sign-in/sso/callback`
  const issuer = new URL(settings.issuer)
  // Plain http only for a provider on this machine or outside production: tokens and
  // client secrets must not cross a network unencrypted.
  const allowHttp =
    issuer.protocol === 'http:' &&
    (config.env !== 'production' || ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname))
  let discovered: Promise<oidc.Configuration> | null = null
  const configuration = () => {
    discovered ??= oidc
      .discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
        execute: allowHttp ? [oidc.allowInsecureRequests] : [],
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

  /** The provider's configuration, or a 503 page when it cannot be reached. */
  const available = async (request: FastifyRequest): Promise<oidc.Configuration> => {
    try {
      return await configuration()
    } catch (error) {
      request.log.warn({ err: error }, 'single sign-on provider unavailable')
      throw new AppError(
        'Single sign-on is not available at the moment. Sign in with your e-mail address and password, or try again later.',
        'sso_unavailable',
        503,
      )
    }
  }

  /** The saved attempt from the signed cookie, or null when missing, changed, malformed or older than 10 minutes. */
  const savedAttempt = (cookie: string | undefined): SavedAttempt | null => {
    const raw = unsign(cookie)
    if (!raw) return null
    try {
      const saved = JSON.parse(Buffer.from(raw, 'base64url').toString()) as Partial<SavedAttempt>
      const fresh = typeof saved.at === 'number' && Date.now() - saved.at <= STATE_MAX_AGE_S * 1000
      const complete = [saved.verifier, saved.state, saved.nonce].every(
        (v) => typeof v === 'string' && v.length > 0,
      )
      return fresh && complete
        ? {
            verifier: saved.verifier!,
            state: saved.state!,
            nonce: saved.nonce!,
            next: safeNext(saved.next),
            at: saved.at!,
          }
        : null
    } catch {
      return null
    }
  }

  app.get('/sign-in/sso', { schema: { querystring: nextQuery } }, async (request, reply) => {
    const conf = await available(request)
    const verifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const nonce = oidc.randomNonce()
    const next = safeNext(request.query.next)
    const url = oidc.buildAuthorizationUrl(conf, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    })
    const payload = Buffer.from(JSON.stringify({ verifier, state, nonce, next, at: Date.now() })).toString(
      'base64url',
    )
    reply.setCookie(STATE_COOKIE, sign(payload), {
      path: '/sign-in/sso',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: STATE_MAX_AGE_S,
    })
    return reply.redirect(url.href, 303)
  })

  app.get('/sign-in/sso/callback', async (request: FastifyRequest, reply) => {
    const saved = savedAttempt(request.cookies[STATE_COOKIE])
    reply.clearCookie(STATE_COOKIE, { path: '/sign-in/sso' })
    if (!saved)
      throw new AppError(
        'Your single sign-on attempt expired. Start again from the sign-in page.',
        'sso_state',
        400,
      )
    const conf = await available(request)
    // The URL the provider redirected to, rebuilt from BASE_URL: openid-client derives the
    // redirect_uri it sends with the code from it, and a proxy may have changed the host or path.
    const query = request.url.indexOf('?')
    const currentUrl = new URL(redirectUri + (query >= 0 ? request.url.slice(query) : ''))
    let claims: Record<string, unknown>
    try {
      const tokens = await oidc.authorizationCodeGrant(conf, currentUrl, {
        pkceCodeVerifier: saved.verifier,
        expectedState: saved.state,
        expectedNonce: saved.nonce,
        idTokenExpected: true,
      })
      const idToken = tokens.claims()
      if (!idToken) throw new Error('no ID token')
      claims = { ...idToken }
      // Conforming providers put scope claims (email, name) in userinfo, not the ID token, for the code flow.
      if (typeof idToken.email !== 'string' && conf.serverMetadata().userinfo_endpoint) {
        const userinfo = await oidc.fetchUserInfo(conf, tokens.access_token, idToken.sub)
        claims = { ...userinfo, ...idToken }
      }
    } catch (error) {
      request.log.warn({ err: error }, 'single sign-on failed')
      throw new AppError(
        'Single sign-on did not complete. Start again from the sign-in page.',
        'sso_failed',
        400,
      )
    }
    const email = typeof claims.email === 'string' ? claims.email.trim() : ''
    if (!email || claims.email_verified === false || claims.email_verified === 'false') {
      throw new ValidationError({
        _form:
          'Your organisation did not share a verified e-mail address, so we cannot sign you in with single sign-on.',
      })
    }
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email
    const result = await services.auth.signInWithSso(
      { email, name, subject: String(claims.sub), issuer: String(claims.iss) },
      requestMeta(request),
    )
    reply.setCookie(sessionCookieName(config), result.token, {
      ...sessionCookieOptions(config),
      maxAge: 7 * 24 * 3600,
    })
    if (result.created)
      reply.flash('Welcome to the community. Tell colleagues about yourself on your profile.')
    return reply.redirect(result.created ? '/profile/edit' : safeNext(saved.next), 303)
  })
}
