import { signedIn } from '../web/guard.js'
import { eventGuards } from './guards.js'
import type { EventServices } from './index.js'
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { handleForm } from '../web/form-page.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { idParam, idParams, queryText, type RequestWithParams, type ZodApp } from '../web/route-schemas.js'
import { ForbiddenError } from '../core/errors.js'
import type { ProgrammeService } from '../facilitation/programmes/service.js'
import {
  EVENT_FIELD_ORDER,
  EVENT_FORMATS,
  RATINGS,
  checkInQuery,
  eventBody,
  eventForm,
  feedbackForm,
  registerForm,
} from './forms.js'
import { canLinkProgramme } from './policy.js'

const checkInParams = z.object({ id: idParam, registrationId: idParam })
// The check-in button's hidden fields (and _csrf, read by the plugin), never refused.
const checkInBody = z.looseObject({ undo: queryText, q: queryText })
type EventRequest = RequestWithParams<typeof idParams>

const formats = Object.entries(EVENT_FORMATS).map(([value, text]) => ({ value, text }))
const ratings = [5, 4, 3, 2, 1].map((value) => ({ value: String(value), text: RATINGS[value] }))

/** Events and workshops: listing, sign-up, attendee lists, check-in, feedback and calendar files. */
export async function eventRoutes(
  app: ZodApp,
  { e, programmes: programmeList }: { e: EventServices; programmes: Pick<ProgrammeService, 'list'> },
) {
  const g = eventGuards(e)
  const { events, registrations, attendance } = e

  app.get('/events', async (request, reply) => {
    const lists = await events.list(request.user, request.readFrom)
    return reply.page('events/views/events.njk', {
      title: 'Events and workshops',
      ...lists,
      formats: EVENT_FORMATS,
      canCreate: events.canCreate(request.user),
    })
  })

  const formContext = (request: FastifyRequest, title: string, action: string) => async () => {
    const programmes = (await programmeList.list()).filter((p) => canLinkProgramme(request.user, p.id))
    return { title, action, formats, programmes }
  }

  app.get('/events/new', async (request, reply) => {
    const user = requireUser(request)
    if (!events.canCreate(user))
      throw new ForbiddenError('Only QI specialists, the Steering Group and programme leads create events')
    const context = await formContext(request, 'Create an event', '/events/new')()
    return reply.page('events/views/event-form.njk', {
      ...context,
      values: { format: 'in_person', version: 0 },
    })
  })

  app.post(
    '/events/new',
    { preHandler: g.eventCreator, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      return handleForm(
        reply,
        {
          schema: eventForm,
          body: eventBody(request.body),
          template: 'events/views/event-form.njk',
          context: async () => ({
            ...(await formContext(request, 'Create an event', '/events/new')()),
            values: request.body,
          }),
          order: EVENT_FIELD_ORDER,
        },
        async (data) => {
          const id = await events.create(user, data, requestMeta(request).ip)
          return reply
            .flash('The event has been created. People can now register.')
            .redirect(`/events/${id}`, 303)
        },
      )
    },
  )

  const viewContext = (request: EventRequest) => async () => {
    const view = await events.view(request.user, request.params.id)
    return { title: view.event.title, ...view, formats: EVENT_FORMATS }
  }

  app.get('/events/:id', { schema: { params: idParams } }, async (request, reply) =>
    reply.page('events/views/event.njk', { ...(await viewContext(request)()), values: {} }),
  )

  app.get(
    '/events/:id/edit',
    { schema: { params: idParams }, preHandler: g.eventManager },
    async (request, reply) => {
      requireUser(request)
      const context = await viewContext(request)()
      if (!context.canManage)
        throw new ForbiddenError('Only the organiser and the facilitation team can change this event')
      const form = await formContext(request, 'Change the event', `/events/${context.event.id}/edit`)()
      return reply.page('events/views/event-form.njk', {
        ...form,
        event: context.event,
        values: events.formValues(context.event),
      })
    },
  )

  app.post(
    '/events/:id/edit',
    { schema: { params: idParams }, preHandler: g.eventManager },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      const context = async () => ({
        ...(await formContext(request, 'Change the event', `/events/${id}/edit`)()),
        event: await events.get(id),
        values: request.body,
      })
      return handleForm(
        reply,
        {
          schema: eventForm,
          body: eventBody(request.body),
          template: 'events/views/event-form.njk',
          context,
          order: EVENT_FIELD_ORDER,
        },
        async (data) => {
          await events.update(user, id, data, requestMeta(request).ip)
          return reply.flash('The event has been saved.').redirect(`/events/${id}`, 303)
        },
      )
    },
  )

  app.post(
    '/events/:id/register',
    { schema: { params: idParams }, preHandler: signedIn },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return handleForm(
        reply,
        {
          schema: registerForm,
          body: request.body,
          template: 'events/views/event.njk',
          context: viewContext(request),
        },
        async (data) => {
          const result = await registrations.register(user, id, data.accessNeeds, requestMeta(request).ip)
          const message =
            result.status === 'registered'
              ? 'You are registered. We have e-mailed you the details.'
              : `The event is full: you are number ${result.position} on the waiting list. We will e-mail you if a place comes up.`
          return reply
            .flash(message, result.status === 'registered' ? 'success' : 'info')
            .redirect(`/events/${id}`, 303)
        },
      )
    },
  )

  app.get('/events/:id/cancel-registration', { schema: { params: idParams } }, async (request, reply) => {
    requireUser(request)
    const view = await viewContext(request)()
    const registration = view.registration
    if (!registration || !['registered', 'waitlisted'].includes(registration.status))
      return reply.redirect(`/events/${view.event.id}`, 303)
    const place = registration.status === 'registered'
    return reply.page('web/views/confirm.njk', {
      title: place
        ? `Cancel your place at “${view.event.title}”?`
        : `Leave the waiting list for “${view.event.title}”?`,
      lost: place
        ? [
            'Your place goes to the first person on the waiting list, if there is one.',
            'If you change your mind, you register again and may find the event full.',
          ]
        : ['You lose your position on the waiting list; joining again puts you at the end.'],
      action: `/events/${view.event.id}/cancel-registration`,
      buttonText: place ? 'Cancel my place' : 'Leave the waiting list',
      cancelHref: `/events/${view.event.id}`,
      cancelText: place ? 'Keep my place' : 'Stay on the waiting list',
    })
  })

  app.post(
    '/events/:id/cancel-registration',
    { schema: { params: idParams }, preHandler: signedIn },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return handleForm(
        reply,
        {
          schema: registerForm.partial(),
          body: {},
          template: 'events/views/event.njk',
          context: viewContext(request),
        },
        async () => {
          await registrations.cancel(user, id, requestMeta(request).ip)
          return reply.flash('Your place has been cancelled.').redirect(`/events/${id}`, 303)
        },
      )
    },
  )

  app.get('/events/:id/attendees', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireUser(request)
    const list = await attendance.attendees(user, request.params.id)
    return reply.page('events/views/attendees.njk', { title: `Attendees: ${list.event.title}`, ...list })
  })

  app.get('/events/:id/attendees.csv', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireUser(request)
    const file = await attendance.attendeesCsv(user, request.params.id, requestMeta(request).ip)
    return reply
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'no-store')
      .type('text/csv; charset=utf-8')
      .send(file.body)
  })

  app.get(
    '/events/:id/check-in',
    { schema: { params: idParams, querystring: checkInQuery } },
    async (request, reply) => {
      const user = requireUser(request)
      const query = request.query
      const list = await attendance.checkInList(user, request.params.id, query.q)
      return reply.page('events/views/check-in.njk', {
        title: `Check-in: ${list.event.title}`,
        ...list,
        query,
      })
    },
  )

  app.post(
    '/events/:id/check-in/:registrationId',
    { schema: { params: checkInParams, body: checkInBody }, preHandler: g.eventManager },
    async (request, reply) => {
      const user = requireUser(request)
      const { id, registrationId } = request.params
      const body = request.body
      const undo = body.undo === '1'
      const name = await attendance.checkIn(user, id, registrationId, undo, requestMeta(request).ip)
      const q = body.q ? `?q=${encodeURIComponent(body.q.slice(0, 100))}` : ''
      return reply
        .flash(undo ? `${name} is no longer checked in.` : `${name} is checked in.`)
        .redirect(`/events/${id}/check-in${q}#reg-${registrationId}`, 303)
    },
  )

  const feedbackContext = (request: EventRequest) => async () => ({
    ...(await viewContext(request)()),
    title: 'Give feedback',
    ratings,
  })

  app.get('/events/:id/feedback', { schema: { params: idParams } }, async (request, reply) => {
    requireUser(request)
    return reply.page('events/views/feedback.njk', { ...(await feedbackContext(request)()), values: {} })
  })

  app.post(
    '/events/:id/feedback',
    { schema: { params: idParams }, preHandler: signedIn },
    async (request, reply) => {
      const user = requireUser(request)
      const id = request.params.id
      return handleForm(
        reply,
        {
          schema: feedbackForm,
          body: request.body,
          template: 'events/views/feedback.njk',
          context: feedbackContext(request),
          order: ['rating', 'wentWell', 'evenBetter'],
        },
        async (data) => {
          await attendance.giveFeedback(user, id, data, requestMeta(request).ip)
          return reply.flash('Thank you for your feedback.').redirect(`/events/${id}`, 303)
        },
      )
    },
  )

  app.get('/events/:id/feedback/summary', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireUser(request)
    const result = await attendance.feedbackSummary(user, request.params.id)
    return reply.page('events/views/feedback-summary.njk', {
      title: `Feedback: ${result.event.title}`,
      ...result,
      ratings: RATINGS,
    })
  })

  app.get('/events/:id/calendar.ics', { schema: { params: idParams } }, async (request, reply) => {
    const file = await events.calendar(request.params.id)
    return reply
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .type('text/calendar; charset=utf-8')
      .send(file.body)
  })
}
