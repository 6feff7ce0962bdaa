import type { Need } from './access.js'
import type { ProjectServices } from './index.js'
import type { PeopleService } from '../people/service.js'
import { hasRole, type CurrentUser } from '../core/identity.js'
import { pagination } from '../web/pagination.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { formBody, idParams, type RequestWithParams, type ZodApp } from '../web/route-schemas.js'
import { ValidationError } from '../core/errors.js'
import {
  commentForm,
  detailsForm,
  listQuery,
  newProjectForm,
  pageQuery,
  similarDraftForm,
  versionForm,
} from './forms.js'
import { errorList, fieldErrors } from '../web/forms.js'
import { PROJECT_STATUSES } from './policy.js'
import { QSIR_STAGES, RESEARCH_ANSWERS, TRANSITIONS, progressScoreLabel } from './lifecycle.js'
import { labels, listOf, projectForm, projectNeeds } from './route-helpers.js'
import { projectContentRoutes } from './routes-content.js'
import { projectStatusRoutes } from './routes-status.js'
import { projectTeamRoutes } from './routes-team.js'
import { TEAM_ROLE_LABELS } from './team-service.js'
import { safeNext } from '../web/safe-path.js'

const PAGE_SIZE = 20
type ProjectRequest = RequestWithParams<typeof idParams>

/** Previous and next links; "page n of m" only when the list was counted to the end. */
function pagerFor(params: URLSearchParams, page: number, result: { total: number; totalIsExact: boolean }) {
  const pager = pagination('/projects', params, page, PAGE_SIZE, result.total)
  if (result.totalIsExact) return pager
  return {
    ...pager,
    previous: pager.previous ? { ...pager.previous, labelText: `Page ${page - 1}` } : undefined,
    next: pager.next ? { ...pager.next, labelText: `Page ${page + 1}` } : undefined,
  }
}
const qsirItems = Object.entries(QSIR_STAGES).map(([value, text]) => ({ value, text }))

/** The services these routes use: app.ts passes only these. */
export interface ProjectsRouteServices {
  projects: ProjectServices
  people: PeopleService
  /** The resources library's guides for a QSIR stage (resources/ ResourceService.forStage); none without it. */
  resources?: { forStage(stage: string): Promise<{ href: string; title: string; summary: string }[]> }
  /** "Similar projects" (showcase/ SimilarService), ranked over the projects the viewer may see. */
  similar?: {
    forProject(user: CurrentUser | null, id: string): Promise<SimilarItem[]>
    forDraft(user: CurrentUser | null, draft: { title: string; problem: string }): Promise<SimilarItem[]>
  }
  /** The built-in QI coach's advice (coach/ CoachService): none for those who may not change the project. */
  coach?: { forProject(user: CurrentUser | null, id: string): Promise<unknown[]> }
}

interface SimilarItem {
  id: string
  title: string
  reasons: string[]
}

