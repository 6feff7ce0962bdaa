import { maskToken, matchesToken } from './csrf-mask.js'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import helmet from '@fastify/helmet'
import type { Config } from '../config.js'
import { hasRole, isPlatformAdmin, type CurrentUser } from '../core/identity.js'
import { hmac, newToken } from '../core/ids.js'
import { AppError, TooManyRequestsError, UnauthenticatedError, ValidationError } from '../core/errors.js'
import { MemoCache } from './memo-cache.js'
import { pageBytes } from './html-bytes.js'
import { LayoutFragments } from './layout.js'
import { createViewEnvironment, renderView } from './render.js'
import { isDownload, registerFormContentTypes } from './content-types.js'
import { registerDelivery } from './delivery.js'
import { queryOf, registerRouteSchemas } from './route-schemas.js'
import { registerReadYourWrites } from './read-your-writes.js'
import { registerStaticFiles } from './static-routes.js'
import { COMMUNITY_NAME } from './site.js'

/** The session cookie's name over plain HTTP (development, tests). */
export const SESSION_COOKIE = 'qi_session'

/**
 * The session cookie's name: behind HTTPS with the `__Host-` prefix, so the browser keeps it
 * only when Secure, for Path=/ and without Domain (no subdomain or plain-HTTP page can set it).
 */
export function sessionCookieName(config: Config): string {
  return secureCookies(config) ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE
}

/** Options for the session cookie; clearing it needs the same (a `__Host-` cookie must be Secure). */
export function sessionCookieOptions(config: Config) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secureCookies(config) }
}
const CSRF_COOKIE = 'qi_csrf'
const FLASH_COOKIE = 'qi_flash'

export interface WebOptions {
  config: Config
  /** The person behind a session cookie's token (auth's SessionStore), so web/ needs no feature. */
  sessions: { resolve(token: string): Promise<CurrentUser | null> }
  /** Tests move it past the read-your-own-writes window. */
  clock?: () => Date
  /** A read replica is configured: lists read from it, except right after a browser's own write. */
  replica?: boolean
}

/** Answer refusals as a JSON problem (the API, downloads, clients asking for JSON), not a page. */
function wantsProblem(request: FastifyRequest): boolean {
  return (
    request.url.startsWith('/api/') ||
    isDownload(request) ||
    (request.headers.accept ?? '').startsWith('application/json')
  )
}

export function secureCookies(config: Config): boolean {
  return config.baseUrl.startsWith('https://')
}

