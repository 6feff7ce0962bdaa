import { handleForm } from '../web/form-page.js'
import { requireUser } from '../web/plugin.js'
import { ConflictError } from '../core/errors.js'
import { errorList } from '../web/forms.js'
import {
  CHART_CHOICES,
  CHARTS_FOR_KIND,
  DATA_KINDS,
  DIRECTIONS,
  MEASURE_TYPES,
  MULTIPLIERS,
  RUN_CHART_BELOW,
} from './policy.js'
import { MEASURE_FIELD_ORDER, deleteForm, measureForm } from './forms.js'
import { formBody, idParams, type ZodApp } from '../web/route-schemas.js'
import { ip, items, measureGuards, type MeasuresRouteServices } from './route-helpers.js'

function measureFormContext(action: string, title: string, extra: Record<string, unknown> = {}) {
  return {
    title,
    action,
    types: MEASURE_TYPES,
    directions: DIRECTIONS,
    kinds: DATA_KINDS,
    charts: CHART_CHOICES,
    chartsForKind: CHARTS_FOR_KIND,
    multipliers: MULTIPLIERS,
    runChartBelow: RUN_CHART_BELOW,
    items,
    ...extra,
  }
}

/** A project's measures, and adding, changing and deleting a measure's definition. */
export async function measureDefinitionRoutes(
  app: ZodApp,
  { services }: { services: MeasuresRouteServices },
) {
  const measures = services.measures
  const { canEditMeasure, canEditProject } = measureGuards(measures)

  app.get('/projects/:id/measures', { schema: { params: idParams } }, async (request, reply) => {
    const list = await measures.listForProject(request.user, request.params.id)
    return reply.page('measures/views/list.njk', {
      title: `Measures: ${list.project.title}`,
      ...list,
      types: MEASURE_TYPES,
    })
  })

  app.get('/projects/:id/measures/new', { schema: { params: idParams } }, async (request, reply) => {
    requireUser(request)
    const { project } = await measures.projectContext(request.user, request.params.id, 'edit')
    return reply.page(
      'measures/views/measure-form.njk',
      measureFormContext(`/projects/${project.id}/measures/new`, 'Add a measure', {
        project,
        values: { chartType: 'auto', version: 0 },
      }),
    )
  })

  app.post(
    '/projects/:id/measures/new',
    { schema: { params: idParams }, preHandler: canEditProject, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      const { project } = await measures.projectContext(user, request.params.id, 'edit')
      return handleForm(
        reply,
        {
          schema: measureForm,
          body: request.body,
          template: 'measures/views/measure-form.njk',
          context: () =>
            measureFormContext(`/projects/${project.id}/measures/new`, 'Add a measure', { project }),
          order: MEASURE_FIELD_ORDER,
        },
        async (data) => {
          const id = await measures.create(user, project.id, data, ip(request))
          return reply.flash('The measure has been added. Now add its data.').redirect(`/measures/${id}`, 303)
        },
      )
    },
  )

  app.get('/measures/:id/edit', { schema: { params: idParams } }, async (request, reply) => {
    requireUser(request)
    const { measure, project } = await measures.context(request.user, request.params.id, 'edit')
    return reply.page(
      'measures/views/measure-form.njk',
      measureFormContext(`/measures/${measure.id}/edit`, `Change ${measure.name}`, {
        project,
        measure,
        values: measures.formValues(measure),
      }),
    )
  })

  app.post(
    '/measures/:id/edit',
    { schema: { params: idParams }, preHandler: canEditMeasure },
    async (request, reply) => {
      const user = requireUser(request)
      const { measure, project } = await measures.context(user, request.params.id, 'edit')
      const context = () =>
        measureFormContext(`/measures/${measure.id}/edit`, `Change ${measure.name}`, { project, measure })
      try {
        return await handleForm(
          reply,
          {
            schema: measureForm,
            body: request.body,
            template: 'measures/views/measure-form.njk',
            context,
            order: MEASURE_FIELD_ORDER,
          },
          async (data) => {
            await measures.update(user, measure.id, data, ip(request))
            return reply.flash('The measure has been saved.').redirect(`/measures/${measure.id}`, 303)
          },
        )
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error
        // Show the measure as it is now, with the message; the user's version is not kept.
        const current = await measures.context(user, measure.id, 'edit')
        const errors = { _form: error.message }
        return reply.page(
          'measures/views/measure-form.njk',
          {
            ...context(),
            measure: current.measure,
            values: measures.formValues(current.measure),
            errors,
            errorItems: errorList(errors),
          },
          409,
        )
      }
    },
  )

  app.get('/measures/:id/delete', { schema: { params: idParams } }, async (request, reply) => {
    requireUser(request)
    const ctx = await measures.context(request.user, request.params.id, 'manage')
    return reply.page('measures/views/delete.njk', {
      title: `Delete ${ctx.measure.name}`,
      ...ctx,
      values: {},
    })
  })

  app.post(
    '/measures/:id/delete',
    { schema: { params: idParams, body: formBody }, preHandler: canEditMeasure },
    async (request, reply) => {
      const user = requireUser(request)
      const ctx = await measures.context(user, request.params.id, 'manage')
      if (request.body.confirm === 'no') return reply.redirect(`/measures/${ctx.measure.id}`, 303)
      return handleForm(
        reply,
        {
          schema: deleteForm,
          body: request.body,
          template: 'measures/views/delete.njk',
          context: () => ({ title: `Delete ${ctx.measure.name}`, ...ctx }),
        },
        async () => {
          const projectId = await measures.remove(user, ctx.measure.id, ip(request))
          return reply
            .flash('The measure and its data have been deleted.')
            .redirect(`/projects/${projectId}/measures`, 303)
        },
      )
    },
  )
}