/** Improvement projects: the list, creating one, its overview, details, activity, comments and deleting it. */
export async function projectRoutes(app: ZodApp, { services }: { services: ProjectsRouteServices }) {
  const { projects, comments } = services.projects
  const needs = (need: Need) => projectNeeds(services.projects.projects, need)

  app.get('/projects', { schema: { querystring: listQuery } }, async (request, reply) => {
    const query = request.query
    if (query.mine) requireUser(request)
    const [result, options] = await Promise.all([
      projects.list(
        request.user,
        {
          q: query.q,
          status: query.status,
          organisationId: query.organisation,
          programmeId: query.programme,
          aimCode: query.aim,
          priorityId: query.priority,
          mine: query.mine,
          page: query.page,
          pageSize: PAGE_SIZE,
        },
        request.readFrom,
      ),
      projects.filterOptions(request.readFrom),
    ])
    const params = new URLSearchParams()
    for (const key of ['q', 'status', 'organisation', 'programme', 'aim', 'priority'] as const)
      if (query[key]) params.set(key, query[key])
    if (query.mine) params.set('mine', '1')
    // The filters' options, built here: a Nunjucks loop of `set`s costs more than the page's query.
    const items = (any: string, list: { value: string; text: string }[], chosen: string | undefined) => [
      { value: '', text: any },
      ...list.map((o) => ({ ...o, selected: o.value === chosen })),
    ]
    const named = (list: { id: string; name: string }[]) => list.map((o) => ({ value: o.id, text: o.name }))
    const filterItems = {
      status: items(
        'Any status',
        PROJECT_STATUSES.map((s) => ({ value: s, text: labels.statusLabels[s] })),
        query.status,
      ),
      organisation: items('Any organisation', named(options.organisations), query.organisation),
      programme: items('Any programme', named(options.programmes), query.programme),
      aim: items(
        'Any aim',
        options.aims.map((a) => ({ value: a.code, text: `${a.code} (${a.group})` })),
        query.aim,
      ),
      priority: items('Any system priority', named(options.priorities), query.priority),
    }
    const filtersHtml = await app.fragment('projects/views/_filters.njk', {
      query: { q: query.q ?? '', mine: Boolean(query.mine) },
      filterItems,
    })
    return reply.page('projects/views/list.njk', {
      title: query.mine ? 'My projects' : 'Improvement projects',
      query,
      result,
      filtersHtml,
      pager: pagerFor(params, query.page, result),
      ...labels,
      progressScoreLabel,
      canReview: hasRole(request.user, 'coach') || hasRole(request.user, 'steering_group'),
    })
  })

  const newContext = async () => ({
    title: 'Start a project',
    organisations: (await projects.filterOptions()).organisations,
  })

  app.get('/projects/new', async (request, reply) => {
    const user = requireUser(request)
    return reply.page('projects/views/new.njk', {
      ...(await newContext()),
      values: { organisationIds: user.organisationId ? [user.organisationId] : [] },
    })
  })

  app.post(
    '/projects',
    { schema: { body: formBody }, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      const body = { ...request.body, organisationIds: listOf(request.body.organisationIds) }
      return projectForm(
        reply,
        {
          schema: newProjectForm,
          body,
          template: 'projects/views/new.njk',
          context: newContext,
          order: ['title', 'problem', 'organisationIds'],
        },
        async (data) => {
          const id = await projects.create(user, data, requestMeta(request).ip)
          return reply
            .flash(
              'Your project has been started as a private draft. Write its aim, build the team, then submit it for registration.',
            )
            .redirect(`/projects/${id}`, 303)
        },
      )
    },
  )

  // Before a project exists: the new-project form again with the projects like it (nothing is
  // stored). A plain form post without JavaScript; app.js asks for the list alone as it is typed.
  app.post(
    '/projects/similar',
    { schema: { body: formBody }, config: { once: false } },
    async (request, reply) => {
      const user = requireUser(request)
      const parsed = similarDraftForm.safeParse(request.body)
      const draft = parsed.success ? parsed.data : { title: '', problem: '' }
      const errors = parsed.success ? {} : fieldErrors(parsed.error)
      const similar =
        parsed.success && (draft.title || draft.problem)
          ? ((await services.similar?.forDraft(user, draft)) ?? [])
          : []
      if (request.headers['x-fragment'] === 'similar')
        return reply.page('projects/views/_similar.njk', { similar, similarChecked: true })
      const { _csrf: _token, ...values }: Record<string, unknown> = {
        ...request.body,
        organisationIds: listOf(request.body.organisationIds),
      }
      return reply.page(
        'projects/views/new.njk',
        {
          ...(await newContext()),
          values,
          similar,
          similarChecked: true,
          errors,
          errorItems: errorList(errors),
        },
        Object.keys(errors).length ? 400 : 200,
      )
    },
  )

  app.get('/projects/:id', { schema: { params: idParams } }, async (request, reply) => {
    const id = request.params.id
    const view = await projects.overview(request.user, id)
    return reply.page('projects/views/overview.njk', {
      title: view.project.title,
      ...view,
      stageGuides: (await services.resources?.forStage(view.project.qsirStage)) ?? [],
      similar: (await services.similar?.forProject(request.user, id)) ?? [],
      advice: view.access.edit ? ((await services.coach?.forProject(request.user, id)) ?? []) : [],
      comments: await comments.listComments('project', id),
      commentTarget: { projectId: id, type: 'project', id, returnTo: `/projects/${id}#comments` },
      canComment: view.access.comment,
      ...labels,
      transitions: TRANSITIONS,
      teamRoleLabels: TEAM_ROLE_LABELS,
      qsirStages: QSIR_STAGES,
      researchAnswers: RESEARCH_ANSWERS,
      progressLabel: progressScoreLabel(view.project.progressScore),
    })
  })

  // ----- details -----

  const detailsContext = (request: ProjectRequest) => async () => {
    const { project } = await projects.load(request.user, request.params.id, 'edit')
    return {
      title: `Edit the details of ${project.title}`,
      project,
      ...(await projects.filterOptions()),
      qsirItems,
    }
  }

  app.get('/projects/:id/edit', { schema: { params: idParams } }, async (request, reply) => {
    const { values } = await projects.detailsForEdit(request.user, request.params.id)
    return reply.page('projects/views/edit.njk', { ...(await detailsContext(request)()), values })
  })

  app.post(
    '/projects/:id/edit',
    { schema: { params: idParams }, preHandler: needs('edit') },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      const raw = (request.body ?? {}) as Record<string, unknown>
      const body = {
        ...raw,
        organisationIds: listOf(raw.organisationIds),
        priorityIds: listOf(raw.priorityIds),
        aimCodes: listOf(raw.aimCodes),
      }
      return projectForm(
        reply,
        {
          schema: detailsForm,
          body,
          template: 'projects/views/edit.njk',
          context: detailsContext(request),
          order: [
            'title',
            'problem',
            'organisationIds',
            'programmeId',
            'priorityIds',
            'aimCodes',
            'qsirStage',
          ],
        },
        async (data) => {
          await projects.updateDetails(user, id, data, requestMeta(request).ip)
          return reply.flash('The project’s details have been saved.').redirect(`/projects/${id}`, 303)
        },
      )
    },
  )

  // ----- deleting (leads of drafts, platform admins) -----

  const deleteContext = (request: ProjectRequest) => async () => {
    const { project } = await projects.load(request.user, request.params.id, 'delete')
    return { title: `Delete ${project.title}?`, project }
  }

  app.get('/projects/:id/delete', { schema: { params: idParams } }, async (request, reply) => {
    const context = await deleteContext(request)()
    return reply.page('projects/views/delete.njk', {
      ...context,
      values: { version: context.project.version },
    })
  })

  app.post(
    '/projects/:id/delete',
    { schema: { params: idParams }, preHandler: needs('delete') },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return projectForm(
        reply,
        {
          schema: versionForm,
          body: request.body,
          template: 'projects/views/delete.njk',
          context: deleteContext(request),
        },
        async (data) => {
          const title = await projects.deleteProject(user, id, data.version, requestMeta(request).ip)
          return reply.flash(`“${title}” has been deleted.`).redirect('/projects?mine=1', 303)
        },
      )
    },
  )

  // ----- activity and comments -----

  app.get(
    '/projects/:id/activity',
    { schema: { params: idParams, querystring: pageQuery } },
    async (request, reply) => {
      const id = request.params.id
      const { page } = request.query
      const { project, access, items } = await projects.activity(request.user, id, {
        limit: PAGE_SIZE + 1,
        offset: (page - 1) * PAGE_SIZE,
      })
      return reply.page('projects/views/activity.njk', {
        title: `Activity: ${project.title}`,
        project,
        access,
        items: items.slice(0, PAGE_SIZE),
        page,
        previous: page > 1 ? `/projects/${id}/activity${page > 2 ? `?page=${page - 1}` : ''}` : null,
        next: items.length > PAGE_SIZE ? `/projects/${id}/activity?page=${page + 1}` : null,
        ...labels,
      })
    },
  )

  app.post(
    '/projects/:id/comments',
    { schema: { params: idParams }, preHandler: needs('comment'), config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      const parsed = commentForm.safeParse(request.body ?? {})
      const raw = (request.body ?? {}) as Record<string, unknown>
      const fallback = `/projects/${id}#comments`
      const safe = safeNext(raw.returnTo, fallback)
      const returnTo = safe.startsWith(`/projects/${id}`) ? safe : fallback
      const targetType = parsed.success ? parsed.data.targetType : 'project'
      const targetId = parsed.success && parsed.data.targetId ? parsed.data.targetId : id
      const body = parsed.success ? parsed.data.body : ''
      try {
        const result = await comments.addComment(
          user,
          { projectId: id, targetType, targetId, body, link: returnTo },
          requestMeta(request).ip,
        )
        const who = result.mentioned.length ? ` We have e-mailed ${result.mentioned.join(', ')}.` : ''
        return reply.flash(`Your comment has been added.${who}`).redirect(returnTo, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const { project } = await projects.load(request.user, id, 'view')
        return reply.page(
          'projects/views/comment-error.njk',
          {
            title: 'Your comment could not be added',
            project,
            commentTarget: { projectId: id, type: targetType, id: targetId, returnTo },
            canComment: true,
            comments: [],
            values: { body: typeof raw.body === 'string' ? raw.body : '' },
            errors: error.fields,
            errorItems: Object.entries(error.fields).map(([, text]) => ({ text, href: '#comment-body' })),
          },
          400,
        )
      }
    },
  )

  await app.register(projectTeamRoutes, { services })
  await app.register(projectStatusRoutes, { services })
  await app.register(projectContentRoutes, { services })
}
