import { handleForm } from '../web/form-page.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { idParams, type ZodApp } from '../web/route-schemas.js'
import { cohortForm, sessionForm } from './forms.js'
import type { Course } from './repository.js'
import { requireFacultyManager } from './policy.js'
import { learningGuards, slugParams } from './route-helpers.js'
import type { LearningService } from './service.js'
import { londonParts } from '../core/dates.js'

const COHORT_ORDER = ['name', 'capacity', 'closesDate', 'closesTime', 'venue', 'onlineUrl', 'facilitators']
const SESSION_ORDER = ['title', 'date', 'startTime', 'endTime', 'venue', 'onlineUrl']

/** Faculty admins' forms for cohorts (dates, places) and their sessions. */
export function scheduleRoutes(app: ZodApp, learning: LearningService) {
  const g = learningGuards(learning)
  const { catalogue, cohorts } = learning

  const cohortContext = (course: Course, action: string, heading: string) => () => ({
    title: heading,
    course,
    action,
  })

  app.get(
    '/learning/courses/:slug/cohorts/new',
    { schema: { params: slugParams } },
    async (request, reply) => {
      const course = await catalogue.courseBySlug(request.params.slug)
      requireFacultyManager(request.user, course.facultyId)
      return reply.page('learning/views/cohort-form.njk', {
        ...cohortContext(course, `/learning/courses/${course.slug}/cohorts/new`, 'Add a cohort')(),
        values: { closesTime: '23:59', version: 0 },
      })
    },
  )

  app.post(
    '/learning/courses/:slug/cohorts/new',
    { schema: { params: slugParams }, preHandler: g.manager('course') },
    async (request, reply) => {
      const user = requireUser(request)
      const course = await catalogue.courseBySlug(request.params.slug)
      requireFacultyManager(user, course.facultyId)
      const ctx = cohortContext(course, `/learning/courses/${course.slug}/cohorts/new`, 'Add a cohort')
      return handleForm(
        reply,
        {
          schema: cohortForm,
          body: request.body,
          template: 'learning/views/cohort-form.njk',
          context: ctx,
          order: COHORT_ORDER,
        },
        async (data) => {
          const id = await cohorts.createCohort(user, course.slug, data, requestMeta(request).ip)
          return reply
            .flash('Cohort added. Now add its sessions.')
            .redirect(`/learning/cohorts/${id}/manage`, 303)
        },
      )
    },
  )

  app.get('/learning/cohorts/:id/edit', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireUser(request)
    const { cohort, course } = await learning.completion.cohortAdmin(user, request.params.id)
    const [closesDate, closesTime] = londonParts(cohort.enrolmentClosesAt)
    const values = {
      name: cohort.name,
      capacity: String(cohort.capacity),
      closesDate,
      closesTime,
      venue: cohort.venue,
      onlineUrl: cohort.onlineUrl,
      facilitators: cohort.facilitators,
      version: cohort.version,
    }
    return reply.page('learning/views/cohort-form.njk', {
      ...cohortContext(course, `/learning/cohorts/${cohort.id}/edit`, `Edit ${cohort.name}`)(),
      cohort,
      values,
    })
  })

  app.post(
    '/learning/cohorts/:id/edit',
    { schema: { params: idParams }, preHandler: g.manager('cohort') },
    async (request, reply) => {
      const user = requireUser(request)
      const { cohort, course } = await learning.completion.cohortAdmin(user, request.params.id)
      const ctx = () => ({
        ...cohortContext(course, `/learning/cohorts/${cohort.id}/edit`, `Edit ${cohort.name}`)(),
        cohort,
      })
      return handleForm(
        reply,
        {
          schema: cohortForm,
          body: request.body,
          template: 'learning/views/cohort-form.njk',
          context: ctx,
          order: COHORT_ORDER,
        },
        async (data) => {
          await cohorts.updateCohort(user, cohort.id, data, requestMeta(request).ip)
          return reply.flash('Cohort saved.').redirect(`/learning/cohorts/${cohort.id}/manage`, 303)
        },
      )
    },
  )

  app.get('/learning/cohorts/:id/sessions/new', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireUser(request)
    const { cohort, course } = await learning.completion.cohortAdmin(user, request.params.id)
    return reply.page('learning/views/session-form.njk', {
      title: 'Add a session',
      course,
      cohort,
      action: `/learning/cohorts/${cohort.id}/sessions/new`,
      values: { venue: cohort.venue },
    })
  })

  app.post(
    '/learning/cohorts/:id/sessions/new',
    { schema: { params: idParams }, preHandler: g.manager('cohort') },
    async (request, reply) => {
      const user = requireUser(request)
      const { cohort, course } = await learning.completion.cohortAdmin(user, request.params.id)
      const ctx = () => ({
        title: 'Add a session',
        course,
        cohort,
        action: `/learning/cohorts/${cohort.id}/sessions/new`,
      })
      return handleForm(
        reply,
        {
          schema: sessionForm,
          body: request.body,
          template: 'learning/views/session-form.njk',
          context: ctx,
          order: SESSION_ORDER,
        },
        async (data) => {
          await cohorts.saveSession(user, { cohortId: cohort.id }, data, requestMeta(request).ip)
          return reply.flash('Session added.').redirect(`/learning/cohorts/${cohort.id}/manage`, 303)
        },
      )
    },
  )

  app.get('/learning/sessions/:id/edit', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireUser(request)
    const { session, cohort, course } = await learning.completion.register(user, request.params.id)
    const [startDate, startTime] = londonParts(session.startsAt)
    const values = {
      title: session.title,
      date: startDate,
      startTime,
      endTime: londonParts(session.endsAt)[1],
      venue: session.venue,
      onlineUrl: session.onlineUrl,
    }
    return reply.page('learning/views/session-form.njk', {
      title: `Edit ${session.title}`,
      course,
      cohort,
      session,
      action: `/learning/sessions/${session.id}/edit`,
      values,
    })
  })

  app.post(
    '/learning/sessions/:id/edit',
    { schema: { params: idParams }, preHandler: g.manager('session') },
    async (request, reply) => {
      const user = requireUser(request)
      const { session, cohort, course } = await learning.completion.register(user, request.params.id)
      const ctx = () => ({
        title: `Edit ${session.title}`,
        course,
        cohort,
        session,
        action: `/learning/sessions/${session.id}/edit`,
      })
      return handleForm(
        reply,
        {
          schema: sessionForm,
          body: request.body,
          template: 'learning/views/session-form.njk',
          context: ctx,
          order: SESSION_ORDER,
        },
        async (data) => {
          await cohorts.saveSession(user, { sessionId: session.id }, data, requestMeta(request).ip)
          return reply
            .flash('Session saved. People with a place can download the updated calendar file.')
            .redirect(`/learning/cohorts/${cohort.id}/manage`, 303)
        },
      )
    },
  )

  app.get(
    '/learning/sessions/:id/delete',
    { schema: { params: idParams }, preHandler: g.manager('session') },
    async (request, reply) => {
      const user = requireUser(request)
      const { session, cohort } = await learning.completion.register(user, request.params.id)
      return reply.page('web/views/confirm.njk', {
        title: `Delete the session “${session.title}”?`,
        lost: [
          `The session is removed from ${cohort.name}, its calendar and its learners' calendar files.`,
          'A session whose register has been taken cannot be deleted: change its details instead.',
        ],
        action: `/learning/sessions/${session.id}/delete`,
        buttonText: 'Delete the session',
        cancelHref: `/learning/sessions/${session.id}/edit`,
        cancelText: 'Keep the session',
      })
    },
  )

  app.post(
    '/learning/sessions/:id/delete',
    { schema: { params: idParams }, preHandler: g.manager('session') },
    async (request, reply) => {
      const user = requireUser(request)
      const cohortId = await cohorts.deleteSession(user, request.params.id, requestMeta(request).ip)
      return reply.flash('Session deleted.').redirect(`/learning/cohorts/${cohortId}/manage`, 303)
    },
  )
}
