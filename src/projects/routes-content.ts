import type { Need } from './access.js'
import type { ProjectServices } from './index.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { idParams, type RequestWithParams, type ZodApp } from '../web/route-schemas.js'
import { aimForm, progressForm, researchForm } from './forms.js'
import { progressScoreLabel, RESEARCH_ANSWERS } from './lifecycle.js'
import { labels, projectForm, projectNeeds } from './route-helpers.js'
import { composeAimStatement, PROGRESS_ITEMS } from './service.js'

type ProjectRequest = RequestWithParams<typeof idParams>

const researchItems = Object.entries(RESEARCH_ANSWERS).map(([value, text]) => ({ value, text }))
const AIM_ORDER = ['what', 'measure', 'baseline', 'target', 'forWhom', 'byWhen']

/** The services these routes use: app.ts passes only these. */
export interface ProjectsContentRouteServices {
  projects: ProjectServices
}

/** The SMART aim builder and its versions, the IHI progress score, and the QI-or-research check. */
export async function projectContentRoutes(
  app: ZodApp,
  { services }: { services: ProjectsContentRouteServices },
) {
  const { projects } = services.projects
  const needs = (need: Need) => projectNeeds(services.projects.projects, need)

  // ----- aim -----

  const aimContext = (request: ProjectRequest) => async () => {
    const { project, access, aim } = await projects.aim(request.user, request.params.id)
    return { title: `Aim: ${project.title}`, project, access, aim, ...labels }
  }

  app.get('/projects/:id/aim', { schema: { params: idParams } }, async (request, reply) => {
    const context = await aimContext(request)()
    const a = context.aim
    const values = a
      ? {
          what: a.what,
          measure: a.measure,
          baseline: a.baseline,
          target: a.target,
          forWhom: a.forWhom,
          byWhen: a.byWhen,
          aimVersion: a.version,
        }
      : { aimVersion: 0 }
    return reply.page('projects/views/aim.njk', { ...context, values, preview: a?.statement ?? null })
  })

  app.post(
    '/projects/:id/aim',
    { schema: { params: idParams }, preHandler: needs('edit') },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return projectForm(
        reply,
        {
          schema: aimForm,
          body: request.body,
          template: 'projects/views/aim.njk',
          context: aimContext(request),
          order: AIM_ORDER,
        },
        async (data) => {
          if (data.intent === 'preview') {
            // Without JavaScript, "Preview" shows the composed statement before saving.
            await projects.load(user, id, 'edit')
            return reply.page('projects/views/aim.njk', {
              ...(await aimContext(request)()),
              values: request.body,
              preview: composeAimStatement(data),
              previewOnly: true,
            })
          }
          const version = await projects.saveAim(user, id, data, requestMeta(request).ip)
          return reply.flash(`Version ${version} of the aim has been saved.`).redirect(`/projects/${id}`, 303)
        },
      )
    },
  )

  app.get('/projects/:id/aim/history', { schema: { params: idParams } }, async (request, reply) => {
    const view = await projects.aimHistory(request.user, request.params.id)
    return reply.page('projects/views/aim-history.njk', {
      title: `Versions of the aim: ${view.project.title}`,
      ...view,
      ...labels,
    })
  })

  // ----- progress score -----

  const progressContext = (request: ProjectRequest) => async () => {
    const view = await projects.progress(request.user, request.params.id)
    return {
      title: `Progress score: ${view.project.title}`,
      ...view,
      progressItems: PROGRESS_ITEMS,
      progressScoreLabel,
      ...labels,
    }
  }

  app.get('/projects/:id/progress', { schema: { params: idParams } }, async (request, reply) => {
    const context = await progressContext(request)()
    const score = context.project.progressScore
    return reply.page('projects/views/progress.njk', {
      ...context,
      values: { score: score === null ? '' : score.toFixed(1), version: context.project.version },
    })
  })

  app.post(
    '/projects/:id/progress',
    { schema: { params: idParams }, preHandler: needs('manage') },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return projectForm(
        reply,
        {
          schema: progressForm,
          body: request.body,
          template: 'projects/views/progress.njk',
          context: progressContext(request),
          order: ['score', 'note'],
        },
        async (data) => {
          await projects.setProgress(user, id, data, requestMeta(request).ip)
          return reply
            .flash(`The progress score is now ${progressScoreLabel(data.score)}.`)
            .redirect(`/projects/${id}/progress`, 303)
        },
      )
    },
  )

  // ----- QI or research -----

  const researchContext = (request: ProjectRequest) => async () => {
    const { project, access } = await projects.load(request.user, request.params.id, 'view')
    return {
      title: `QI or research: ${project.title}`,
      project,
      access,
      researchItems,
      researchAnswers: RESEARCH_ANSWERS,
      ...labels,
    }
  }

  app.get('/projects/:id/research', { schema: { params: idParams } }, async (request, reply) => {
    const context = await researchContext(request)()
    const p = context.project
    return reply.page('projects/views/research.njk', {
      ...context,
      values: { answer: p.researchAnswer ?? '', notes: p.researchNotes, version: p.version },
    })
  })

  app.post(
    '/projects/:id/research',
    { schema: { params: idParams }, preHandler: needs('edit') },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return projectForm(
        reply,
        {
          schema: researchForm,
          body: request.body,
          template: 'projects/views/research.njk',
          context: researchContext(request),
          order: ['answer', 'notes'],
        },
        async (data) => {
          await projects.setResearch(user, id, data, requestMeta(request).ip)
          const message =
            data.answer === 'research'
              ? 'Saved. This project counts as research: it must go to Research and Development (R&D) for approval before it goes further.'
              : 'The QI-or-research check has been saved.'
          return reply.flash(message).redirect(`/projects/${id}`, 303)
        },
      )
    },
  )
}
