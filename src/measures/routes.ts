import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import multipart from '@fastify/multipart'
import type { MeasureService } from './service.js'
import { handleForm, formErrorPage } from '../web/form-page.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { guard } from '../web/guard.js'
import { ConflictError, ValidationError } from '../core/errors.js'
import { errorList } from '../web/forms.js'
import {
  CHART_CHOICES,
  CHARTS_FOR_KIND,
  DATA_KINDS,
  DIRECTIONS,
  MEASURE_TYPES,
  MULTIPLIERS,
  RUN_CHART_BELOW,
  type DataKind,
} from './policy.js'
import {
  MEASURE_FIELD_ORDER,
  annotationForm,
  deleteForm,
  mappingQuery,
  measureForm,
  pasteForm,
  pointForm,
} from './forms.js'
import { IMPORT_LIMITS, ImportFileError, fileTooLarge, readDelimited, readUpload } from './import-read.js'
import { fieldsFor } from './points.js'
import { DATE_FORMAT_EXAMPLES, periodLabel } from './periods.js'
import type { MeasureChartView } from './chart.js'
import { spcTableHtml } from '../web/components/spc-chart/table-html.js'
import type { Measure } from './repository.js'

/** Rows of the data table on the measure page; longer series have the whole table on their own page. */
export const PAGE_TABLE_ROWS = 100

const items = (options: Record<string, string>, selected?: string) =>
  Object.entries(options).map(([value, text]) => ({ value, text, checked: value === selected }))

/**
 * The table's markup for a chart, kept with the chart: the service hands out the same chart
 * object while the measure, its data, annotations and marks are unchanged (see page()), so the
 * markup is built once per chart and per right to edit.
 */
const tableMarkup = new WeakMap<MeasureChartView, Map<string, string>>()

function chartTableHtml(
  measure: Measure,
  chart: MeasureChartView,
  editHref: ((period: string) => string) | null,
): string {
  const key = editHref ? `edit:${measure.id}` : 'view'
  let byKey = tableMarkup.get(chart)
  if (!byKey) tableMarkup.set(chart, (byKey = new Map()))
  let html = byKey.get(key)
  if (html === undefined) byKey.set(key, (html = spcTableHtml(chartTable(measure, chart, editHref))))
  return html
}

/** The data table of the spc-chart component, from the rows the service prepared. */
function chartTable(
  measure: Measure,
  chart: MeasureChartView,
  editHref: ((period: string) => string) | null,
) {
  const two = measure.dataKind === 'proportion' || measure.dataKind === 'rate'
  const head = [
    { text: 'Period' },
    { text: measure.unit ? `Value (${measure.unit})` : 'Value', numeric: true },
    ...(two
      ? [
          { text: 'Numerator', numeric: true },
          { text: 'Denominator', numeric: true },
        ]
      : []),
    { text: chart.summary.chart === 'run' ? 'Median' : 'Centre', numeric: true },
    ...(chart.summary.chart === 'run'
      ? []
      : [
          { text: 'Lower limit', numeric: true },
          { text: 'Upper limit', numeric: true },
        ]),
    { text: 'Signal' },
    { text: 'Notes' },
  ]
  const rows = chart.rows.map((r) => [
    { text: r.label },
    { text: r.value, numeric: true },
    ...(two
      ? [
          { text: r.numerator, numeric: true },
          { text: r.denominator, numeric: true },
        ]
      : []),
    { text: r.centre, numeric: true },
    ...(chart.summary.chart === 'run'
      ? []
      : [
          { text: r.lcl, numeric: true },
          { text: r.ucl, numeric: true },
        ]),
    { text: r.signal },
    editHref
      ? { text: r.note ? `${r.note} (change)` : 'Change', href: editHref(r.period) }
      : { text: r.note },
  ])
  const all = chart.summary.points
  const caption =
    rows.length < all
      ? `The latest ${rows.length} of ${all.toLocaleString('en-GB')} points of ${measure.name}`
      : `Data for ${measure.name}`
  return { caption, head, rows }
}

