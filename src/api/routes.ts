import type { FastifyRequest } from 'fastify'
import { findPidIn, pidMessage } from '../core/pid-screen.js'
import { screeningPatterns } from '../core/screening-context.js'
import type { ApiService } from './service.js'
import type { ApiTokenService } from './tokens.js'
import type { RateLimiter } from '../auth/rate-limit.js'
import type { CurrentUser } from '../core/identity.js'
import { handleForm } from '../web/form-page.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import {
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthenticatedError,
  ValidationError,
} from '../core/errors.js'
import { tokenForm } from './forms.js'
import { apiEndpoints } from './schemas.js'
import { idParams, type ZodApp, type ZodTypeProvider } from '../web/route-schemas.js'
import { endpointList, openApiDocument } from './openapi.js'
import { API_BASE } from './service.js'
import { TOKEN_LIFETIMES, type ApiToken } from './tokens.js'

/** Requests a token may make in a minute, and anonymous requests per address. */
export const API_RATE = { token: { max: 600, windowMs: 60_000 }, anonymous: { max: 120, windowMs: 60_000 } }

declare module 'fastify' {
  interface FastifyRequest {
    apiToken?: ApiToken | null
  }
}

/** The services these routes use: app.ts passes only these. */
export interface ApiRouteServices {
  api: ApiService
  apiTokens: ApiTokenService
  limiter: RateLimiter
}

/**
 * The JSON API (bearer tokens only: cookies are ignored, so no page can be made to write
 * through it, and its routes skip the CSRF check), its description, and the token pages.
 */
