import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { ForbiddenError } from '../core/errors.js'
import { partsOf } from '../core/dates.js'
import { QSIR_STAGES } from '../projects/lifecycle.js'
import { handleForm } from '../web/form-page.js'
import { guard } from '../web/guard.js'
import { requireUser } from '../web/plugin.js'
import { slugParam, type ZodApp } from '../web/route-schemas.js'
import { resourceBody, resourceForm, resourceQuery } from './forms.js'
import { AUDIENCES, canEditResources, RESOURCE_KINDS } from './policy.js'
import { audienceLabel, kindLabel, stageLabel, type Resource, type ResourceService } from './service.js'

/** The services these routes use: app.ts passes only these. */
export interface ResourcesRouteServices {
  resources: ResourceService
}

const slugParams = z.object({ slug: slugParam })
const revisionParams = z.object({ slug: slugParam, version: z.coerce.number().int().min(1).max(1_000_000) })
const ip = (request: FastifyRequest) => request.ip

const FIELD_ORDER = [
  'kind',
  'title',
  'summary',
  'body',
  'url',
  'publisher',
  'checkedOn',
  'appHref',
  'appText',
  'stage',
  'audience',
  'tags',
]

const options = (list: Record<string, string>, any?: string) => [
  ...(any !== undefined ? [{ value: '', text: any }] : []),
  ...Object.entries(list).map(([value, text]) => ({ value, text })),
]

/** The form's values for an existing resource. */
function valuesFor(r: Resource): Record<string, unknown> {
  return {
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    body: r.markdown,
    url: r.url ?? '',
    publisher: r.publisher,
    ...partsOf(r.checkedOn, 'checkedOn'),
    appHref: r.appHref ?? '',
    appText: r.appText,
    stage: r.stage ?? '',
    audience: r.audience,
    tags: r.tags.join(', '),
    version: r.version,
  }
}

/** The resources library: /resources with its filters, a page per resource, the Steering Group's editing. */
export async function resourceRoutes(app: ZodApp, { services }: { services: ResourcesRouteServices }) {
  const { resources } = services
  const steering = guard((user) => {
    if (!canEditResources(user)) throw new ForbiddenError('Only the Steering Group can change the library')
  })
  const formContext = (title: string, action: string) => ({
    title,
    action,
    kindItems: options(RESOURCE_KINDS),
    stageItems: options(QSIR_STAGES, 'Every stage'),
    audienceItems: options(AUDIENCES),
  })

  app.get('/resources', { schema: { querystring: resourceQuery } }, async (request, reply) => {
    const query = request.query
    const [items, tags] = await Promise.all([
      resources.list({
        q: query.q || undefined,
        tag: query.tag || undefined,
        audience: query.audience || undefined,
        stage: query.stage || undefined,
        kind: query.kind || undefined,
      }),
      resources.tags(),
    ])
    const tag = tags.includes(query.tag) ? query.tag : ''
    const labelled = items.map((r) => ({
      ...r,
      stageLabel: stageLabel(r.stage),
      audienceLabel: audienceLabel(r.audience),
    }))
    const select = (list: { value: string; text: string }[], chosen: string) =>
      list.map((o) => ({ ...o, selected: o.value === chosen }))
    return reply.page('resources/views/list.njk', {
      title: 'Resources',
      metaDescription: 'Guides to the QSIR stages and the improvement tools, and links to other resources',
      query: { ...query, tag },
      guides: labelled.filter((r) => r.kind === 'guide'),
      links: labelled.filter((r) => r.kind === 'link'),
      total: items.length,
      canEdit: canEditResources(request.user),
      filterItems: {
        stage: select(options(QSIR_STAGES, 'Any stage'), query.stage),
        audience: select(options(AUDIENCES, 'Anyone'), query.audience),
        tag: select([{ value: '', text: 'Any tag' }, ...tags.map((t) => ({ value: t, text: t }))], tag),
        kind: select(options(RESOURCE_KINDS, 'Guides and links'), query.kind),
      },
    })
  })

  app.get('/resources/new', { preHandler: steering }, async (_request, reply) =>
    reply.page('resources/views/form.njk', {
      ...formContext('Add a resource', '/resources'),
      values: { kind: 'guide', audience: 'everyone', version: 0 },
    }),
  )

  app.post('/resources', { preHandler: steering, config: { once: 'content' } }, async (request, reply) => {
    const user = requireUser(request)
    return handleForm(
      reply,
      {
        schema: resourceForm,
        body: resourceBody(request.body),
        template: 'resources/views/form.njk',
        context: () => formContext('Add a resource', '/resources'),
        order: FIELD_ORDER,
      },
      async (data) => {
        const slug = await resources.create(user, data, ip(request))
        return reply.flash(`${data.title} has been added to the library.`).redirect(`/resources/${slug}`, 303)
      },
    )
  })

  app.get('/resources/:slug', { schema: { params: slugParams } }, async (request, reply) => {
    const resource = await resources.page(request.params.slug)
    return reply.page('resources/views/resource.njk', {
      title: resource.title,
      metaDescription: resource.summary || resource.title,
      resource,
      stageLabel: stageLabel(resource.stage),
      audienceLabel: audienceLabel(resource.audience),
      kindLabel: kindLabel(resource.kind),
      canEdit: canEditResources(request.user),
    })
  })

  app.get(
    '/resources/:slug/edit',
    { schema: { params: slugParams }, preHandler: steering },
    async (request, reply) => {
      const resource = await resources.page(request.params.slug)
      return reply.page('resources/views/form.njk', {
        ...formContext(`Edit: ${resource.title}`, `/resources/${resource.slug}/edit`),
        resource,
        values: valuesFor(resource),
      })
    },
  )

  app.post(
    '/resources/:slug/edit',
    { schema: { params: slugParams }, preHandler: steering },
    async (request, reply) => {
      const user = requireUser(request)
      const resource = await resources.page(request.params.slug)
      const context = () => ({
        ...formContext(`Edit: ${resource.title}`, `/resources/${resource.slug}/edit`),
        resource,
      })
      return handleForm(
        reply,
        {
          schema: resourceForm,
          body: resourceBody(request.body),
          template: 'resources/views/form.njk',
          context,
          order: FIELD_ORDER,
        },
        async (data) => {
          await resources.update(user, resource.slug, data, ip(request))
          return reply.flash('Your changes have been saved.').redirect(`/resources/${resource.slug}`, 303)
        },
      )
    },
  )

  app.get(
    '/resources/:slug/revisions',
    { schema: { params: slugParams }, preHandler: steering },
    async (request, reply) => {
      const { resource, revisions } = await resources.revisions(requireUser(request), request.params.slug)
      return reply.page('resources/views/revisions.njk', {
        title: `Earlier versions: ${resource.title}`,
        resource,
        revisions,
      })
    },
  )

  app.get(
    '/resources/:slug/revisions/:version',
    { schema: { params: revisionParams }, preHandler: steering },
    async (request, reply) => {
      const { resource, revision } = await resources.revision(
        requireUser(request),
        request.params.slug,
        request.params.version,
      )
      return reply.page('resources/views/revision.njk', {
        title: `Version ${revision.version}: ${revision.title}`,
        resource,
        revision,
      })
    },
  )
}
