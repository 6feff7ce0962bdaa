import { z } from 'zod'
import { handleForm } from '../../web/form-page.js'
import { requestMeta, requireUser } from '../../web/plugin.js'
import { idParam, idParams, queryText, type RequestWithParams, type ZodApp } from '../../web/route-schemas.js'
import type { ImprovementServices } from '../index.js'
import {
  actForm,
  closeForm,
  datesAsParts,
  doForm,
  pdsaBody,
  planEditForm,
  planForm,
  studyForm,
} from './forms.js'
import {
  CHANGE_IDEA_STATUS_LABELS,
  PDSA_DECISIONS,
  PDSA_DECISION_LABELS,
  PDSA_STAGE_ORDER,
  PDSA_STATUS_LABELS,
  PREDICTION_MET,
  PREDICTION_MET_LABELS,
  stageRefusal,
  type PdsaStage,
} from '../policy.js'
import type { CommentService } from '../../projects/comments.js'
import type { CurrentUser } from '../../core/identity.js'
import { deletePages, listOf, projectPath } from '../route-helpers.js'

/** The built-in QI coach's advice on one cycle (coach/ CoachService.forPdsa), passed by app.ts. */
export interface PdsaCoach {
  forPdsa(user: CurrentUser | null, projectId: string, pdsaId: string): Promise<unknown[]>
}

const pdsaParams = z.object({ id: idParam, pdsaId: idParam })
const newCycleQuery = z.object({ changeIdea: queryText })

const PLAN_ORDER = [
  'title',
  'changeIdeaId',
  'objective',
  'prediction',
  'planWho',
  'planWhat',
  'planWhen',
  'planWhere',
  'plannedDate',
  'dataToCollect',
  'measureIds',
]
const labels = {
  statusLabels: PDSA_STATUS_LABELS,
  decisionLabels: PDSA_DECISION_LABELS,
  metLabels: PREDICTION_MET_LABELS,
  ideaStatusLabels: CHANGE_IDEA_STATUS_LABELS,
  stages: PDSA_STAGE_ORDER,
  metItems: PREDICTION_MET.map((value) => ({ value, text: PREDICTION_MET_LABELS[value] })),
  decisionItems: PDSA_DECISIONS.map((value) => ({ value, text: PDSA_DECISION_LABELS[value] })),
}