/** Headers, cookies, forms, static files, sessions, CSRF, rendering and errors: everything every page needs. */
export const webPlugin = fp(async function webPlugin(app: FastifyInstance, options: WebOptions) {
  const { config, sessions } = options
  const env = createViewEnvironment()
  const secure = secureCookies(config)
  const sessionCookie = sessionCookieName(config)
  registerRouteSchemas(app)

  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: secure ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    // One framing policy: nothing may frame a page (CSP frame-ancestors 'none' for browsers that know it).
    frameguard: { action: 'deny' },
  })
  await app.register(cookie)
  await app.register(formbody, { bodyLimit: 256 * 1024 })
  registerStaticFiles(app, env)
  registerDelivery(app)
  registerFormContentTypes(app)

  app.decorateRequest('user', null)
  app.decorateRequest('csrfToken', '')

  // Who is this? Only when a session cookie is present, so anonymous pages cost no query.
  app.addHook('onRequest', async (request, reply) => {
    const token = request.cookies[sessionCookie]
    if (token) {
      request.user = await sessions.resolve(token)
      if (!request.user) reply.clearCookie(sessionCookie, sessionCookieOptions(config))
    }
    let csrfCookie = request.cookies[CSRF_COOKIE]
    if (!csrfCookie || csrfCookie.length < 20 || csrfCookie.length > 100) {
      csrfCookie = newToken()
      reply.setCookie(CSRF_COOKIE, csrfCookie, { path: '/', httpOnly: true, sameSite: 'lax', secure })
      // The browser has no cookie yet: remember it for this request's check and token.
      request.cookies[CSRF_COOKIE] = ''
    }
    request.csrfToken = hmac(config.sessionSecret, `csrf:${csrfCookie}:${request.user?.sessionId ?? ''}`)
  })
  // After the hook above, which gives the browser its cookie.
  registerReadYourWrites(app, {
    replica: options.replica ?? false,
    secret: config.sessionSecret,
    secure,
    clock: options.clock ?? (() => new Date()),
    browserOf: (request) => request.cookies[CSRF_COOKIE] ?? '',
  })

  // CSRF: every state-changing request must carry the token of this browser (and session).
  app.addHook('preHandler', async (request) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return
    if (request.routeOptions.config.csrf === false) return
    const body = request.body as Record<string, unknown> | undefined
    const fromQuery = queryOf(request, '_csrf')
    const sent =
      (typeof body?._csrf === 'string' && body._csrf) ||
      (typeof fromQuery === 'string' && fromQuery) ||
      request.headers['x-csrf-token']
    const cookieValue = request.cookies[CSRF_COOKIE]
    if (!cookieValue || typeof sent !== 'string' || !matchesToken(sent, request.csrfToken)) {
      throw new AppError(
        'Your form could not be sent because it expired or was changed. Go back, refresh the page and try again.',
        'csrf',
        403,
      )
    }
  })

  app.decorateReply(
    'flash',
    function (this: FastifyReply, text: string, type: 'success' | 'info' = 'success') {
      this.setCookie(FLASH_COOKIE, JSON.stringify({ text, type }), {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        maxAge: 60,
      })
      return this
    },
  )

  const layout = new LayoutFragments(env)
  // Markup is a pure function of the template and its context: safe to keep in each instance.
  const fragments = new MemoCache<string>(500, 16 * 1024 * 1024)
  app.decorate('fragment', async (template: string, context: Record<string, unknown>) => {
    const key = `${template}\u0000${JSON.stringify(context)}`
    const known = fragments.get(key)
    if (known !== undefined) return known
    const html = await renderView(env, template, context)
    fragments.set(key, html, html.length * 2 + key.length * 2)
    return html
  })

  app.decorateReply(
    'page',
    async function (
      this: FastifyReply,
      template: string,
      context: Record<string, unknown> = {},
      status?: number,
      options: { slots?: readonly Uint8Array[] } = {},
    ) {
      const request = this.request
      let flash: { text: string; type: string } | null = null
      const rawFlash = request.cookies[FLASH_COOKIE]
      if (rawFlash) {
        try {
          const parsed = JSON.parse(rawFlash) as { text?: unknown; type?: unknown }
          if (typeof parsed.text === 'string')
            flash = { text: parsed.text.slice(0, 300), type: parsed.type === 'info' ? 'info' : 'success' }
        } catch {
          flash = null
        }
        this.clearCookie(FLASH_COOKIE, { path: '/' })
      }
      const user = request.user
      const merged: Record<string, unknown> = {
        communityName: COMMUNITY_NAME,
        user,
        isAdmin: isPlatformAdmin(user),
        isOrgAdmin: hasRole(user, 'org_admin'),
        // Masked afresh on every page: compressed pages must not repeat the secret (BREACH).
        csrfToken: maskToken(request.csrfToken),
        cspNonce: (this as unknown as { cspNonce?: { script: string } }).cspNonce?.script,
        currentPath: request.url.split('?')[0],
        currentUrl: request.url,
        flash,
        ssoEnabled: config.oidc !== null,
        ssoName: config.oidc?.name,
        demo: config.demo,
        ...context,
      }
      const communityName = String(merged.communityName)
      const viewer = merged.user as CurrentUser | null | undefined
      const [layoutHeader, layoutFooter] = await Promise.all([
        layout.header({
          communityName,
          userName: viewer ? viewer.name : null,
          showAdmin: Boolean(merged.isAdmin || merged.isOrgAdmin),
          csrfToken: String(merged.csrfToken),
          path: String(merged.currentPath),
        }),
        layout.footerOf(communityName),
      ])
      const html = await renderView(env, template, { ...merged, layoutHeader, layoutFooter })
      if (status) this.code(status)
      // One UTF-8 encoding, here: a string would be measured for Content-Length, then encoded again.
      // Slots (web/html-bytes.ts) are bytes encoded once for many pages.
      return this.type('text/html; charset=utf-8').send(pageBytes(html, options.slots))
    },
  )

  async function errorPage(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    title: string,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    if (wantsProblem(request)) {
      return reply
        .code(status)
        .type('application/problem+json')
        .send({ type: 'about:blank', title, status, detail: message, ...extra })
    }
    return reply.page('errors/error.njk', { title, message, status, ...extra }, status)
  }

  app.setNotFoundHandler(async (request, reply) =>
    errorPage(
      request,
      reply,
      404,
      'Page not found',
      'If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address.',
    ),
  )

  app.setErrorHandler(
    async (error: Error & { statusCode?: number; code?: string; validation?: unknown }, request, reply) => {
      if (error instanceof UnauthenticatedError) {
        if (wantsProblem(request)) return errorPage(request, reply, 401, 'Sign in required', error.message)
        // A form sent without signing in (a session that expired) is refused, not redirected as
        // if it had gone through; a page sends the visitor to sign in and back.
        if (request.method !== 'GET' && request.method !== 'HEAD')
          return errorPage(
            request,
            reply,
            401,
            'Sign in required',
            'You were not signed in, so nothing was sent. Sign in, then open the page again to do that.',
          )
        return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303)
      }
      if (error instanceof TooManyRequestsError) {
        reply.header('retry-after', String(error.retryAfterSeconds))
        return errorPage(request, reply, 429, 'Too many attempts', error.message)
      }
      if (error instanceof ValidationError) {
        return errorPage(
          request,
          reply,
          400,
          'There is a problem',
          error.message,
          wantsProblem(request) ? { errors: error.fields } : {},
        )
      }
      if (error instanceof AppError) {
        const titles: Record<number, string> = {
          401: 'Sign in required',
          403: error.code === 'csrf' ? 'Your form has expired' : 'You cannot view this page',
          404: 'Page not found',
          409: 'This has changed',
          415: 'Unsupported content',
        }
        return errorPage(
          request,
          reply,
          error.status,
          titles[error.status] ?? 'There is a problem',
          error.message,
        )
      }
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
        return errorPage(
          request,
          reply,
          413,
          'What you sent is too large',
          'The form or file you sent is larger than we accept. Make it smaller and try again.',
        )
      }
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415) {
        return errorPage(
          request,
          reply,
          415,
          'Unsupported content',
          'This address does not accept that kind of content.',
        )
      }
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return errorPage(
          request,
          reply,
          error.statusCode,
          'There is a problem',
          error.validation
            ? 'The request was not in the expected form.'
            : 'The request could not be understood.',
        )
      }
      request.log.error({ err: error }, 'unhandled error')
      return errorPage(
        request,
        reply,
        500,
        'Sorry, there is a problem with the service',
        'Try again later. What you entered has not been lost if you go back.',
      )
    },
  )
})

/** The signed-in user, or a redirect to sign in. */
export function requireUser(request: FastifyRequest) {
  if (!request.user) throw new UnauthenticatedError()
  return request.user
}

export function requestMeta(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] }
}
