import { ValidationError } from '../core/errors.js'
import { formErrorPage } from '../web/form-page.js'
import { fieldErrors } from '../web/forms.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { formBody, idParams, type RequestWithParams, type ZodApp } from '../web/route-schemas.js'
import { completeForm, progressForm, registerForm, revokeForm } from './forms.js'
import { learningGuards } from './route-helpers.js'
import type { LearningService } from './service.js'

export function cohortRoutes(app: ZodApp, learning: LearningService) {
  const g = learningGuards(learning)
  const { completion, enrolments } = learning

  const managePage = async (user: Parameters<typeof completion.cohortAdmin>[0], cohortId: string) => {
    const page = await completion.cohortAdmin(user, cohortId)
    return { title: `${page.course.title}: ${page.cohort.name}`, ...page }
  }

  app.get('/learning/cohorts/:id/manage', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireUser(request)
    return reply.page('learning/views/cohort-manage.njk', await managePage(user, request.params.id))
  })

  app.get(
    '/learning/sessions/:id/register',
    { schema: { params: idParams }, preHandler: g.manager('session') },
    async (request, reply) => {
      const user = requireUser(request)
      const page = await completion.register(user, request.params.id)
      // Before the session starts the page explains when the register opens, without the form.
      return reply.page(
        'learning/views/register.njk',
        { title: `Register: ${page.session.title}`, ...page },
        page.notStarted ? 409 : 200,
      )
    },
  )

  app.post(
    '/learning/sessions/:id/register',
    { schema: { params: idParams }, preHandler: g.manager('session') },
    async (request, reply) => {
      const user = requireUser(request)
      const { id } = request.params
      try {
        const form = registerForm.safeParse(request.body ?? {})
        if (!form.success) throw new ValidationError({ present: 'Select learners from the register' })
        const saved = await completion.saveRegister(user, id, form.data.present, requestMeta(request).ip)
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
    },
  )

  for (const decision of ['approve', 'decline'] as const) {
    app.post(
      `/learning/enrolments/:id/${decision}`,
      { schema: { params: idParams }, preHandler: g.manager('enrolment') },
      async (request, reply) => {
        const user = requireUser(request)
        const { status, cohortId } = await enrolments.decide(
          user,
          request.params.id,
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
      },
    )
  }

  app.post(
    '/learning/cohorts/:id/progress',
    { schema: { params: idParams }, preHandler: g.manager('cohort') },
    async (request, reply) => {
      const user = requireUser(request)
      const { id } = request.params
      try {
        const form = progressForm.safeParse(request.body ?? {})
        if (!form.success) throw new ValidationError({ progress: 'Select learners from the list' })
        await completion.saveProgress(
          user,
          id,
          form.data.project,
          form.data.assessment,
          requestMeta(request).ip,
        )
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
    },
  )

  app.post(
    '/learning/cohorts/:id/complete',
    { schema: { params: idParams }, preHandler: g.manager('cohort') },
    async (request, reply) => {
      const user = requireUser(request)
      const { id } = request.params
      const form = completeForm.safeParse(request.body ?? {})
      let r: Awaited<ReturnType<typeof completion.complete>>
      try {
        if (!form.success)
          throw new ValidationError({ close: 'Tick the box only if the cohort has finished' })
        r = await completion.complete(user, id, form.data.close, requestMeta(request).ip)
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
      const parts = [`${r.completed} completed and ${r.completed === 1 ? 'was' : 'were'} sent a certificate`]
      if (r.notCompleted) parts.push(`${r.notCompleted} did not complete`)
      if (r.waiting) parts.push(`${r.waiting} ${r.waiting === 1 ? 'has' : 'have'} not met the criteria yet`)
      return reply.flash(`${parts.join('; ')}.`).redirect(`/learning/cohorts/${id}/manage#completion`, 303)
    },
  )

  const revokePage = async (
    request: RequestWithParams<typeof idParams>,
    errors?: Record<string, string>,
    value = '',
  ) => {
    const user = requireUser(request)
    const { certificate, cohortId } = await learning.certificates.forRevoke(user, request.params.id)
    return {
      title: `Revoke ${certificate.personName}'s certificate for ${certificate.courseTitle}?`,
      lost: [
        `The certificate ${certificate.code} shows as not valid to anyone who checks its code, at once.`,
        `${certificate.personName}'s training record no longer counts it. A revoked certificate cannot be restored; the faculty can issue a new one.`,
      ],
      field: {
        id: 'reason',
        name: 'reason',
        label: 'Why is it revoked?',
        hint: 'Recorded with the certificate. Do not include any patient’s details.',
        value,
      },
      errors,
      action: `/learning/certificates/${certificate.id}/revoke`,
      buttonText: 'Revoke the certificate',
      cancelHref: `/learning/cohorts/${cohortId}/manage#certificates`,
      cancelText: 'Keep the certificate',
    }
  }

  app.get(
    '/learning/certificates/:id/revoke',
    { schema: { params: idParams }, preHandler: g.manager('certificate') },
    async (request, reply) => reply.page('web/views/confirm.njk', await revokePage(request)),
  )

  app.post(
    '/learning/certificates/:id/revoke',
    { schema: { params: idParams, body: formBody }, preHandler: g.manager('certificate') },
    async (request, reply) => {
      const user = requireUser(request)
      const parsed = revokeForm.safeParse(request.body)
      if (!parsed.success) {
        const errors = fieldErrors(parsed.error)
        const typed = request.body.reason
        return reply.page(
          'web/views/confirm.njk',
          await revokePage(request, errors, typeof typed === 'string' ? typed : ''),
          400,
        )
      }
      const cohortId = await learning.certificates.revoke(
        user,
        request.params.id,
        parsed.data.reason,
        requestMeta(request).ip,
      )
      return reply
        .flash('Certificate revoked. Its code now shows as not valid.')
        .redirect(`/learning/cohorts/${cohortId}/manage#certificates`, 303)
    },
  )
}