/** PDSA cycles: plan → do → study → act → closed, and "adapt" opening the next cycle. */
export async function pdsaRoutes(
  app: ZodApp,
  {
    improvement,
    comments,
    coach,
  }: { improvement: ImprovementServices; comments: CommentService; coach?: PdsaCoach },
) {
  const { pdsa } = improvement
  const base = projectPath

  app.get('/projects/:id/pdsa', { schema: { params: idParams } }, async (request, reply) => {
    const view = await pdsa.list(request.user, request.params.id)
    return reply.page('improvement/views/pdsa-list.njk', {
      title: `PDSA cycles: ${view.project.title}`,
      ...view,
      ...labels,
    })
  })

  // ----- planning a new cycle -----

  const newContext = (request: RequestWithParams<typeof idParams>) => async () => {
    const options = await pdsa.planOptions(request.user, request.params.id)
    return { title: 'Plan a PDSA cycle', ...options, ...labels, action: `${base(request.params.id)}/pdsa` }
  }

  app.get(
    '/projects/:id/pdsa/new',
    { schema: { params: idParams, querystring: newCycleQuery } },
    async (request, reply) => {
      requireUser(request)
      const context = await newContext(request)()
      const changeIdeaId = request.query.changeIdea ?? ''
      return reply.page('improvement/views/pdsa-plan.njk', {
        ...context,
        values: { changeIdeaId, measureIds: [] },
      })
    },
  )

  app.post(
    '/projects/:id/pdsa',
    { schema: { params: idParams }, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      const body = pdsaBody(request.body)
      body.measureIds = listOf(body.measureIds)
      return handleForm(
        reply,
        {
          schema: planForm,
          body,
          template: 'improvement/views/pdsa-plan.njk',
          context: newContext(request),
          order: PLAN_ORDER,
        },
        async (data) => {
          const id = await pdsa.create(user, request.params.id, data, requestMeta(request).ip)
          return reply
            .flash(`The PDSA cycle “${data.title}” has been planned.`)
            .redirect(`${base(request.params.id)}/pdsa/${id}`, 303)
        },
      )
    },
  )

  // ----- one cycle -----

  app.get('/projects/:id/pdsa/:pdsaId', { schema: { params: pdsaParams } }, async (request, reply) => {
    const view = await pdsa.cycle(request.user, request.params.id, request.params.pdsaId)
    const path = `${base(request.params.id)}/pdsa/${view.cycle.id}`
    return reply.page('improvement/views/pdsa.njk', {
      title: view.cycle.title,
      ...view,
      advice: view.access.edit
        ? ((await coach?.forPdsa(request.user, view.project.id, view.cycle.id)) ?? [])
        : [],
      ...labels,
      comments: await comments.listComments('pdsa', view.cycle.id),
      commentTarget: {
        projectId: view.project.id,
        type: 'pdsa',
        id: view.cycle.id,
        returnTo: `${path}#comments`,
      },
      canComment: view.access.comment,
    })
  })

  const stageContext =
    (request: RequestWithParams<typeof pdsaParams>, stage: PdsaStage, title: string) => async () => {
      const view = await pdsa.cycle(request.user, request.params.id, request.params.pdsaId, 'edit')
      const extra = stage === 'plan' ? await pdsa.planOptions(request.user, request.params.id) : {}
      return {
        ...extra,
        ...view,
        ...labels,
        title,
        stage,
        refusal: stageRefusal(view.cycle.status, stage),
        action: `${base(request.params.id)}/pdsa/${view.cycle.id}/${stage}`,
      }
    }

  const stagePage = (
    stage: PdsaStage,
    template: string,
    title: string,
    valuesOf: (c: Awaited<ReturnType<typeof pdsa.cycle>>['cycle']) => Record<string, unknown>,
  ) => {
    app.get(
      `/projects/:id/pdsa/:pdsaId/${stage}`,
      { schema: { params: pdsaParams } },
      async (request, reply) => {
        requireUser(request)
        const context = await stageContext(request, stage, title)()
        return reply.page(template, {
          ...context,
          values: { ...valuesOf(context.cycle), version: context.cycle.version },
        })
      },
    )
  }

  stagePage('plan', 'improvement/views/pdsa-plan.njk', 'Change the plan', (c) => ({
    ...c,
    ...datesAsParts(c),
  }))
  stagePage('do', 'improvement/views/pdsa-do.njk', 'Do: carry out the test', (c) => ({
    doNotes: c.doNotes,
    ...datesAsParts(c),
  }))
  stagePage(
    'study',
    'improvement/views/pdsa-study.njk',
    'Study: compare the results with the prediction',
    (c) => ({ findings: c.findings, predictionMet: c.predictionMet }),
  )
  stagePage('act', 'improvement/views/pdsa-act.njk', 'Act: adopt, adapt or abandon', (c) => ({
    decision: c.decision,
    decisionReason: c.decisionReason,
  }))

  app.post('/projects/:id/pdsa/:pdsaId/plan', { schema: { params: pdsaParams } }, async (request, reply) => {
    const user = requireUser(request)
    const body = pdsaBody(request.body)
    body.measureIds = listOf(body.measureIds)
    return handleForm(
      reply,
      {
        schema: planEditForm,
        body,
        template: 'improvement/views/pdsa-plan.njk',
        context: stageContext(request, 'plan', 'Change the plan'),
        order: PLAN_ORDER,
      },
      async (data) => {
        await pdsa.editPlan(user, request.params.id, request.params.pdsaId, data, requestMeta(request).ip)
        return reply
          .flash('The plan has been saved.')
          .redirect(`${base(request.params.id)}/pdsa/${request.params.pdsaId}`, 303)
      },
    )
  })

  app.post('/projects/:id/pdsa/:pdsaId/do', { schema: { params: pdsaParams } }, async (request, reply) => {
    const user = requireUser(request)
    const body = pdsaBody(request.body)
    return handleForm(
      reply,
      {
        schema: doForm,
        body,
        template: 'improvement/views/pdsa-do.njk',
        context: stageContext(request, 'do', 'Do: carry out the test'),
        order: ['doNotes', 'doStart', 'doEnd'],
      },
      async (data) => {
        await pdsa.recordDo(user, request.params.id, request.params.pdsaId, data, requestMeta(request).ip)
        return reply
          .flash('What happened in the test has been saved.')
          .redirect(`${base(request.params.id)}/pdsa/${request.params.pdsaId}`, 303)
      },
    )
  })

  app.post('/projects/:id/pdsa/:pdsaId/study', { schema: { params: pdsaParams } }, async (request, reply) => {
    const user = requireUser(request)
    return handleForm(
      reply,
      {
        schema: studyForm,
        body: request.body,
        template: 'improvement/views/pdsa-study.njk',
        context: stageContext(request, 'study', 'Study: compare the results with the prediction'),
        order: ['findings', 'predictionMet'],
      },
      async (data) => {
        await pdsa.recordStudy(user, request.params.id, request.params.pdsaId, data, requestMeta(request).ip)
        return reply
          .flash('The findings have been saved. When the team has discussed them, decide what to do next.')
          .redirect(`${base(request.params.id)}/pdsa/${request.params.pdsaId}`, 303)
      },
    )
  })

  app.post('/projects/:id/pdsa/:pdsaId/act', { schema: { params: pdsaParams } }, async (request, reply) => {
    const user = requireUser(request)
    return handleForm(
      reply,
      {
        schema: actForm,
        body: request.body,
        template: 'improvement/views/pdsa-act.njk',
        context: stageContext(request, 'act', 'Act: adopt, adapt or abandon'),
        order: ['decision', 'decisionReason'],
      },
      async (data) => {
        const result = await pdsa.decide(
          user,
          request.params.id,
          request.params.pdsaId,
          data,
          requestMeta(request).ip,
        )
        const idea = `The change idea “${result.changeIdeaTitle}” is now marked ${CHANGE_IDEA_STATUS_LABELS[result.changeIdeaStatus].toLowerCase()}.`
        if (result.nextId) {
          return reply
            .flash(
              `You decided to adapt. The next cycle has been opened with this cycle’s plan copied: update the plan and your prediction for the next test. ${idea}`,
            )
            .redirect(`${base(request.params.id)}/pdsa/${result.nextId}/plan`, 303)
        }
        return reply
          .flash(`You decided to ${result.decision}. ${idea}`)
          .redirect(`${base(request.params.id)}/pdsa/${request.params.pdsaId}`, 303)
      },
    )
  })

  app.post('/projects/:id/pdsa/:pdsaId/close', { schema: { params: pdsaParams } }, async (request, reply) => {
    const user = requireUser(request)
    const parsed = closeForm.safeParse(request.body)
    const version = parsed.success ? parsed.data.version : -1
    await pdsa.close(user, request.params.id, request.params.pdsaId, version, requestMeta(request).ip)
    return reply
      .flash('The cycle has been closed.')
      .redirect(`${base(request.params.id)}/pdsa/${request.params.pdsaId}`, 303)
  })

  const deleteCycle = deletePages({
    template: 'improvement/views/pdsa-delete.njk',
    context: async (request: RequestWithParams<typeof pdsaParams>) => {
      const view = await pdsa.cycle(request.user, request.params.id, request.params.pdsaId, 'edit')
      return { title: 'Delete the planned cycle', ...view, ...labels }
    },
    version: (context) => context.cycle.version,
    remove: (user, p, version, ip) => pdsa.delete(user, p.id, p.pdsaId, version, ip),
    done: (gone, p) => ({
      flash: `The planned cycle “${gone.title}” has been deleted.`,
      to: `${base(p.id)}/pdsa`,
    }),
  })
  const deletePath = '/projects/:id/pdsa/:pdsaId/delete'
  app.get(deletePath, { schema: { params: pdsaParams } }, deleteCycle.page)
  app.post(deletePath, { schema: { params: pdsaParams } }, deleteCycle.confirm)
}
