import type { FastifyReply } from 'fastify'
import type { MeasureService } from './service.js'
import { formErrorPage, handleForm } from '../web/form-page.js'
import { requireUser } from '../web/plugin.js'
import { ValidationError } from '../core/errors.js'
import { errorList } from '../web/forms.js'
import type { DataKind } from './policy.js'
import { mappingQuery, pasteForm } from './forms.js'
import { IMPORT_LIMITS, ImportFileError, fileTooLarge, readDelimited, readUpload } from './import-read.js'
import { fieldsFor } from './points.js'
import { DATE_FORMAT_EXAMPLES } from './periods.js'
import { idParams, type ZodApp } from '../web/route-schemas.js'
import {
  ip,
  measureGuards,
  importParams,
  type MeasureRequest,
  type MeasuresRouteServices,
} from './route-helpers.js'

const mappingOf = (query: unknown) => {
  const raw = { ...((query ?? {}) as Record<string, unknown>) }
  // The heading checkbox follows a hidden "0": both arrive when it is ticked.
  if (Array.isArray(raw.header)) raw.header = raw.header.includes('1') ? '1' : '0'
  const parsed = mappingQuery.safeParse(raw)
  if (!parsed.success) return {}
  const { header, date, first, second } = parsed.data
  return { hasHeader: header, date, first, second }
}

/** Data from elsewhere: pasted from Excel or uploaded as CSV or Excel, previewed, then imported or cancelled. */
export async function measureImportRoutes(app: ZodApp, { services }: { services: MeasuresRouteServices }) {
  const measures = services.measures
  const { canEditMeasure } = measureGuards(measures)

  // Paste from Excel
  const pasteContext = async (request: MeasureRequest) => {
    const ctx = await measures.context(request.user, request.params.id, 'edit')
    return {
      title: `Paste data into ${ctx.measure.name}`,
      ...ctx,
      fields: fieldsFor(ctx.measure.dataKind),
      maxRows: IMPORT_LIMITS.maxRows,
      formats: DATE_FORMAT_EXAMPLES,
    }
  }

  app.get('/measures/:id/paste', { schema: { params: idParams } }, async (request, reply) => {
    requireUser(request)
    return reply.page('measures/views/paste.njk', { ...(await pasteContext(request)), values: {} })
  })

  app.post(
    '/measures/:id/paste',
    { schema: { params: idParams }, preHandler: canEditMeasure },
    async (request, reply) => {
      const user = requireUser(request)
      const context = await pasteContext(request)
      return handleForm(
        reply,
        {
          schema: pasteForm,
          body: request.body,
          template: 'measures/views/paste.njk',
          context: () => context,
        },
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
    },
  )

  // Upload a CSV or Excel file
  const uploadContext = async (request: MeasureRequest) => {
    const ctx = await measures.context(request.user, request.params.id, 'edit')
    return {
      title: `Upload data for ${ctx.measure.name}`,
      ...ctx,
      fields: fieldsFor(ctx.measure.dataKind),
      maxRows: IMPORT_LIMITS.maxRows,
      maxMb: IMPORT_LIMITS.maxBytes / 1024 / 1024,
      formats: DATE_FORMAT_EXAMPLES,
    }
  }

  app.get('/measures/:id/upload', { schema: { params: idParams } }, async (request, reply) => {
    requireUser(request)
    return reply.page('measures/views/upload.njk', { ...(await uploadContext(request)), values: {} })
  })

  app.post(
    '/measures/:id/upload',
    { schema: { params: idParams }, preHandler: canEditMeasure },
    async (request, reply) => {
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
        return refused(
          reply,
          'measures/views/upload.njk',
          { ...context, values: {} },
          result.problems,
          'file',
        )
      return reply.redirect(`/measures/${context.measure.id}/imports/${result.importId}`, 303)
    },
  )

  app.get('/measures/:id/imports/:importId', { schema: { params: importParams } }, async (request, reply) => {
    const user = requireUser(request)
    const preview = await measures.preview(
      user,
      request.params.id,
      request.params.importId,
      mappingOf(request.query),
    )
    return reply.page('measures/views/preview.njk', previewContext(preview))
  })

  app.post(
    '/measures/:id/imports/:importId',
    { schema: { params: importParams }, preHandler: canEditMeasure },
    async (request, reply) => {
      const user = requireUser(request)
      const body = (request.body ?? {}) as Record<string, unknown>
      const mapping = mappingOf(body)
      if (body.action === 'discard') {
        await measures.discardImport(user, request.params.id, request.params.importId)
        return reply
          .flash('The import has been cancelled: nothing was added.', 'info')
          .redirect(`/measures/${request.params.id}`, 303)
      }
      try {
        const count = await measures.commitImport(
          user,
          request.params.id,
          request.params.importId,
          mapping,
          ip(request),
        )
        return reply
          .flash(`${count} data ${count === 1 ? 'point has' : 'points have'} been imported.`)
          .redirect(`/measures/${request.params.id}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const preview = await measures.preview(user, request.params.id, request.params.importId, mapping)
        return reply.page(
          'measures/views/preview.njk',
          { ...previewContext(preview), errors: error.fields, errorItems: errorList(error.fields) },
          400,
        )
      }
    },
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
