import type { FastifyInstance } from 'fastify'
import { ValidationError } from '../web/errors.js'
import { formErrorPage } from '../web/form-page.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { completeForm, progressForm, registerForm, revokeForm } from './forms.js'
import { params } from './route-helpers.js'
import type { LearningService } from './service.js'

export function cohortRoutes(app: FastifyInstance, learning: LearningService) {
  const { completion, enrolments } = learning

  const managePage = async (user: Parameters<typeof completion.cohortAdmin>[0], cohortId: string) => {
    const page = await completion.cohortAdmin(user, cohortId)
    return { title: `${page.course.title}: ${page.cohort.name}`, ...page }
  }

  app.get('/learning/cohorts/:id/manage', async (request, reply) => {
    const user = requireUser(request)
    return reply.page('learning/views/cohort-manage.njk', await managePage(user, params(request.params).id))
  })

  app.get('/learning/sessions/:id/register', async (request, reply) => {
    const user = requireUser(request)
    const page = await completion.register(user, params(request.params).id)
    return reply.page('learning/views/register.njk', { title: `Register: ${page.session.title}`, ...page })
  })

  app.post('/learning/sessions/:id/register', async (request, reply) => {
    const user = requireUser(request)
    const { id } = params(request.params)
    const form = registerForm.parse(request.body ?? {})
    try {
      const saved = await completion.saveRegister(user, id, form.present, requestMeta(request).ip)
      const page = await completion.register(user, id)
      return reply
        .flash(`Register saved: ${saved.present} present, ${saved.absent} absent.`)
        .redirect(`/learning/cohorts/${page.cohort.id}/manage`, 303)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      const page = await completion.register(user, id)
      return formErrorPage(reply, 'learning/views/register.njk', error.fields, request.body, {
        title: `Register: ${page.session.title}`,
        ...page,
      })
    }
  })

  for (const decision of ['approve', 'decline'] as const) {
    app.post(`/learning/enrolments/:id/${decision}`, async (request, reply) => {
      const user = requireUser(request)
      const { status, cohortId } = await enrolments.decide(
        user,
        params(request.params).id,
        decision,
        requestMeta(request).ip,
      )
      const text =
        status === 'enrolled'
          ? 'Approved: the learner has a place.'
          : status === 'waitlisted'
            ? 'Approved: the cohort is full, so the learner is on the waiting list.'
            : 'Request declined.'
      return reply.flash(text).redirect(`/learning/cohorts/${cohortId}/manage`, 303)
    })
  }

  app.post('/learning/cohorts/:id/progress', async (request, reply) => {
    const user = requireUser(request)
    const { id } = params(request.params)
    const form = progressForm.parse(request.body ?? {})
    try {
      await completion.saveProgress(user, id, form.project, form.assessment, requestMeta(request).ip)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      return formErrorPage(
        reply,
        'learning/views/cohort-manage.njk',
        error.fields,
        {},
        await managePage(user, id),
      )
    }
    return reply.flash('Progress saved.').redirect(`/learning/cohorts/${id}/manage#progress`, 303)
  })

  app.post('/learning/cohorts/:id/complete', async (request, reply) => {
    const user = requireUser(request)
    const { id } = params(request.params)
    const form = completeForm.parse(request.body ?? {})
    const r = await completion.complete(user, id, form.close, requestMeta(request).ip)
    const parts = [`${r.completed} completed and ${r.completed === 1 ? 'was' : 'were'} sent a certificate`]
    if (r.notCompleted) parts.push(`${r.notCompleted} did not complete`)
    if (r.waiting) parts.push(`${r.waiting} ${r.waiting === 1 ? 'has' : 'have'} not met the criteria yet`)
    return reply.flash(`${parts.join('; ')}.`).redirect(`/learning/cohorts/${id}/manage#completion`, 303)
  })

  app.post('/learning/certificates/:id/revoke', async (request, reply) => {
    const user = requireUser(request)
    const parsed = revokeForm.safeParse(request.body ?? {})
    if (!parsed.success)
      throw new ValidationError({ reason: 'Enter the reason for revoking the certificate' })
    const cohortId = await learning.certificates.revoke(
      user,
      params(request.params).id,
      parsed.data.reason,
      requestMeta(request).ip,
    )
    return reply
      .flash('Certificate revoked. Its code now shows as not valid.')
      .redirect(`/learning/cohorts/${cohortId}/manage#certificates`, 303)
  })
}
