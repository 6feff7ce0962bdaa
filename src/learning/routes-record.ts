import { signedIn } from '../web/guard.js'
import { NotFoundError, ValidationError } from '../core/errors.js'
import { formErrorPage, handleForm } from '../web/form-page.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { z } from 'zod'
import { idParams, type ZodApp } from '../web/route-schemas.js'
import { dashboardQuery, externalForm, projectLinkForm, reviewForm } from './forms.js'
import { LADDER } from './levels.js'
import { learningGuards, sendFile, slugParams } from './route-helpers.js'
import type { LearningService } from './service.js'

// A certificate's code, as typed or linked: a wrong one is answered "This code is not valid".
const codeParams = z.object({ code: z.string() })
const codeQuery = z.object({ code: z.unknown().optional() })
const ladderItems = Object.entries(LADDER).map(([value, text]) => ({ value, text }))
const EXTERNAL_ORDER = [
  'title',
  'provider',
  'level',
  'completedOn',
  'evidenceText',
  'evidenceUrl',
  'facultyId',
]

export function recordRoutes(app: ZodApp, learning: LearningService) {
  const g = learningGuards(learning)
  const { records, completion, catalogue, dashboard } = learning

  const recordPage = async (user: Parameters<typeof records.record>[0]) => ({
    title: 'Your training record',
    ...(await records.record(user)),
  })

  app.get('/learning/record', async (request, reply) => {
    const user = requireUser(request)
    return reply.page('learning/views/record.njk', await recordPage(user))
  })

  app.get('/learning/people/:id/record', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireUser(request)
    const record = await records.record(user, request.params.id)
    return reply.page('learning/views/record.njk', {
      title: `Training record: ${record.owner.name}`,
      ...record,
    })
  })

  const projectEntry = async (user: Parameters<typeof records.record>[0], id: string) => {
    const entry = (await records.record(user)).entries.find((e) => e.enrolmentId === id)
    if (!entry || entry.status === 'withdrawn' || entry.status === 'declined') throw new NotFoundError()
    return { title: 'Link your project', entry, choices: await completion.projectChoices(user) }
  }

  app.get('/learning/enrolments/:id/project', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireUser(request)
    const ctx = await projectEntry(user, request.params.id)
    const { projectId, projectRef } = ctx.entry
    const link = projectId ?? (projectRef ? 'elsewhere' : 'none')
    return reply.page('learning/views/project.njk', { ...ctx, values: { link, projectRef } })
  })

  app.post(
    '/learning/enrolments/:id/project',
    { schema: { params: idParams }, preHandler: g.learner },
    async (request, reply) => {
      const user = requireUser(request)
      const { id } = request.params
      const ctx = await projectEntry(user, id)
      return handleForm(
        reply,
        {
          schema: projectLinkForm,
          body: request.body,
          template: 'learning/views/project.njk',
          context: () => ctx,
          order: ['link', 'projectRef'],
        },
        async (data) => {
          await completion.setProjectLink(user, id, data, requestMeta(request).ip)
          return reply.flash('Project link saved.').redirect('/learning/record#courses', 303)
        },
      )
    },
  )

  const externalContext = async () => ({
    title: 'Add training done elsewhere',
    ladderItems,
    faculties: await catalogue.faculties(),
  })

  app.get('/learning/record/external/new', async (request, reply) => {
    requireUser(request)
    return reply.page('learning/views/external-form.njk', { ...(await externalContext()), values: {} })
  })

  app.post(
    '/learning/record/external/new',
    { config: { once: 'content' }, preHandler: signedIn },
    async (request, reply) => {
      const user = requireUser(request)
      return handleForm(
        reply,
        {
          schema: externalForm,
          body: request.body,
          template: 'learning/views/external-form.njk',
          context: externalContext,
          order: EXTERNAL_ORDER,
        },
        async (data) => {
          await records.addExternal(user, data, requestMeta(request).ip)
          return reply
            .flash('Training added. The faculty you chose will check your evidence.')
            .redirect('/learning/record#external', 303)
        },
      )
    },
  )

  app.post(
    '/learning/external/:id/review',
    { schema: { params: idParams }, preHandler: g.externalReviewer },
    async (request, reply) => {
      const user = requireUser(request)
      const parsed = reviewForm.safeParse(request.body ?? {})
      if (!parsed.success) throw new ValidationError({ decision: parsed.error.issues[0].message })
      const slug = await records.review(
        user,
        request.params.id,
        parsed.data.decision,
        parsed.data.note,
        requestMeta(request).ip,
      )
      return reply
        .flash(
          parsed.data.decision === 'verified' ? 'Training verified.' : 'Training marked as not verified.',
        )
        .redirect(slug ? `/learning/faculties/${slug}/manage#external` : '/learning', 303)
    },
  )

  app.get(
    '/learning/certificates/:id/certificate.pdf',
    { schema: { params: idParams } },
    async (request, reply) => {
      const user = requireUser(request)
      const file = await learning.certificates.certificateFile(user, request.params.id)
      return sendFile(reply, 'application/pdf', file.filename, file.pdf)
    },
  )

  app.get('/certificates/verify', { schema: { querystring: codeQuery } }, async (request, reply) => {
    const raw = request.query.code
    if (raw === undefined)
      return reply.page('learning/views/verify.njk', { title: 'Check a certificate', values: {} })
    const code = typeof raw === 'string' ? raw.trim().slice(0, 60) : ''
    if (!code)
      return formErrorPage(
        reply,
        'learning/views/verify.njk',
        { code: 'Enter the certificate code' },
        {},
        { title: 'Check a certificate' },
      )
    const result = await learning.certificates.verify(code)
    return reply.page(
      'learning/views/verify.njk',
      {
        title: result.valid ? 'This certificate is valid' : 'This code is not valid',
        result,
        values: { code },
      },
      result.valid ? 200 : 404,
    )
  })

  app.get('/certificates/verify/:code', { schema: { params: codeParams } }, async (request, reply) => {
    const code = request.params.code.slice(0, 60)
    const result = await learning.certificates.verify(code)
    return reply.page(
      'learning/views/verify.njk',
      {
        title: result.valid ? 'This certificate is valid' : 'This code is not valid',
        result,
        values: { code },
      },
      result.valid ? 200 : 404,
    )
  })

  app.get(
    '/learning/faculties/:slug/dashboard',
    { schema: { params: slugParams, querystring: dashboardQuery } },
    async (request, reply) => {
      const user = requireUser(request)
      const query = request.query
      const data = await dashboard.dashboard(user, request.params.slug, query)
      const qs = new URLSearchParams(
        Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])),
      ).toString()
      const organisations = await learning.catalogue.organisationItems()
      return reply.page('learning/views/dashboard.njk', {
        title: `Learning dashboard: ${data.faculty.name}`,
        ...data,
        query,
        organisations,
        csvHref: `/learning/faculties/${data.faculty.slug}/dashboard.csv${qs ? `?${qs}` : ''}`,
      })
    },
  )

  app.get(
    '/learning/faculties/:slug/dashboard.csv',
    { schema: { params: slugParams, querystring: dashboardQuery } },
    async (request, reply) => {
      const user = requireUser(request)
      const query = request.query
      const file = await dashboard.csv(user, request.params.slug, query, requestMeta(request).ip)
      return sendFile(reply, 'text/csv; charset=utf-8', file.filename, file.body)
    },
  )
}