export async function apiRoutes(app: ZodApp, { services }: { services: ApiRouteServices }) {
  const { api, apiTokens, limiter } = services

  app.get('/api/openapi.json', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(openApiDocument),
  )

  app.get('/api/docs', async (request, reply) =>
    reply.page('api/views/docs.njk', {
      title: 'API documentation',
      endpoints: endpointList(),
      base: API_BASE,
      rate: API_RATE,
      signedIn: Boolean(request.user),
    }),
  )

  // Personal API tokens (pages: cookie session and CSRF as everywhere else)
  app.get('/account/tokens', async (request, reply) => {
    const user = requireUser(request)
    return reply.page('api/views/tokens.njk', await tokensContext(user))
  })

  const tokensContext = async (user: CurrentUser) => ({
    title: 'API tokens',
    tokens: await apiTokens.list(user),
    lifetimes: TOKEN_LIFETIMES,
    canCreate: apiTokens.canCreate(user),
    now: new Date().toISOString(),
    values: { access: 'read', days: '90' },
  })

  app.post('/account/tokens', async (request, reply) => {
    const user = requireUser(request)
    return handleForm(
      reply,
      {
        schema: tokenForm,
        body: request.body,
        template: 'api/views/tokens.njk',
        context: () => tokensContext(user),
        order: ['name', 'access', 'days'],
      },
      async (data) => {
        const { token, record } = await apiTokens.create(
          user,
          { name: data.name, canWrite: data.access === 'write', days: Number(data.days) },
          requestMeta(request).ip,
        )
        reply.header('cache-control', 'no-store')
        return reply.page('api/views/token-created.njk', { title: 'Your new API token', token, record })
      },
    )
  })

  app.get('/account/tokens/:id/revoke', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireUser(request)
    const id = request.params.id
    const token = (await apiTokens.list(user)).find((t) => t.id === id && !t.revokedAt)
    if (!token) throw new NotFoundError()
    return reply.page('web/views/confirm.njk', {
      title: `Revoke the token “${token.name}”?`,
      lost: [
        'Programs using this token stop working at once: every call with it is refused.',
        'A revoked token cannot be used again; you can make a new one.',
      ],
      action: `/account/tokens/${token.id}/revoke`,
      buttonText: 'Revoke the token',
      cancelHref: '/account/tokens',
      cancelText: 'Keep the token',
    })
  })

  app.post('/account/tokens/:id/revoke', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireUser(request)
    const token = await apiTokens.revoke(user, request.params.id, requestMeta(request).ip)
    return reply
      .flash(`The token "${token.name}" has been revoked: it no longer works.`)
      .redirect('/account/tokens', 303)
  })

  // The API itself
  await app.register(
    async (plain) => {
      const v1 = plain.withTypeProvider<ZodTypeProvider>()
      v1.addHook('onRequest', async (request, reply) => {
        // Never the cookie session: only a bearer token says who is calling.
        request.user = null
        request.apiToken = null
        reply.header('cache-control', 'no-store')
        const header = request.headers.authorization
        if (header !== undefined) {
          const match = /^Bearer\s+(\S+)$/i.exec(header)
          const found = match ? await apiTokens.authenticate(match[1]) : null
          if (!found) {
            reply.header('www-authenticate', 'Bearer error="invalid_token"')
            await hit(`api-bad:${request.ip}`, API_RATE.anonymous)
            throw new UnauthenticatedError(
              'The API token is missing, unknown, revoked or expired. Create one at /account/tokens.',
            )
          }
          request.user = found.user
          request.apiToken = found.token
          await hit(`api:${found.token.id}`, API_RATE.token)
        } else {
          await hit(`api-ip:${request.ip}`, API_RATE.anonymous)
        }
      })

      async function hit(key: string, limit: { max: number; windowMs: number }) {
        const result = await limiter.hit(key, limit)
        if (!result.allowed)
          throw new TooManyRequestsError(
            `Too many requests: at most ${limit.max} a minute. Try again in ${result.retryAfterSeconds} seconds.`,
            result.retryAfterSeconds,
          )
      }

      const writer = (request: FastifyRequest): CurrentUser => {
        if (!request.user || !request.apiToken) {
          throw new UnauthenticatedError(
            'Writing needs an API token with write access (Authorization: Bearer …). Cookies are not accepted.',
          )
        }
        if (!request.apiToken.canWrite)
          throw new ForbiddenError(
            'This API token can only read. Create a token with write access to add data.',
          )
        return request.user
      }

      const noCsrf = { config: { csrf: false } }
      const e = apiEndpoints

      v1.get(e.listProjects.path, { ...noCsrf, schema: e.listProjects.schema }, async (request) =>
        api.projects(request.user, request.query),
      )
      v1.get(e.getProject.path, { ...noCsrf, schema: e.getProject.schema }, async (request) =>
        api.project(request.user, request.params.projectId),
      )
      v1.get(e.listMeasures.path, { ...noCsrf, schema: e.listMeasures.schema }, async (request) =>
        api.projectMeasures(request.user, request.params.projectId),
      )
      v1.get(e.getMeasure.path, { ...noCsrf, schema: e.getMeasure.schema }, async (request) =>
        api.measure(request.user, request.params.measureId),
      )
      v1.get(e.listDataPoints.path, { ...noCsrf, schema: e.listDataPoints.schema }, async (request) =>
        api.dataPoints(request.user, request.params.measureId),
      )
      v1.get(e.listPosters.path, { ...noCsrf, schema: e.listPosters.schema }, async (request) =>
        api.posters(request.user, request.query),
      )
      v1.get(e.getPoster.path, { ...noCsrf, schema: e.getPoster.schema }, async (request) =>
        api.poster(request.user, request.params.posterId),
      )
      v1.post(
        e.addDataPoints.path,
        {
          ...noCsrf,
          schema: e.addDataPoints.schema,
          // Who may write is settled before the body is looked at.
          preValidation: async (request) => {
            writer(request)
          },
        },
        async (request, reply) => {
          const user = writer(request)
          // Data points are aggregates: any string in the body (a period, a stray note) is
          // screened like a form's free text before anything is stored.
          const pid = findPidIn(request.body, screeningPatterns())
          if (pid)
            throw new ValidationError({
              [pid.path || 'body']: pidMessage(pid.path ? `Field ${pid.path}` : 'The body', pid.kind),
            })
          const result = await api.addDataPoints(
            user,
            request.params.measureId,
            request.body,
            requestMeta(request).ip,
          )
          return reply.code(201).send(result)
        },
      )
    },
    { prefix: API_BASE },
  )
}
