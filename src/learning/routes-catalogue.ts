import { signedIn } from '../web/guard.js'
import type { CurrentUser } from '../core/identity.js'
import { ValidationError } from '../core/errors.js'
import { errorList } from '../web/forms.js'
import { pagination } from '../web/pagination.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import { idParams, type ZodApp } from '../web/route-schemas.js'
import { catalogueQuery } from './forms.js'
import { managedFaculties } from './policy.js'
import { LADDER, MODES } from './levels.js'
import { learningGuards, sendFile, slugParams } from './route-helpers.js'
import type { LearningService } from './service.js'

/** Ten results a page, as NHS.UK search results do. */
const PAGE_SIZE = 10
const levelItems = Object.entries(LADDER).map(([value, text]) => ({ value, text }))
const modeItems = Object.entries(MODES).map(([value, text]) => ({ value, text }))

const FLASH = {
  enrolled: 'You have a place. We have sent you an e-mail with the details.',
  waitlisted: 'This cohort is full, so you are on the waiting list. We will e-mail you if a place comes up.',
  requested: 'We have sent your request to the faculty. We will e-mail you when they decide.',
} as const

export function catalogueRoutes(app: ZodApp, learning: LearningService) {
  const g = learningGuards(learning)
  app.get('/learning', { schema: { querystring: catalogueQuery } }, async (request, reply) => {
    const query = request.query
    const openToMe = query.open === 'on' && !!request.user
    const filter = { faculty: query.faculty, level: query.level, mode: query.mode, openToMe }
    const { faculties, items, total } = await learning.catalogue.catalogue(
      request.user,
      filter,
      query.page,
      PAGE_SIZE,
      request.readFrom,
    )
    const params = new URLSearchParams()
    for (const key of ['faculty', 'level', 'mode'] as const) if (query[key]) params.set(key, query[key])
    if (openToMe) params.set('open', 'on')
    const pager = pagination('/learning', params, query.page, PAGE_SIZE, total)
    const managed = managedFaculties(request.user)
    const managing = managed === 'all' ? faculties : faculties.filter((f) => managed.includes(f.id))
    return reply.page('learning/views/catalogue.njk', {
      title: 'Learning',
      query,
      faculties,
      items,
      pager,
      levelItems,
      modeItems,
      openToMe,
      managing,
    })
  })

  app.get('/learning/faculties/:slug', { schema: { params: slugParams } }, async (request, reply) => {
    const page = await learning.catalogue.facultyPage(request.user, request.params.slug)
    return reply.page('learning/views/faculty.njk', { title: page.faculty.name, ...page })
  })

  const coursePage = async (user: CurrentUser | null, slug: string) => {
    const page = await learning.catalogue.coursePage(user, slug)
    return {
      title: page.course.title,
      ...page,
      signInNext: `/sign-in?next=${encodeURIComponent(`/learning/courses/${slug}`)}`,
    }
  }

  app.get('/learning/courses/:slug', { schema: { params: slugParams } }, async (request, reply) => {
    return reply.page('learning/views/course.njk', await coursePage(request.user, request.params.slug))
  })

  app.post(
    '/learning/cohorts/:id/enrol',
    { schema: { params: idParams }, preHandler: signedIn },
    async (request, reply) => {
      const user = requireUser(request)
      const { id } = request.params
      const slug = await learning.catalogue.courseSlugOfCohort(id)
      try {
        const status = await learning.enrolments.request(user, id, requestMeta(request).ip)
        return reply
          .flash(FLASH[status as keyof typeof FLASH] ?? 'Done.')
          .redirect(`/learning/courses/${slug}#cohort-${id}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const errors = { [`cohort-${id}`]: error.message }
        return reply.page(
          'learning/views/course.njk',
          { ...(await coursePage(user, slug)), errors, errorItems: errorList(errors) },
          400,
        )
      }
    },
  )

  app.get(
    '/learning/enrolments/:id/withdraw',
    { schema: { params: idParams }, preHandler: g.learnerOrManager },
    async (request, reply) => {
      const user = requireUser(request)
      const w = await learning.enrolments.withdrawal(user, request.params.id)
      const back = w.byFaculty
        ? `/learning/cohorts/${w.cohort.id}/manage`
        : `/learning/courses/${w.course.slug}`
      if (!w.active) return reply.redirect(back, 303)
      const place = w.enrolment.status === 'enrolled'
      return reply.page('web/views/confirm.njk', {
        title: w.byFaculty
          ? `Withdraw ${w.personName} from ${w.course.title}, ${w.cohort.name}?`
          : `Withdraw from ${w.course.title}, ${w.cohort.name}?`,
        lost: [
          place
            ? `${w.byFaculty ? 'Their' : 'Your'} place goes to the first person on the waiting list, if there is one.`
            : `${w.byFaculty ? 'Their' : 'Your'} request or waiting-list position ends.`,
          w.byFaculty
            ? `${w.personName} is e-mailed that the faculty has withdrawn them.`
            : 'To come back you ask again, and the cohort may be full by then.',
        ],
        action: `/learning/enrolments/${w.enrolment.id}/withdraw`,
        buttonText: w.byFaculty ? 'Withdraw the learner' : 'Withdraw',
        cancelHref: back,
        cancelText: w.byFaculty ? 'Keep their place' : 'Keep my place',
      })
    },
  )

  app.post(
    '/learning/enrolments/:id/withdraw',
    { schema: { params: idParams }, preHandler: g.learnerOrManager },
    async (request, reply) => {
      const user = requireUser(request)
      const result = await learning.enrolments.withdraw(user, request.params.id, requestMeta(request).ip)
      const promoted = result.promoted ? ' The place has gone to the first person on the waiting list.' : ''
      if (result.byFaculty)
        return reply
          .flash(`The learner has been withdrawn.${promoted}`)
          .redirect(`/learning/cohorts/${result.cohortId}/manage`, 303)
      return reply
        .flash(`You have withdrawn.${promoted}`)
        .redirect(`/learning/courses/${result.courseSlug}`, 303)
    },
  )

  app.get('/learning/sessions/:id/calendar.ics', { schema: { params: idParams } }, async (request, reply) => {
    const file = await learning.calendar.sessionCalendar(request.user, request.params.id)
    return sendFile(reply, 'text/calendar; charset=utf-8', file.filename, file.body)
  })

  app.get('/learning/cohorts/:id/calendar.ics', { schema: { params: idParams } }, async (request, reply) => {
    const file = await learning.calendar.cohortCalendar(request.user, request.params.id)
    return sendFile(reply, 'text/calendar; charset=utf-8', file.filename, file.body)
  })
}
