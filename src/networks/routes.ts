import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { handleForm } from '../web/form-page.js'
import { guard, signedIn } from '../web/guard.js'
import { requireUser } from '../web/plugin.js'
import { formBody, idParam, slugParam, type ZodApp } from '../web/route-schemas.js'
import { networkForm, preferenceForm, requestDecisionForm, roleForm } from './forms.js'
import { EMAIL_PREFS, isIgLead, JOIN_POLICIES } from './policy.js'
import { discussionRoutes, POST_BODY_LIMIT } from './routes-discussions.js'
import type { NetworkService } from './service.js'

export interface NetworksRouteServices {
  networks: NetworkService
}

export const slugParams = z.object({ slug: slugParam })
const memberParams = z.object({ slug: slugParam, userId: idParam })
const ip = (request: FastifyRequest) => request.ip
const slugOf = (request: FastifyRequest) => (request.params as { slug: string }).slug

export const prefItems = (selected: string) =>
  Object.entries(EMAIL_PREFS).map(([value, text]) => ({ value, text, checked: value === selected }))

/** Networks: the list, proposing one, its page, joining and leaving, members and e-mail choices. */
export async function networkRoutes(app: ZodApp, { services }: { services: NetworksRouteServices }) {
  const networks = services.networks
  const moderator = guard((user, r) => networks.requireModerator(user, slugOf(r)))
  const known = guard((user, r) => networks.load(user, slugOf(r)))

  app.get('/networks', async (request, reply) => {
    const items = await networks.list(request.user)
    return reply.page('networks/views/list.njk', {
      title: 'Networks',
      metaDescription: 'Interest groups across One Gloucestershire: join a network and talk with colleagues.',
      items,
      joinPolicies: JOIN_POLICIES,
      isIgLead: isIgLead(request.user),
    })
  })

  const newTemplate = 'networks/views/new.njk'
  const policyItems = (selected: string) =>
    Object.entries(JOIN_POLICIES).map(([value, text]) => ({ value, text, checked: value === selected }))
  app.get('/networks/new', { preHandler: signedIn }, async (_request, reply) =>
    reply.page(newTemplate, { title: 'Propose a network', values: {}, policyItems: policyItems('open') }),
  )
  app.post(
    '/networks',
    {
      preHandler: signedIn,
      schema: { body: formBody },
      bodyLimit: POST_BODY_LIMIT,
      config: { once: 'content' },
    },
    async (request, reply) => {
      const user = requireUser(request)
      const body = request.body
      return handleForm(
        reply,
        {
          schema: networkForm,
          body,
          template: newTemplate,
          context: () => ({
            title: 'Propose a network',
            policyItems: policyItems(typeof body.joinPolicy === 'string' ? body.joinPolicy : ''),
          }),
          order: ['name', 'purpose', 'joinPolicy'],
        },
        async (data) => {
          const slug = await networks.propose(user, data, ip(request))
          return reply
            .flash(`${data.name} has been created. You are its owner.`)
            .redirect(`/networks/${slug}`, 303)
        },
      )
    },
  )

  const networkContext = async (request: FastifyRequest, slug: string) => {
    const page = await networks.page(request.user, slug)
    return {
      title: page.network.name,
      metaDescription: page.network.purpose.slice(0, 200),
      ...page,
      joinPolicyText: JOIN_POLICIES[page.network.joinPolicy as keyof typeof JOIN_POLICIES],
      prefItems: prefItems(page.membership?.emailPref ?? 'weekly'),
      values: {},
    }
  }

  app.get('/networks/:slug', { schema: { params: slugParams } }, async (request, reply) =>
    reply.page('networks/views/network.njk', await networkContext(request, request.params.slug)),
  )

  app.post(
    '/networks/:slug/join',
    { schema: { params: slugParams }, preHandler: known },
    async (request, reply) => {
      const user = requireUser(request)
      const outcome = await networks.join(user, request.params.slug, ip(request))
      const messages = {
        joined: 'You have joined the network.',
        requested: 'Your request to join has been sent to the network’s owners and moderators.',
        already: 'You are already a member of this network, or have asked to join.',
      }
      return reply
        .flash(messages[outcome], outcome === 'already' ? 'info' : 'success')
        .redirect(`/networks/${request.params.slug}`, 303)
    },
  )

  app.post(
    '/networks/:slug/leave',
    { schema: { params: slugParams }, preHandler: known },
    async (request, reply) => {
      const user = requireUser(request)
      await networks.leave(user, request.params.slug, ip(request))
      return reply.flash('You have left the network.').redirect(`/networks/${request.params.slug}`, 303)
    },
  )

  app.post(
    '/networks/:slug/preferences',
    { schema: { params: slugParams }, preHandler: known },
    async (request, reply) => {
      const user = requireUser(request)
      const slug = request.params.slug
      return handleForm(
        reply,
        {
          schema: preferenceForm,
          body: request.body,
          template: 'networks/views/network.njk',
          context: () => networkContext(request, slug),
        },
        async (data) => {
          await networks.setPreference(user, slug, data.emailPref, ip(request))
          return reply
            .flash(`E-mails from this network: ${EMAIL_PREFS[data.emailPref].toLowerCase()}.`)
            .redirect(`/networks/${slug}`, 303)
        },
      )
    },
  )

  const membersContext = async (request: FastifyRequest, slug: string) => {
    const page = await networks.members(requireUser(request), slug)
    return { title: `Members of ${page.network.name}`, ...page }
  }

  app.get(
    '/networks/:slug/members',
    { schema: { params: slugParams }, preHandler: signedIn },
    async (request, reply) =>
      reply.page('networks/views/members.njk', await membersContext(request, request.params.slug)),
  )

  app.post(
    '/networks/:slug/requests/:userId',
    { schema: { params: memberParams }, preHandler: moderator },
    async (request, reply) => {
      const user = requireUser(request)
      const { slug, userId } = request.params
      return handleForm(
        reply,
        {
          schema: requestDecisionForm,
          body: request.body,
          template: 'networks/views/members.njk',
          context: () => membersContext(request, slug),
        },
        async (data) => {
          const name = await networks.decideRequest(user, slug, userId, data.decision, ip(request))
          return reply
            .flash(
              data.decision === 'approve' ? `${name} is now a member.` : 'The request has been declined.',
            )
            .redirect(`/networks/${slug}/members`, 303)
        },
      )
    },
  )

  app.post(
    '/networks/:slug/members/:userId/role',
    { schema: { params: memberParams }, preHandler: moderator },
    async (request, reply) => {
      const user = requireUser(request)
      const { slug, userId } = request.params
      return handleForm(
        reply,
        {
          schema: roleForm,
          body: request.body,
          template: 'networks/views/members.njk',
          context: () => membersContext(request, slug),
        },
        async (data) => {
          await networks.setRole(user, slug, userId, data.role, ip(request))
          return reply
            .flash(
              data.role === 'moderator' ? 'They are now a moderator.' : 'They are no longer a moderator.',
            )
            .redirect(`/networks/${slug}/members`, 303)
        },
      )
    },
  )

  await discussionRoutes(app, networks)
}
