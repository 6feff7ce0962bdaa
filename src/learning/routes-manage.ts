import { handleForm } from '../web/form-page.js'
import { requestMeta, requireUser } from '../web/plugin.js'
import type { ZodApp } from '../web/route-schemas.js'
import { courseForm, facultyForm } from './forms.js'
import { LADDER, MODES } from './levels.js'
import { requireFacultyManager } from './policy.js'
import type { Course, Faculty } from './repository.js'
import { learningGuards, slugParams, withLists } from './route-helpers.js'
import type { LearningService } from './service.js'

const modeItems = Object.entries(MODES).map(([value, text]) => ({ value, text }))
const ladderItems = Object.entries(LADDER).map(([value, text]) => ({ value, text }))
const COURSE_LISTS = ['eligibleOrgIds', 'eligibleRoles', 'prerequisites']
const COURSE_ORDER = [
  'title',
  'summary',
  'level',
  'mode',
  'eligibility',
  'eligibleOrgIds',
  'eligibleRoles',
  'prerequisites',
  'minAttendancePct',
  'certificateValidMonths',
]

function courseValues(c: Course) {
  const on = (b: boolean) => (b ? 'on' : '')
  return {
    title: c.title,
    summary: c.summary,
    level: c.localLevel ? `local:${c.localLevel}` : c.level,
    mode: c.mode,
    eligibility: c.openToAll ? 'all' : 'restricted',
    eligibleOrgIds: c.eligibleOrgIds,
    eligibleRoles: c.eligibleRoles,
    prerequisites: c.prerequisites.map((p) => p.id),
    minAttendancePct: String(c.minAttendancePct),
    requiresProject: on(c.requiresProject),
    requiresAssessment: on(c.requiresAssessment),
    requiresApproval: on(c.requiresApproval),
    certificateValidMonths: c.certificateValidMonths === null ? '' : String(c.certificateValidMonths),
    published: on(c.published),
    version: c.version,
  }
}

export function manageRoutes(app: ZodApp, learning: LearningService) {
  const g = learningGuards(learning)
  const { catalogue } = learning

  app.get('/learning/faculties/:slug/manage', { schema: { params: slugParams } }, async (request, reply) => {
    const user = requireUser(request)
    const page = await catalogue.facultyAdmin(user, request.params.slug)
    const pending = await learning.records.pending(user, page.faculty.id)
    return reply.page('learning/views/faculty-manage.njk', {
      title: `Manage ${page.faculty.name}`,
      ...page,
      pending,
    })
  })

  const facultyContext = (faculty: Faculty) => () => ({ title: `Edit ${faculty.name}`, faculty, ladderItems })

  app.get('/learning/faculties/:slug/edit', { schema: { params: slugParams } }, async (request, reply) => {
    const faculty = await catalogue.facultyBySlug(request.params.slug)
    requireFacultyManager(request.user, faculty.id)
    const values = {
      description: faculty.description,
      contactText: faculty.contactText,
      levelMap: faculty.levelNames.map((n) => faculty.levelMap[n] ?? ''),
    }
    return reply.page('learning/views/faculty-edit.njk', { ...facultyContext(faculty)(), values })
  })

  app.post(
    '/learning/faculties/:slug/edit',
    { schema: { params: slugParams }, preHandler: g.manager('faculty') },
    async (request, reply) => {
      const user = requireUser(request)
      const faculty = await catalogue.facultyBySlug(request.params.slug)
      requireFacultyManager(user, faculty.id)
      const body = withLists(request.body, ['levelMap'])
      return handleForm(
        reply,
        {
          schema: facultyForm,
          body,
          template: 'learning/views/faculty-edit.njk',
          context: facultyContext(faculty),
        },
        async (data) => {
          await catalogue.updateFaculty(user, faculty.slug, data, requestMeta(request).ip)
          return reply.flash('Faculty details saved.').redirect(`/learning/faculties/${faculty.slug}`, 303)
        },
      )
    },
  )

  const courseContext = (faculty: Faculty, course?: Course) => async () => ({
    title: course ? `Edit ${course.title}` : 'Add a course',
    faculty,
    course,
    action: course
      ? `/learning/courses/${course.slug}/edit`
      : `/learning/faculties/${faculty.slug}/courses/new`,
    modeItems,
    ...(await learning.courses.courseFormChoices(faculty, course?.id)),
  })

  app.get(
    '/learning/faculties/:slug/courses/new',
    { schema: { params: slugParams } },
    async (request, reply) => {
      const faculty = await catalogue.facultyBySlug(request.params.slug)
      requireFacultyManager(request.user, faculty.id)
      const values = {
        eligibility: 'all',
        minAttendancePct: '80',
        eligibleOrgIds: [],
        eligibleRoles: [],
        prerequisites: [],
        version: 0,
      }
      return reply.page('learning/views/course-form.njk', { ...(await courseContext(faculty)()), values })
    },
  )

  app.post(
    '/learning/faculties/:slug/courses/new',
    { schema: { params: slugParams }, preHandler: g.manager('faculty') },
    async (request, reply) => {
      const user = requireUser(request)
      const faculty = await catalogue.facultyBySlug(request.params.slug)
      requireFacultyManager(user, faculty.id)
      const body = withLists(request.body, COURSE_LISTS)
      return handleForm(
        reply,
        {
          schema: courseForm,
          body,
          template: 'learning/views/course-form.njk',
          context: courseContext(faculty),
          order: COURSE_ORDER,
        },
        async (data) => {
          const course = await learning.courses.createCourse(
            user,
            faculty.slug,
            data,
            requestMeta(request).ip,
          )
          return reply
            .flash(`Course added${course.published ? ' and published' : ' as a draft'}. Now add a cohort.`)
            .redirect(`/learning/courses/${course.slug}`, 303)
        },
      )
    },
  )

  app.get('/learning/courses/:slug/edit', { schema: { params: slugParams } }, async (request, reply) => {
    const course = await catalogue.courseBySlug(request.params.slug)
    requireFacultyManager(request.user, course.facultyId)
    const faculty = await catalogue.facultyBySlug(course.facultySlug)
    return reply.page('learning/views/course-form.njk', {
      ...(await courseContext(faculty, course)()),
      values: courseValues(course),
    })
  })

  app.post(
    '/learning/courses/:slug/edit',
    { schema: { params: slugParams }, preHandler: g.manager('course') },
    async (request, reply) => {
      const user = requireUser(request)
      const course = await catalogue.courseBySlug(request.params.slug)
      requireFacultyManager(user, course.facultyId)
      const faculty = await catalogue.facultyBySlug(course.facultySlug)
      const body = withLists(request.body, COURSE_LISTS)
      return handleForm(
        reply,
        {
          schema: courseForm,
          body,
          template: 'learning/views/course-form.njk',
          context: courseContext(faculty, course),
          order: COURSE_ORDER,
        },
        async (data) => {
          await learning.courses.updateCourse(user, course.slug, data, requestMeta(request).ip)
          return reply.flash('Course saved.').redirect(`/learning/courses/${course.slug}`, 303)
        },
      )
    },
  )
}