function chartParams(
  measure: Measure,
  chart: MeasureChartView,
  id: string,
  editHref: ((period: string) => string) | null,
) {
  const icons = [
    ...(chart.variationIconSvg ? [{ svg: chart.variationIconSvg, label: chart.summary.variationLabel }] : []),
    ...(chart.assuranceIconSvg ? [{ svg: chart.assuranceIconSvg, label: chart.summary.assuranceLabel }] : []),
  ]
  const notes: string[] = []
  if (chart.suppressedCount)
    notes.push(
      `${chart.suppressedCount} ${chart.suppressedCount === 1 ? 'point is' : 'points are'} not shown: counts from 1 to 4 are hidden outside the project team (small numbers). The centre line, limits and signals still use every point.`,
    )
  if (chart.excludedCount)
    notes.push(
      `${chart.excludedCount} ${chart.excludedCount === 1 ? 'point is' : 'points are'} excluded from the calculations (see the table).`,
    )
  return {
    id,
    svg: chart.svg,
    description: chart.description,
    icons,
    notes,
    tableHtml: chartTableHtml(measure, chart, editHref),
    tableSummary:
      chart.rows.length < chart.summary.points
        ? `Show the latest ${chart.rows.length} points as a table`
        : `Show the data as a table (${chart.rows.length} ${chart.rows.length === 1 ? 'point' : 'points'})`,
  }
}

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

const mappingOf = (query: unknown) => {
  const raw = { ...((query ?? {}) as Record<string, unknown>) }
  // The heading checkbox follows a hidden "0": both arrive when it is ticked.
  if (Array.isArray(raw.header)) raw.header = raw.header.includes('1') ? '1' : '0'
  const parsed = mappingQuery.safeParse(raw)
  if (!parsed.success) return {}
  const { header, date, first, second } = parsed.data
  return { hasHeader: header, date, first, second }
}

/** The services these routes use: app.ts passes only these. */
export interface MeasuresRouteServices {
  measures: MeasureService
}

