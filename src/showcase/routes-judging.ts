import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { ValidationError } from '../core/errors.js'
import { handleForm } from '../web/form-page.js'
import { errorList } from '../web/forms.js'
import { guard } from '../web/guard.js'
import { requireUser } from '../web/plugin.js'
import { idParam, idParams, type ZodApp } from '../web/route-schemas.js'
import { criterionForm, judgeForm } from './forms.js'
import type { ShowcaseService } from './service.js'

const template = 'showcase/views/judging.njk'
const judgeParams = z.object({ id: idParam, userId: idParam })
const criterionParams = z.object({ id: idParam, criterionId: idParam })
const itemParams = z.object({ id: idParam, itemId: idParam })

/** An occasion's judging panel: judges and criteria (Steering Group), scores (the judges). */
export function judgingRoutes(app: ZodApp, showcase: ShowcaseService) {
  const judging = showcase.judging
  const ip = (request: FastifyRequest) => request.ip
  const panelGuard = guard((user, r) => judging.mayOpen(user, (r.params as { id: string }).id))
  const context = async (request: FastifyRequest, id: string) => {
    const panel = await judging.panel(requireUser(request), id)
    return { title: `Judging: ${panel.occasion.title}`, ...panel }
  }
  const url = (id: string) => `/showcase/occasions/${id}/judging`

  app.get(
    '/showcase/occasions/:id/judging',
    { schema: { params: idParams }, preHandler: panelGuard },
    async (request, reply) => reply.page(template, await context(request, request.params.id)),
  )

  app.post(
    '/showcase/occasions/:id/judges',
    { schema: { params: idParams }, preHandler: panelGuard },
    async (request, reply) => {
      const id = request.params.id
      return handleForm(
        reply,
        {
          schema: judgeForm,
          body: request.body,
          template,
          context: () => context(request, id),
          order: ['email'],
        },
        async (data) => {
          const name = await judging.addJudge(requireUser(request), id, data.email, ip(request))
          return reply.flash(`${name} is on the judging panel.`).redirect(url(id), 303)
        },
      )
    },
  )

  app.post(
    '/showcase/occasions/:id/judges/:userId/remove',
    { schema: { params: judgeParams }, preHandler: panelGuard },
    async (request, reply) => {
      const { id, userId } = request.params
      await judging.removeJudge(requireUser(request), id, userId, ip(request))
      return reply.flash('The judge has been taken off the panel, with their scores.').redirect(url(id), 303)
    },
  )

  app.post(
    '/showcase/occasions/:id/criteria',
    { schema: { params: idParams }, preHandler: panelGuard },
    async (request, reply) => {
      const id = request.params.id
      return handleForm(
        reply,
        {
          schema: criterionForm,
          body: request.body,
          template,
          context: () => context(request, id),
          order: ['name', 'maxScore'],
        },
        async (data) => {
          await judging.addCriterion(requireUser(request), id, data, ip(request))
          return reply.flash(`${data.name} has been added to the criteria.`).redirect(url(id), 303)
        },
      )
    },
  )

  app.post(
    '/showcase/occasions/:id/criteria/:criterionId/remove',
    { schema: { params: criterionParams }, preHandler: panelGuard },
    async (request, reply) => {
      const { id, criterionId } = request.params
      try {
        await judging.removeCriterion(requireUser(request), id, criterionId, ip(request))
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const errors = { form: Object.values(error.fields)[0] ?? 'The criterion was not removed' }
        return reply.page(
          template,
          { ...(await context(request, id)), errors, errorItems: errorList(errors) },
          400,
        )
      }
      return reply.flash('The criterion and its scores have been removed.').redirect(url(id), 303)
    },
  )

  app.post(
    '/showcase/occasions/:id/scores/:itemId',
    { schema: { params: itemParams }, preHandler: panelGuard },
    async (request, reply) => {
      const { id, itemId } = request.params
      const body = (request.body ?? {}) as Record<string, string | undefined>
      try {
        const title = await judging.score(requireUser(request), id, itemId, body, ip(request))
        return reply.flash(`Your scores for ${title} have been saved.`).redirect(url(id), 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        return reply.page(
          template,
          {
            ...(await context(request, id)),
            values: body,
            errors: error.fields,
            errorItems: errorList(error.fields),
          },
          400,
        )
      }
    },
  )
}
