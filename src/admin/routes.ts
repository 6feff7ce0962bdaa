import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { PeopleService } from '../people/service.js'
import type { AuditService } from '../audit/service.js'
import type { MailService } from '../mail/service.js'
import type { PagesService } from '../pages/service.js'
import type { CommunityService } from '../community/service.js'
import { hasRole, isPlatformAdmin, ROLES } from '../core/identity.js'
import { EDITABLE_PAGES } from '../pages/service.js'
import { pageEditForm } from '../pages/forms.js'
import { grantForm } from '../people/forms.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../core/errors.js'
import { formErrorPage, handleForm } from '../web/form-page.js'
import { optionalPlainText, optionalText } from '../web/forms.js'
import { pagination } from '../web/pagination.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { idParam, idParams, slugParam, type ZodApp } from '../web/route-schemas.js'
import { canGovernInformation } from '../screening/policy.js'

function requireAdmin(request: FastifyRequest) {
  const user = requireUser(request)
  if (!isPlatformAdmin(user)) throw new ForbiddenError('Only platform admins can use this page')
  return user
}

function requireAnyAdmin(request: FastifyRequest) {
  const user = requireUser(request)
  if (!isPlatformAdmin(user) && !hasRole(user, 'org_admin'))
    throw new ForbiddenError('Only admins can use this page')
  return user
}

const listQuery = z.object({
  q: optionalPlainText('search', 100).catch(''),
  organisation: optionalText('organisation', 100).catch(''),
  unverified: z.string().optional().catch(undefined),
  action: optionalText('action', 100).catch(''),
  page: z.coerce.number().int().min(1).max(100000).catch(1),
})

const grantParams = z.object({ id: idParam, grantId: idParam })
const slugParams = z.object({ slug: slugParam })
const revisionParams = z.object({ slug: slugParam, version: idParam })

const roleItems = Object.entries(ROLES).map(([value, r]) => ({
  value,
  text: `${r.label}${r.scope === 'platform' ? '' : ` (choose the ${r.scope})`}`,
}))

/** The services these routes use: app.ts passes only these. */
export interface AdminRouteServices {
  people: PeopleService
  audit: AuditService
  mail: MailService
  pages: PagesService
  community: CommunityService
}

