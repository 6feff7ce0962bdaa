import type { Need } from './access.js'
import { z } from 'zod'
import type { ProjectServices } from './index.js'
import type { PeopleService } from '../people/service.js'
import { NotFoundError } from '../core/errors.js'
import { optionalPlainText } from '../web/forms.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { idParam, idParams, type RequestWithParams, type ZodApp } from '../web/route-schemas.js'
import { teamAddForm, teamRoleForm, versionForm } from './forms.js'
import { TEAM_ROLES } from './policy.js'
import { labels, projectForm, projectNeeds } from './route-helpers.js'
import { TEAM_ROLE_LABELS } from './team-service.js'

const roleItems = TEAM_ROLES.map((r) => ({ value: r, text: TEAM_ROLE_LABELS[r] }))
const directoryQuery = z.object({ q: optionalPlainText('search', 100).catch('') })
const memberParams = z.object({ id: idParam, userId: idParam })
/** The team page and its forms, which show the directory search of `?q=` when re-rendered. */
type TeamRequest = RequestWithParams<typeof idParams> & { query: z.output<typeof directoryQuery> }
type MemberRequest = RequestWithParams<typeof memberParams>

/** The services these routes use: app.ts passes only these. */
export interface ProjectsTeamRouteServices {
  projects: ProjectServices
  people: PeopleService
}

/** The team page: who is on it, adding people by e-mail or from the directory, roles, removing. */
export async function projectTeamRoutes(app: ZodApp, { services }: { services: ProjectsTeamRouteServices }) {
  const { team } = services.projects
  const needs = (need: Need) => projectNeeds(services.projects.projects, need)

  const teamContext = (request: TeamRequest) => async () => {
    const view = await team.team(request.user, request.params.id)
    const { q } = request.query
    const found =
      q && view.access.manage
        ? (await services.people.directory(request.user, { q, page: 1, pageSize: 10 })).items.filter(
            (c) => !view.team.some((m) => m.userId === c.id),
          )
        : []
    return {
      title: `Team: ${view.project.title}`,
      ...view,
      q,
      found,
      roleItems,
      teamRoleLabels: TEAM_ROLE_LABELS,
      ...labels,
    }
  }

  app.get(
    '/projects/:id/team',
    { schema: { params: idParams, querystring: directoryQuery } },
    async (request, reply) => {
      const context = await teamContext(request)()
      return reply.page('projects/views/team.njk', {
        ...context,
        values: { role: 'member', version: context.project.version },
      })
    },
  )

  app.post(
    '/projects/:id/team',
    { schema: { params: idParams, querystring: directoryQuery }, preHandler: needs('manage') },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return projectForm(
        reply,
        {
          schema: teamAddForm,
          body: request.body,
          template: 'projects/views/team.njk',
          context: teamContext(request),
          order: ['email', 'role'],
        },
        async (data) => {
          const { name } = await team.add(user, id, data, requestMeta(request).ip)
          return reply
            .flash(`${name} has been added to the team and e-mailed.`)
            .redirect(`/projects/${id}/team`, 303)
        },
      )
    },
  )

  app.post(
    '/projects/:id/team/:userId/role',
    { schema: { params: memberParams, querystring: directoryQuery }, preHandler: needs('manage') },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return projectForm(
        reply,
        {
          schema: teamRoleForm,
          body: request.body,
          template: 'projects/views/team.njk',
          context: teamContext(request),
          order: ['role'],
        },
        async (data) => {
          await team.changeRole(
            user,
            id,
            request.params.userId,
            data.role,
            data.version,
            requestMeta(request).ip,
          )
          return reply.flash('The role has been changed.').redirect(`/projects/${id}/team`, 303)
        },
      )
    },
  )

  const removeContext = (request: MemberRequest) => async () => {
    await services.projects.projects.load(request.user, request.params.id, 'manage')
    const view = await team.team(request.user, request.params.id)
    const member = view.team.find((m) => m.userId === request.params.userId)
    if (!member) throw new NotFoundError('That person is not on the team')
    return {
      title: `Remove ${member.name} from the team?`,
      project: view.project,
      member,
      teamRoleLabels: TEAM_ROLE_LABELS,
    }
  }

  app.get(
    '/projects/:id/team/:userId/remove',
    { schema: { params: memberParams } },
    async (request, reply) => {
      const context = await removeContext(request)()
      return reply.page('projects/views/team-remove.njk', {
        ...context,
        values: { version: context.project.version },
      })
    },
  )

  app.post(
    '/projects/:id/team/:userId/remove',
    { schema: { params: memberParams }, preHandler: needs('manage') },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return projectForm(
        reply,
        {
          schema: versionForm,
          body: request.body,
          template: 'projects/views/team-remove.njk',
          context: removeContext(request),
          order: ['role'],
        },
        async (data) => {
          const { name } = await team.remove(
            user,
            id,
            request.params.userId,
            data.version,
            requestMeta(request).ip,
          )
          return reply.flash(`${name} has been removed from the team.`).redirect(`/projects/${id}/team`, 303)
        },
      )
    },
  )
}
