import { z } from 'zod'
import { handleForm } from '../web/form-page.js'
import { requireUser } from '../web/plugin.js'
import { ConflictError } from '../core/errors.js'
import { errorList } from '../web/forms.js'
import { annotationForm, pointForm } from './forms.js'
import { fieldsFor } from './points.js'
import { periodLabel } from './periods.js'
import { formBody, idParams, type ZodApp } from '../web/route-schemas.js'
import {
  ip,
  measureGuards,
  annotationParams,
  pointParams,
  type MeasureRequest,
  type MeasuresRouteServices,
} from './route-helpers.js'

/** `?rebase=1` opens the form as a rebase; anything else, a plain annotation. */
const rebaseQuery = z.object({ rebase: z.unknown().optional() })

/** A measure's data point by point (add, change, exclude, delete) and its annotations and rebases. */
export async function measurePointRoutes(app: ZodApp, { services }: { services: MeasuresRouteServices }) {
  const measures = services.measures
  const { canEditMeasure } = measureGuards(measures)

  // One data point by form
  const pointContext = async (request: MeasureRequest, extra: Record<string, unknown> = {}) => {
    const ctx = await measures.context(request.user, request.params.id, 'edit')
    return {
      title: `Add data to ${ctx.measure.name}`,
      ...ctx,
      fields: fieldsFor(ctx.measure.dataKind),
      action: `/measures/${ctx.measure.id}/data/new`,
      ...extra,
    }
  }

  app.get('/measures/:id/data/new', { schema: { params: idParams } }, async (request, reply) => {
    requireUser(request)
    return reply.page('measures/views/point-form.njk', {
      ...(await pointContext(request)),
      values: { version: 0 },
    })
  })

  app.post(
    '/measures/:id/data/new',
    { schema: { params: idParams, body: formBody }, preHandler: canEditMeasure, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      const context = await pointContext(request)
      return handleForm(
        reply,
        {
          schema: pointForm,
          body: request.body,
          template: 'measures/views/point-form.njk',
          context: () => context,
          order: ['period', 'value', 'numerator', 'denominator', 'exclusionReason'],
        },
        async (data) => {
          await measures.addPoint(user, context.measure.id, data, ip(request))
          const again = request.body.another === '1'
          reply.flash('The data point has been added.')
          return reply.redirect(
            again ? `/measures/${context.measure.id}/data/new` : `/measures/${context.measure.id}`,
            303,
          )
        },
      )
    },
  )

  app.get('/measures/:id/data/:period', { schema: { params: pointParams } }, async (request, reply) => {
    const user = requireUser(request)
    const ctx = await measures.point(user, request.params.id, request.params.period)
    return reply.page('measures/views/point-form.njk', {
      title: `Change data for ${ctx.measure.name}`,
      ...ctx,
      fields: fieldsFor(ctx.measure.dataKind),
      action: `/measures/${ctx.measure.id}/data/${ctx.point.period}`,
      values: measures.pointFormValues(ctx.point),
      editing: true,
    })
  })

  app.post(
    '/measures/:id/data/:period',
    { schema: { params: pointParams }, preHandler: canEditMeasure },
    async (request, reply) => {
      const user = requireUser(request)
      const ctx = await measures.point(user, request.params.id, request.params.period)
      const context = () => ({
        title: `Change data for ${ctx.measure.name}`,
        ...ctx,
        fields: fieldsFor(ctx.measure.dataKind),
        action: `/measures/${ctx.measure.id}/data/${ctx.point.period}`,
        editing: true,
      })
      try {
        return await handleForm(
          reply,
          {
            schema: pointForm,
            body: request.body,
            template: 'measures/views/point-form.njk',
            context,
            order: ['period', 'value', 'numerator', 'denominator', 'exclusionReason'],
          },
          async (data) => {
            await measures.editPoint(user, ctx.measure.id, ctx.point.period, data, ip(request))
            return reply
              .flash('The data point has been changed.')
              .redirect(`/measures/${ctx.measure.id}`, 303)
          },
        )
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error
        const now = await measures.point(user, ctx.measure.id, ctx.point.period).catch(() => null)
        const errors = { _form: error.message }
        return reply.page(
          'measures/views/point-form.njk',
          {
            ...context(),
            values: now ? measures.pointFormValues(now.point) : {},
            errors,
            errorItems: errorList(errors),
          },
          409,
        )
      }
    },
  )

  app.get(
    '/measures/:id/data/:period/delete',
    { schema: { params: pointParams } },
    async (request, reply) => {
      const user = requireUser(request)
      const ctx = await measures.point(user, request.params.id, request.params.period)
      const base = `/measures/${ctx.measure.id}`
      return reply.page('web/views/confirm.njk', {
        title: `Delete the data point for ${periodLabel(ctx.point.period)}?`,
        lost: [
          `The value for ${periodLabel(ctx.point.period)} is removed from “${ctx.measure.name}”.`,
          'The chart, its limits and its signals are calculated again without it.',
        ],
        action: `${base}/data/${ctx.point.period}/delete`,
        buttonText: 'Delete the data point',
        cancelHref: `${base}/data/${ctx.point.period}`,
        cancelText: 'Keep the data point',
      })
    },
  )

  app.post(
    '/measures/:id/data/:period/delete',
    { schema: { params: pointParams }, preHandler: canEditMeasure },
    async (request, reply) => {
      const user = requireUser(request)
      await measures.deletePoint(user, request.params.id, request.params.period, ip(request))
      return reply.flash('The data point has been deleted.').redirect(`/measures/${request.params.id}`, 303)
    },
  )

  // Annotations and rebases
  const annotationContext = async (request: MeasureRequest) => {
    const page = await measures.page(request.user, request.params.id)
    if (!page.access.edit) await measures.context(request.user, request.params.id, 'edit')
    return {
      title: `Add an annotation to ${page.measure.name}`,
      measure: page.measure,
      project: page.project,
      pdsas: page.marks,
    }
  }

  app.get(
    '/measures/:id/annotations/new',
    { schema: { params: idParams, querystring: rebaseQuery } },
    async (request, reply) => {
      requireUser(request)
      const rebase = request.query.rebase === '1'
      return reply.page('measures/views/annotation-form.njk', {
        ...(await annotationContext(request)),
        values: { isRebase: rebase },
      })
    },
  )

  app.post(
    '/measures/:id/annotations/new',
    { schema: { params: idParams }, preHandler: canEditMeasure, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      const context = await annotationContext(request)
      return handleForm(
        reply,
        {
          schema: annotationForm,
          body: request.body,
          template: 'measures/views/annotation-form.njk',
          context: () => context,
          order: ['date', 'text', 'pdsaId'],
        },
        async (data) => {
          await measures.addAnnotation(user, context.measure.id, data, ip(request))
          return reply
            .flash(
              data.isRebase
                ? 'The rebase has been added: the chart has new limits from that date.'
                : 'The annotation has been added.',
            )
            .redirect(`/measures/${context.measure.id}`, 303)
        },
      )
    },
  )

  app.get(
    '/measures/:id/annotations/:annotationId/delete',
    { schema: { params: annotationParams } },
    async (request, reply) => {
      const user = requireUser(request)
      const { measure, annotation } = await measures.annotation(
        user,
        request.params.id,
        request.params.annotationId,
      )
      const base = `/measures/${measure.id}`
      return reply.page('web/views/confirm.njk', {
        title: `Delete the ${annotation.isRebase ? 'rebase' : 'annotation'} of ${periodLabel(annotation.date)}?`,
        lost: annotation.isRebase
          ? [
              `The rebase of ${periodLabel(annotation.date)} and its reason are removed from “${measure.name}”.`,
              'The chart goes back to one set of limits across that date.',
            ]
          : [
              `The annotation of ${periodLabel(annotation.date)} is removed from the chart of “${measure.name}”.`,
            ],
        action: `${base}/annotations/${annotation.id}/delete`,
        buttonText: annotation.isRebase ? 'Delete the rebase' : 'Delete the annotation',
        cancelHref: base,
        cancelText: 'Keep it',
      })
    },
  )

  app.post(
    '/measures/:id/annotations/:annotationId/delete',
    { schema: { params: annotationParams }, preHandler: canEditMeasure },
    async (request, reply) => {
      const user = requireUser(request)
      await measures.deleteAnnotation(user, request.params.id, request.params.annotationId, ip(request))
      return reply.flash('The annotation has been deleted.').redirect(`/measures/${request.params.id}`, 303)
    },
  )
}
