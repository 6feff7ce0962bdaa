import type { Need } from './access.js'
import { z } from 'zod'
import type { ProjectServices } from './index.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../core/errors.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { idParam, idParams, type RequestWithParams, type ZodApp } from '../web/route-schemas.js'
import { publicationForm, transitionForm, visibilityForm } from './forms.js'
import {
  availableActions,
  isProjectAction,
  refusal,
  STATUS_LABELS,
  TRANSITIONS,
  type ProjectAction,
} from './lifecycle.js'
import { VISIBILITIES, VISIBILITY_LABELS, isRegistered } from './policy.js'
import { labels, projectForm, projectNeeds } from './route-helpers.js'

// Any text: an action that is not one of the project's is "not found", as before schemas.
const transitionParams = z.object({ id: idParam, action: z.string() })
type ProjectRequest = RequestWithParams<typeof idParams>
type TransitionRequest = RequestWithParams<typeof transitionParams>

const actionOf = (request: TransitionRequest): ProjectAction => {
  const { action } = request.params
  if (!isProjectAction(action)) throw new NotFoundError()
  return action
}

const FLASH: Record<ProjectAction, string> = {
  submit:
    'Your project has been submitted for registration. The QI coaches and the Steering Group have been e-mailed.',
  approve: 'The project is registered and active. Its leads have been e-mailed.',
  return: 'The project has been returned with your comments. Its leads have been e-mailed.',
  revise: 'The project is a draft again: make the changes asked for, then submit it again.',
  hold: 'The project is on hold.',
  resume: 'The project is active again.',
  sustain: 'The project is now sustaining its gains.',
  complete: 'The project is completed. Thank you for sharing what you learnt.',
  archive: 'The project has been archived.',
  abandon: 'The project has been abandoned. Its reason and lessons are kept for others to learn from.',
}

/** The services these routes use: app.ts passes only these. */
export interface ProjectsStatusRouteServices {
  projects: ProjectServices
}

/** Status changes, visibility, publication approval, and the coaches' review queue. */
export async function projectStatusRoutes(
  app: ZodApp,
  { services }: { services: ProjectsStatusRouteServices },
) {
  const { projects, lifecycle } = services.projects
  const needs = (need: Need) => projectNeeds(services.projects.projects, need)

  app.get('/projects/review', async (request, reply) => {
    const user = requireUser(request)
    const queue = await lifecycle.reviewQueue(user)
    return reply.page('projects/views/review.njk', { title: 'Waiting for registration', ...queue, ...labels })
  })

  app.get('/projects/:id/status', { schema: { params: idParams } }, async (request, reply) => {
    const { project, access } = await projects.load(request.user, request.params.id, 'view')
    const actions = availableActions(project.status, access)
    if (!access.manage && !access.approve)
      throw new ForbiddenError('Only the project leads can change its status')
    return reply.page('projects/views/status.njk', {
      title: `Status: ${project.title}`,
      project,
      access,
      actions,
      transitions: TRANSITIONS,
      ...labels,
    })
  })

  const transitionContext = (request: TransitionRequest) => async () => {
    const action = actionOf(request)
    const t = TRANSITIONS[action]
    const { project, access } = await projects.load(request.user, request.params.id, 'view')
    if (!access[t.by])
      throw new ForbiddenError(
        t.by === 'approve'
          ? 'Only a QI coach or a Steering Group member can do this'
          : 'Only the project leads can do this',
      )
    const refused = refusal(action, project.status)
    if (refused) throw new ConflictError(refused, 'status')
    return {
      title: t.label,
      project,
      access,
      action,
      transition: t,
      readiness: action === 'submit' ? await lifecycle.readiness(project.id) : null,
      ...labels,
    }
  }

  app.get(
    '/projects/:id/status/:action',
    { schema: { params: transitionParams } },
    async (request, reply) => {
      const context = await transitionContext(request)()
      return reply.page('projects/views/transition.njk', {
        ...context,
        values: { version: context.project.version, lessons: context.project.lessons },
      })
    },
  )

  app.post(
    '/projects/:id/status/:action',
    { schema: { params: transitionParams }, preHandler: needs('view') },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      const action = actionOf(request)
      return projectForm(
        reply,
        {
          schema: transitionForm,
          body: request.body,
          template: 'projects/views/transition.njk',
          context: transitionContext(request),
          order: ['problem', 'aim', 'note', 'lessons'],
        },
        async (data) => {
          const to = await lifecycle.transition(user, id, action, data, requestMeta(request).ip)
          return reply
            .flash(FLASH[action] ?? `The project is now ${STATUS_LABELS[to].toLowerCase()}.`)
            .redirect(`/projects/${id}`, 303)
        },
      )
    },
  )

  // ----- visibility -----

  const visibilityContext = (request: ProjectRequest) => async () => {
    const { project, access } = await projects.load(request.user, request.params.id, 'manage')
    return {
      title: `Who can see ${project.title}`,
      project,
      access,
      registered: isRegistered(project.status),
      visibilityItems: VISIBILITIES.map((v) => ({ value: v, text: VISIBILITY_LABELS[v] })),
      ...labels,
    }
  }

  app.get('/projects/:id/visibility', { schema: { params: idParams } }, async (request, reply) => {
    const context = await visibilityContext(request)()
    return reply.page('projects/views/visibility.njk', {
      ...context,
      values: { visibility: context.project.visibility, version: context.project.version },
    })
  })

  app.post(
    '/projects/:id/visibility',
    { schema: { params: idParams }, preHandler: needs('manage') },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return projectForm(
        reply,
        {
          schema: visibilityForm,
          body: request.body,
          template: 'projects/views/visibility.njk',
          context: visibilityContext(request),
          order: ['visibility', 'consent'],
        },
        async (data) => {
          const { pending } = await lifecycle.setVisibility(user, id, data, requestMeta(request).ip)
          const message = pending
            ? 'You have asked for the project to be made public. Until a QI coach or the Steering Group approves it, community members can see it.'
            : `Who can see the project has been changed: ${VISIBILITY_LABELS[data.visibility].split(':')[0].toLowerCase()}.`
          return reply.flash(message).redirect(`/projects/${id}`, 303)
        },
      )
    },
  )

  // ----- publication approval (coaches, Steering Group) -----

  const publicationContext = (request: ProjectRequest) => async () => {
    const { project, access } = await projects.load(request.user, request.params.id, 'approve')
    if (project.visibility !== 'public' || project.publicApprovedAt)
      throw new ConflictError('This project is not waiting for approval to be made public', 'visibility')
    return { title: `Make ${project.title} public?`, project, access, ...labels }
  }

  app.get('/projects/:id/publication', { schema: { params: idParams } }, async (request, reply) => {
    const context = await publicationContext(request)()
    return reply.page('projects/views/publication.njk', {
      ...context,
      values: { version: context.project.version },
    })
  })

  app.post(
    '/projects/:id/publication',
    { schema: { params: idParams }, preHandler: needs('approve') },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return projectForm(
        reply,
        {
          schema: publicationForm,
          body: request.body,
          template: 'projects/views/publication.njk',
          context: publicationContext(request),
          order: ['decision', 'note'],
        },
        async (data) => {
          await lifecycle.decidePublication(user, id, data, requestMeta(request).ip)
          return reply
            .flash(
              data.decision === 'approve'
                ? 'The project is now public. Its leads have been e-mailed.'
                : 'Publication declined; the project stays visible to community members. Its leads have been e-mailed.',
            )
            .redirect('/projects/review', 303)
        },
      )
    },
  )
}