/** Measures: pages, data entry, imports, annotations and downloads. */
export async function measureRoutes(app: FastifyInstance, { services }: { services: MeasuresRouteServices }) {
  const measures = services.measures
  // Uploads are read into memory (never to disk: instances are stateless), up to the size limit.
  await app.register(multipart, {
    limits: {
      fileSize: IMPORT_LIMITS.maxBytes,
      files: 1,
      fields: 5,
      fieldSize: 200,
      parts: 8,
      headerPairs: 50,
    },
    throwFileSizeLimit: true,
  })

  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id
  const ip = (request: FastifyRequest) => requestMeta(request).ip
  // Permission first: the right to change the measure (or the project) before the form is read.
  const canEditMeasure = guard((user, request) => measures.context(user, idOf(request), 'edit'))
  const canEditProject = guard((user, request) => measures.projectContext(user, idOf(request), 'edit'))

  app.get('/projects/:id/measures', async (request, reply) => {
    const list = await measures.listForProject(request.user, idOf(request))
    return reply.page('measures/views/list.njk', {
      title: `Measures: ${list.project.title}`,
      ...list,
      types: MEASURE_TYPES,
    })
  })

  app.get('/projects/:id/measures/new', async (request, reply) => {
    requireUser(request)
    const { project } = await measures.projectContext(request.user, idOf(request), 'edit')
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
    { preHandler: canEditProject, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      const { project } = await measures.projectContext(user, idOf(request), 'edit')
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

  app.get('/measures/:id', async (request, reply) => {
    // The page's table holds the latest points; every point is on /table and in the CSV.
    const page = await measures.page(request.user, idOf(request), { rows: PAGE_TABLE_ROWS })
    const id = page.measure.id
    const edit = page.access.edit ? (period: string) => `/measures/${id}/data/${period}` : null
    return reply.page('measures/views/measure.njk', {
      title: page.measure.name,
      ...page,
      chartParams:
        page.chart.svg || page.chart.rows.length
          ? chartParams(page.measure, page.chart, `measure-${id}`, edit)
          : null,
      types: MEASURE_TYPES,
      directions: DIRECTIONS,
      kinds: DATA_KINDS,
      charts: CHART_CHOICES,
    })
  })

  app.get('/measures/:id/table', async (request, reply) => {
    const page = await measures.page(request.user, idOf(request))
    const id = page.measure.id
    const edit = page.access.edit ? (period: string) => `/measures/${id}/data/${period}` : null
    return reply.page('measures/views/table.njk', {
      title: `Data for ${page.measure.name}`,
      ...page,
      tableHtml: chartTableHtml(page.measure, page.chart, edit),
    })
  })

  app.get('/measures/:id/edit', async (request, reply) => {
    requireUser(request)
    const { measure, project } = await measures.context(request.user, idOf(request), 'edit')
    return reply.page(
      'measures/views/measure-form.njk',
      measureFormContext(`/measures/${measure.id}/edit`, `Change ${measure.name}`, {
        project,
        measure,
        values: measures.formValues(measure),
      }),
    )
  })

  app.post('/measures/:id/edit', { preHandler: canEditMeasure }, async (request, reply) => {
    const user = requireUser(request)
    const { measure, project } = await measures.context(user, idOf(request), 'edit')
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
  })

  app.get('/measures/:id/delete', async (request, reply) => {
    requireUser(request)
    const ctx = await measures.context(request.user, idOf(request), 'manage')
    return reply.page('measures/views/delete.njk', {
      title: `Delete ${ctx.measure.name}`,
      ...ctx,
      values: {},
    })
  })

  app.post('/measures/:id/delete', { preHandler: canEditMeasure }, async (request, reply) => {
    const user = requireUser(request)
    const ctx = await measures.context(user, idOf(request), 'manage')
    if ((request.body as { confirm?: string } | undefined)?.confirm === 'no')
      return reply.redirect(`/measures/${ctx.measure.id}`, 303)
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
  })

  // One data point by form
  const pointContext = async (request: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const ctx = await measures.context(request.user, idOf(request), 'edit')
    return {
      title: `Add data to ${ctx.measure.name}`,
      ...ctx,
      fields: fieldsFor(ctx.measure.dataKind),
      action: `/measures/${ctx.measure.id}/data/new`,
      ...extra,
    }
  }

  app.get('/measures/:id/data/new', async (request, reply) => {
    requireUser(request)
    return reply.page('measures/views/point-form.njk', {
      ...(await pointContext(request)),
      values: { version: 0 },
    })
  })

  app.post(
    '/measures/:id/data/new',
    { preHandler: canEditMeasure, config: { once: 'content' } },
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
          const again = (request.body as { another?: string } | undefined)?.another === '1'
          reply.flash('The data point has been added.')
          return reply.redirect(
            again ? `/measures/${context.measure.id}/data/new` : `/measures/${context.measure.id}`,
            303,
          )
        },
      )
    },
  )

  const periodOf = (request: FastifyRequest) => (request.params as { period: string }).period

  app.get('/measures/:id/data/:period', async (request, reply) => {
    const user = requireUser(request)
    const ctx = await measures.point(user, idOf(request), periodOf(request))
    return reply.page('measures/views/point-form.njk', {
      title: `Change data for ${ctx.measure.name}`,
      ...ctx,
      fields: fieldsFor(ctx.measure.dataKind),
      action: `/measures/${ctx.measure.id}/data/${ctx.point.period}`,
      values: measures.pointFormValues(ctx.point),
      editing: true,
    })
  })

  app.post('/measures/:id/data/:period', { preHandler: canEditMeasure }, async (request, reply) => {
    const user = requireUser(request)
    const ctx = await measures.point(user, idOf(request), periodOf(request))
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
          return reply.flash('The data point has been changed.').redirect(`/measures/${ctx.measure.id}`, 303)
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
  })

  app.get('/measures/:id/data/:period/delete', async (request, reply) => {
    const user = requireUser(request)
    const ctx = await measures.point(user, idOf(request), periodOf(request))
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
  })

  app.post('/measures/:id/data/:period/delete', { preHandler: canEditMeasure }, async (request, reply) => {
    const user = requireUser(request)
    await measures.deletePoint(user, idOf(request), periodOf(request), ip(request))
    return reply.flash('The data point has been deleted.').redirect(`/measures/${idOf(request)}`, 303)
  })

  // Paste from Excel
  const pasteContext = async (request: FastifyRequest) => {
    const ctx = await measures.context(request.user, idOf(request), 'edit')
    return {
      title: `Paste data into ${ctx.measure.name}`,
      ...ctx,
      fields: fieldsFor(ctx.measure.dataKind),
      maxRows: IMPORT_LIMITS.maxRows,
      formats: DATE_FORMAT_EXAMPLES,
    }
  }

  app.get('/measures/:id/paste', async (request, reply) => {
    requireUser(request)
    return reply.page('measures/views/paste.njk', { ...(await pasteContext(request)), values: {} })
  })

  app.post('/measures/:id/paste', { preHandler: canEditMeasure }, async (request, reply) => {
    const user = requireUser(request)
    const context = await pasteContext(request)
    return handleForm(
      reply,
      { schema: pasteForm, body: request.body, template: 'measures/views/paste.njk', context: () => context },
      async (data) => {
        let result
        try {
          result = await measures.startImport(user, context.measure.id, readDelimited(data.data, 'paste'), {
            filename: '',
            replace: data.replace,
          })
        } catch (error) {
          if (error instanceof ImportFileError) throw new ValidationError({ data: error.message })
          throw error
        }
        if (!result.ok)
          return refused(
            reply,
            'measures/views/paste.njk',
            // The pasted text is not shown back: it looked like patient data.
            { ...context, values: {} },
            result.problems,
            'data',
          )
        return reply.redirect(`/measures/${context.measure.id}/imports/${result.importId}`, 303)
      },
    )
  })

  // Upload a CSV or Excel file
  const uploadContext = async (request: FastifyRequest) => {
    const ctx = await measures.context(request.user, idOf(request), 'edit')
    return {
      title: `Upload data for ${ctx.measure.name}`,
      ...ctx,
      fields: fieldsFor(ctx.measure.dataKind),
      maxRows: IMPORT_LIMITS.maxRows,
      maxMb: IMPORT_LIMITS.maxBytes / 1024 / 1024,
      formats: DATE_FORMAT_EXAMPLES,
    }
  }

  app.get('/measures/:id/upload', async (request, reply) => {
    requireUser(request)
    return reply.page('measures/views/upload.njk', { ...(await uploadContext(request)), values: {} })
  })

  app.post('/measures/:id/upload', { preHandler: canEditMeasure }, async (request, reply) => {
    const user = requireUser(request)
    const context = await uploadContext(request)
    const fail = (message: string, status = 400) => {
      const errors = { file: message }
      return reply.page(
        'measures/views/upload.njk',
        { ...context, values: {}, errors, errorItems: errorList(errors) },
        status,
      )
    }
    if (!request.isMultipart()) return fail('Select a CSV or Excel file')
    let file
    try {
      file = await request.file()
    } catch (error) {
      return fail(
        tooLarge(error) ? fileTooLarge().message : 'The file could not be read. Try again.',
        tooLarge(error) ? 413 : 400,
      )
    }
    if (!file || !file.filename) return fail('Select a CSV or Excel file')
    let bytes: Buffer
    try {
      bytes = await file.toBuffer()
    } catch (error) {
      if (tooLarge(error)) return fail(fileTooLarge().message, 413)
      throw error
    }
    const replaceField = file.fields.replace as { value?: unknown } | undefined
    const replace = replaceField?.value === 'on' || replaceField?.value === '1'
    let table
    try {
      table = await readUpload(file.filename, bytes)
    } catch (error) {
      if (error instanceof ImportFileError) return fail(error.message, error.status)
      throw error
    }
    const result = await measures.startImport(user, context.measure.id, table, {
      filename: file.filename,
      replace,
    })
    if (!result.ok)
      return refused(reply, 'measures/views/upload.njk', { ...context, values: {} }, result.problems, 'file')
    return reply.redirect(`/measures/${context.measure.id}/imports/${result.importId}`, 303)
  })

  const importIdOf = (request: FastifyRequest) => (request.params as { importId: string }).importId

  app.get('/measures/:id/imports/:importId', async (request, reply) => {
    const user = requireUser(request)
    const preview = await measures.preview(user, idOf(request), importIdOf(request), mappingOf(request.query))
    return reply.page('measures/views/preview.njk', previewContext(preview))
  })

  app.post('/measures/:id/imports/:importId', { preHandler: canEditMeasure }, async (request, reply) => {
    const user = requireUser(request)
    const body = (request.body ?? {}) as Record<string, unknown>
    const mapping = mappingOf(body)
    if (body.action === 'discard') {
      await measures.discardImport(user, idOf(request), importIdOf(request))
      return reply
        .flash('The import has been cancelled: nothing was added.', 'info')
        .redirect(`/measures/${idOf(request)}`, 303)
    }
    try {
      const count = await measures.commitImport(
        user,
        idOf(request),
        importIdOf(request),
        mapping,
        ip(request),
      )
      return reply
        .flash(`${count} data ${count === 1 ? 'point has' : 'points have'} been imported.`)
        .redirect(`/measures/${idOf(request)}`, 303)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      const preview = await measures.preview(user, idOf(request), importIdOf(request), mapping)
      return reply.page(
        'measures/views/preview.njk',
        { ...previewContext(preview), errors: error.fields, errorItems: errorList(error.fields) },
        400,
      )
    }
  })

  // Annotations and rebases
  const annotationContext = async (request: FastifyRequest) => {
    const page = await measures.page(request.user, idOf(request))
    if (!page.access.edit) await measures.context(request.user, idOf(request), 'edit')
    return {
      title: `Add an annotation to ${page.measure.name}`,
      measure: page.measure,
      project: page.project,
      pdsas: page.marks,
    }
  }

  app.get('/measures/:id/annotations/new', async (request, reply) => {
    requireUser(request)
    const rebase = (request.query as { rebase?: string }).rebase === '1'
    return reply.page('measures/views/annotation-form.njk', {
      ...(await annotationContext(request)),
      values: { isRebase: rebase },
    })
  })

  app.post(
    '/measures/:id/annotations/new',
    { preHandler: canEditMeasure, config: { once: 'content' } },
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

  app.get('/measures/:id/annotations/:annotationId/delete', async (request, reply) => {
    const user = requireUser(request)
    const { measure, annotation } = await measures.annotation(
      user,
      idOf(request),
      (request.params as { annotationId: string }).annotationId,
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
  })

  app.post(
    '/measures/:id/annotations/:annotationId/delete',
    { preHandler: canEditMeasure },
    async (request, reply) => {
      const user = requireUser(request)
      await measures.deleteAnnotation(
        user,
        idOf(request),
        (request.params as { annotationId: string }).annotationId,
        ip(request),
      )
      return reply.flash('The annotation has been deleted.').redirect(`/measures/${idOf(request)}`, 303)
    },
  )

  // Downloads
  const download = (reply: FastifyReply, file: { filename: string; body: string | Buffer }, type: string) =>
    reply
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .type(type)
      .send(file.body)

  app.get('/measures/:id/data.csv', async (request, reply) =>
    download(reply, await measures.csv(request.user, idOf(request), ip(request)), 'text/csv; charset=utf-8'),
  )
  app.get('/measures/:id/chart.svg', async (request, reply) => {
    reply.header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    )
    return download(
      reply,
      await measures.svg(request.user, idOf(request), ip(request)),
      'image/svg+xml; charset=utf-8',
    )
  })
  app.get('/measures/:id/chart.png', async (request, reply) =>
    download(reply, await measures.png(request.user, idOf(request), ip(request)), 'image/png'),
  )
}

function tooLarge(error: unknown): boolean {
  const e = error as { code?: string; statusCode?: number }
  return e?.code === 'FST_REQ_FILE_TOO_LARGE' || e?.statusCode === 413
}

function refused(
  reply: FastifyReply,
  template: string,
  context: Record<string, unknown>,
  problems: string[],
  field: string,
) {
  const errors = { [field]: problems[0] }
  return formErrorPage(reply, template, errors, context.values ?? {}, {
    ...context,
    problems: problems.slice(1),
  })
}

type Preview = Awaited<ReturnType<MeasureService['preview']>>

function previewContext(preview: Preview) {
  const { measure, check, mapping, imported } = preview
  const two = measure.dataKind === 'proportion' || measure.dataKind === 'rate'
  const kind: DataKind = measure.dataKind
  const n = check.rows.length
  const head = [
    { text: 'Row' },
    { text: 'Period' },
    ...(two
      ? [
          { text: 'Numerator', format: 'numeric' },
          { text: 'Denominator', format: 'numeric' },
        ]
      : [{ text: kind === 'count' ? 'Count' : 'Value', format: 'numeric' }]),
    { text: 'Status' },
  ]
  const sampleRows = check.rows.slice(0, 20).map((r) => [
    { text: String(r.row) },
    { text: r.period },
    ...(two
      ? [
          { text: String(r.numerator), format: 'numeric' },
          { text: String(r.denominator), format: 'numeric' },
        ]
      : [{ text: String(r.value), format: 'numeric' }]),
    { text: r.replaces ? 'Replaces the value entered' : 'New' },
  ])
  const replacing = check.rows.filter((r) => r.replaces).length
  return {
    totalRows: check.rows.length + check.errors.length,
    sampleTable: sampleRows.length
      ? {
          caption: `The first ${sampleRows.length} rows as they will be saved`,
          captionSize: 's',
          head,
          rows: sampleRows,
        }
      : null,
    problemHeading: check.fileErrors.length
      ? 'The file has a problem'
      : `${check.errors.length} ${check.errors.length === 1 ? 'row has a problem' : 'rows have problems'}`,
    commitText: `Import ${n} data ${n === 1 ? 'point' : 'points'}${replacing ? `, replacing ${replacing}` : ''}`,
    title: `Check the data before importing it`,
    ...preview,
    two,
    kind,
    mapping,
    errorRows: check.errors.slice(0, 200),
    moreErrors: Math.max(0, check.errors.length - 200),
    canCommit: check.errors.length === 0 && check.fileErrors.length === 0 && check.rows.length > 0,
    replacing,
    columnItems: (selected: number) =>
      check.columns.map((c) => ({ value: String(c.index), text: c.label, selected: c.index === selected })),
    sourceName: imported.source === 'paste' ? 'pasted data' : imported.filename,
  }
}