export async function adminRoutes(app: ZodApp, { services }: { services: AdminRouteServices }) {
  const { people, audit, mail, pages, community } = services

  app.get('/admin', async (request, reply) => {
    const user = requireUser(request)
    const igLead = canGovernInformation(user)
    if (!igLead) requireAnyAdmin(request)
    return reply.page('admin/views/index.njk', {
      title: 'Admin',
      platformAdmin: isPlatformAdmin(user),
      anyAdmin: isPlatformAdmin(user) || hasRole(user, 'org_admin'),
      igLead,
    })
  })

  app.get('/admin/people', { schema: { querystring: listQuery } }, async (request, reply) => {
    const user = requireAnyAdmin(request)
    const query = request.query
    const pageSize = 25
    const result = await people.adminSearch(user, {
      q: query.q,
      organisationId: query.organisation || undefined,
      unverifiedOnly: query.unverified === 'on',
      page: query.page,
      pageSize,
    })
    const params = new URLSearchParams()
    if (query.q) params.set('q', query.q)
    if (query.organisation) params.set('organisation', query.organisation)
    if (query.unverified === 'on') params.set('unverified', 'on')
    return reply.page('admin/views/people.njk', {
      title: 'People',
      query,
      result,
      organisations: await community.listOrganisations(),
      pager: pagination('/admin/people', params, query.page, pageSize, result.total),
    })
  })

  const personContext = async (request: FastifyRequest, id: string) => {
    const user = requireAnyAdmin(request)
    const { person, grants } = await people.adminView(user, id)
    const [organisations, faculties, programmes] = await Promise.all([
      community.listOrganisations(),
      community.faculties(),
      community.programmes(),
    ])
    const scopeName = (type: string, scopeId: string) =>
      type === 'organisation'
        ? organisations.find((o) => o.id === scopeId)?.name
        : type === 'faculty'
          ? faculties.find((f) => f.id === scopeId)?.name
          : type === 'programme'
            ? programmes.find((p) => p.id === scopeId)?.name
            : undefined
    return {
      title: person.name,
      person,
      grants: grants.map((g) => ({
        ...g,
        label: ROLES[g.role].label,
        scopeName: scopeName(g.scopeType, g.scopeId) ?? '',
      })),
      roleItems,
      scopes: [
        ...organisations.map((o) => ({ value: o.id, text: `Organisation: ${o.name}` })),
        ...faculties.map((f) => ({ value: f.id, text: `Faculty: ${f.name}` })),
        ...programmes.map((p) => ({ value: p.id, text: `Programme: ${p.name}` })),
      ],
      platformAdmin: isPlatformAdmin(user),
    }
  }

  app.get('/admin/people/:id', { schema: { params: idParams } }, async (request, reply) => {
    const { id } = request.params
    return reply.page('admin/views/person.njk', { ...(await personContext(request, id)), values: {} })
  })

  app.post('/admin/people/:id/verify', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireAnyAdmin(request)
    const { id } = request.params
    await people.verifyMembership(user, id, requestMeta(request).ip)
    return reply.flash('Membership confirmed.').redirect(`/admin/people/${id}`, 303)
  })

  app.post('/admin/people/:id/roles', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireAnyAdmin(request)
    const { id } = request.params
    return handleForm(
      reply,
      {
        schema: grantForm,
        body: request.body,
        template: 'admin/views/person.njk',
        context: () => personContext(request, id),
      },
      async (data) => {
        await people.grantRole(user, id, data.role, data.scopeId, requestMeta(request).ip)
        return reply
          .flash(`Role granted: ${ROLES[data.role as keyof typeof ROLES].label}.`)
          .redirect(`/admin/people/${id}`, 303)
      },
    )
  })

  app.get(
    '/admin/people/:id/roles/:grantId/revoke',
    { schema: { params: grantParams } },
    async (request, reply) => {
      const { id, grantId } = request.params
      const context = await personContext(request, id)
      const grant = context.grants.find((g) => g.id === grantId)
      if (!grant) throw new NotFoundError()
      const scope = grant.scopeName ? ` for ${grant.scopeName}` : ''
      return reply.page('web/views/confirm.njk', {
        title: `Remove the role ${grant.label}${scope} from ${context.person.name}?`,
        lost: [
          `${context.person.name} loses at once what the role ${grant.label}${scope} lets them see and do.`,
          'The role can be granted again later; the removal is recorded in the audit log.',
        ],
        action: `/admin/people/${id}/roles/${grantId}/revoke`,
        buttonText: 'Remove the role',
        cancelHref: `/admin/people/${id}`,
        cancelText: 'Keep the role',
      })
    },
  )

  app.post(
    '/admin/people/:id/roles/:grantId/revoke',
    { schema: { params: grantParams } },
    async (request, reply) => {
      const user = requireAnyAdmin(request)
      const { id, grantId } = request.params
      try {
        await people.revokeRole(user, id, grantId, requestMeta(request).ip)
      } catch (error) {
        if (error instanceof Error && 'fields' in error)
          return formErrorPage(
            reply,
            'admin/views/person.njk',
            (error as { fields: Record<string, string> }).fields,
            {},
            await personContext(request, id),
          )
        throw error
      }
      return reply.flash('Role removed.').redirect(`/admin/people/${id}`, 303)
    },
  )

  app.get('/admin/audit', { schema: { querystring: listQuery } }, async (request, reply) => {
    requireAdmin(request)
    const query = request.query
    const pageSize = 50
    const result = await audit.search({
      q: query.q || undefined,
      action: query.action || undefined,
      page: query.page,
      pageSize,
    })
    const params = new URLSearchParams()
    if (query.q) params.set('q', query.q)
    if (query.action) params.set('action', query.action)
    return reply.page('admin/views/audit.njk', {
      title: 'Audit log',
      query,
      result,
      actions: await audit.actions(),
      pager: pagination('/admin/audit', params, query.page, pageSize, result.total),
    })
  })

  app.get('/admin/outbox', { schema: { querystring: listQuery } }, async (request, reply) => {
    requireAdmin(request)
    const query = request.query
    const pageSize = 50
    const result = await mail.list({ page: query.page, pageSize })
    return reply.page('admin/views/outbox.njk', {
      title: 'Outbox',
      result,
      smtp: mail.deliversBySmtp,
      pager: pagination('/admin/outbox', new URLSearchParams(), query.page, pageSize, result.total),
    })
  })

  app.get('/admin/outbox/:id', { schema: { params: idParams } }, async (request, reply) => {
    requireAdmin(request)
    const id = Number(request.params.id)
    const message = Number.isInteger(id) ? await mail.get(id) : null
    if (!message) throw new NotFoundError()
    return reply.page('admin/views/outbox-message.njk', { title: message.subject, message })
  })

  // The HTML part as the recipient's mail client shows it: its own strict policy (inline
  // styles only, no scripts, sandboxed), never inside our pages.
  app.get('/admin/outbox/:id/html', { schema: { params: idParams } }, async (request, reply) => {
    requireAdmin(request)
    const id = Number(request.params.id)
    const message = Number.isInteger(id) ? await mail.get(id) : null
    if (!message?.html) throw new NotFoundError()
    return reply
      .header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; sandbox",
      )
      .type('text/html; charset=utf-8')
      .send(message.html)
  })

  app.post('/admin/outbox/:id/retry', { schema: { params: idParams } }, async (request, reply) => {
    requireAdmin(request)
    const id = Number(request.params.id)
    if (!Number.isInteger(id)) throw new NotFoundError()
    await mail.retry(id)
    return reply.flash('The message will be sent again.').redirect(`/admin/outbox/${id}`, 303)
  })

  app.get('/admin/enquiries', async (request, reply) => {
    requireAdmin(request)
    return reply.page('admin/views/enquiries.njk', {
      title: 'Enquiries',
      enquiries: await pages.listEnquiries(),
    })
  })

  app.post('/admin/enquiries/:id/handled', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireAdmin(request)
    await pages.markEnquiryHandled(user, request.params.id, requestMeta(request).ip)
    return reply.flash('Enquiry marked as handled.').redirect('/admin/enquiries', 303)
  })

  app.get('/admin/pages', async (request, reply) => {
    requireAdmin(request)
    const list = await Promise.all(
      EDITABLE_PAGES.map(async (slug) => ({ slug, page: await pages.get(slug) })),
    )
    return reply.page('admin/views/pages.njk', { title: 'Pages', list })
  })

  const editContext = async (slug: string) => ({
    title: `Edit page: ${slug}`,
    slug,
    revisions: await pages.revisions(slug),
  })

  app.get('/admin/pages/:slug', { schema: { params: slugParams } }, async (request, reply) => {
    requireAdmin(request)
    const { slug } = request.params
    if (!pages.isEditable(slug)) throw new NotFoundError()
    const page = await pages.get(slug)
    return reply.page('admin/views/page-edit.njk', {
      ...(await editContext(slug)),
      values: {
        title: page?.title ?? '',
        summary: page?.summary ?? '',
        body: page?.markdown ?? '',
        version: page?.version ?? 0,
      },
    })
  })

  app.post('/admin/pages/:slug', { schema: { params: slugParams } }, async (request, reply) => {
    const user = requireAdmin(request)
    const { slug } = request.params
    if (!pages.isEditable(slug)) throw new NotFoundError()
    return handleForm(
      reply,
      {
        schema: pageEditForm,
        body: request.body,
        template: 'admin/views/page-edit.njk',
        context: () => editContext(slug),
        order: ['title', 'summary', 'body'],
      },
      async (data) => {
        try {
          await pages.save(user, slug, data, requestMeta(request).ip)
        } catch (error) {
          if (error instanceof ConflictError)
            return formErrorPage(
              reply,
              'admin/views/page-edit.njk',
              { body: error.message },
              request.body,
              await editContext(slug),
            )
          throw error
        }
        return reply.flash('Page saved.').redirect(`/admin/pages/${slug}`, 303)
      },
    )
  })

  app.get(
    '/admin/pages/:slug/revisions/:version',
    { schema: { params: revisionParams } },
    async (request, reply) => {
      requireAdmin(request)
      const { slug, version } = request.params
      if (!pages.isEditable(slug) || !/^\d+$/.test(version)) throw new NotFoundError()
      const revision = await pages.revision(slug, Number(version))
      return reply.page('admin/views/page-revision.njk', {
        title: `${revision.title} (version ${revision.version})`,
        slug,
        revision,
      })
    },
  )
}
