import type { FastifyRequest } from 'fastify'
import { requestMeta, requireUser } from '../../web/plugin.js'
import { guard } from '../../web/guard.js'
import { formErrorPage, handleForm } from '../../web/form-page.js'
import { formBody, idParams, type ZodApp } from '../../web/route-schemas.js'
import { ValidationError } from '../../core/errors.js'
import { dateField } from '../../core/dates.js'
import type { CurrentUser } from '../../core/identity.js'
import { IMPACT_AREAS, IMPACT_COMPONENTS, LEVEL_NAMES } from './framework.js'
import { actionParams, impactActionForm, impactNewForm, impactRatingsForm, impactShareForm } from './forms.js'
import { IMPACT_PATH, type ImpactService } from './service.js'

const periodField = dateField('date of the period assessed')
const VIEWS = 'governance/impact/views'

/** The period's date from its three inputs, or a ValidationError naming the field. */
function periodOf(data: { periodDay?: string; periodMonth?: string; periodYear?: string }): string {
  const parsed = periodField.safeParse({
    day: (data.periodDay ?? '').trim(),
    month: (data.periodMonth ?? '').trim(),
    year: (data.periodYear ?? '').trim(),
  })
  if (!parsed.success)
    throw new ValidationError({ period: parsed.error.issues[0]?.message ?? 'Enter a real date' })
  return parsed.data
}

const periodValues = (period: string) => {
  const [y, m, d] = period.split('-')
  return { periodDay: String(Number(d)), periodMonth: String(Number(m)), periodYear: y }
}

/**
 * The NHS IMPACT self-assessment (issue 12 point 6): the list with each scope's trend, a new
 * assessment, its page (ratings while draft, complete, share) and its actions. Permission
 * first: the guard decides from the person and the assessment before the body is read.
 */
export async function impactRoutes(app: ZodApp, { impact }: { impact: ImpactService }) {
  const user = guard((u) => impact.requireUser(u))
  const idOf = (r: FastifyRequest) => (r.params as { id: string }).id
  const reader = guard((u, r) => impact.load(u, idOf(r)))
  const editor = guard((u, r) => impact.loadForEdit(u, idOf(r)))
  const ip = (r: FastifyRequest) => requestMeta(r).ip

  app.get(IMPACT_PATH, { preHandler: user }, async (request, reply) => {
    const u = requireUser(request)
    return reply.page(`${VIEWS}/list.njk`, {
      title: 'NHS IMPACT self-assessment',
      groups: await impact.list(u),
      canCreate: (await impact.scopes(u)).length > 0,
      components: IMPACT_COMPONENTS,
    })
  })

  const newPage = async (u: CurrentUser) => ({
    title: 'Start a self-assessment',
    scopes: await impact.scopes(u),
  })

  app.get(`${IMPACT_PATH}/new`, { preHandler: user }, async (request, reply) => {
    const u = requireUser(request)
    return reply.page(`${VIEWS}/new.njk`, { ...(await newPage(u)), values: {} })
  })

  app.post(
    IMPACT_PATH,
    { schema: { body: formBody }, preHandler: user, config: { once: 'content' } },
    async (request, reply) => {
      const u = requireUser(request)
      return handleForm(
        reply,
        {
          schema: impactNewForm,
          body: request.body,
          template: `${VIEWS}/new.njk`,
          context: () => newPage(u),
          order: ['scope', 'period'],
        },
        async (data) => {
          if (!data.scope)
            throw new ValidationError({ scope: 'Choose the system or an organisation to assess' })
          const id = await impact.create(u, { scope: data.scope, period: periodOf(data) }, ip(request))
          return reply
            .flash('The self-assessment is started as a draft.')
            .redirect(`${IMPACT_PATH}/${id}`, 303)
        },
      )
    },
  )

  const viewPage = async (u: CurrentUser, id: string) => {
    const view = await impact.view(u, id)
    return { title: `NHS IMPACT self-assessment: ${view.scopeName}`, ...view, levelNames: LEVEL_NAMES }
  }
  const viewValues = (view: Awaited<ReturnType<typeof viewPage>>) => ({
    ...periodValues(view.assessment.period),
    ...Object.fromEntries(
      view.components.flatMap((c) =>
        c.areas.flatMap((a) => [
          [`level_${a.id}`, a.level === null ? 'na' : String(a.level)],
          [`note_${a.id}`, a.note],
        ]),
      ),
    ),
  })

  app.get(
    `${IMPACT_PATH}/:id`,
    { schema: { params: idParams }, preHandler: reader },
    async (request, reply) => {
      const context = await viewPage(requireUser(request), request.params.id)
      return reply.page(`${VIEWS}/assessment.njk`, { ...context, values: viewValues(context) })
    },
  )

  app.post(
    `${IMPACT_PATH}/:id`,
    { schema: { params: idParams, body: formBody }, preHandler: editor },
    async (request, reply) => {
      const u = requireUser(request)
      const id = request.params.id
      return handleForm(
        reply,
        {
          schema: impactRatingsForm,
          body: request.body,
          template: `${VIEWS}/assessment.njk`,
          context: () => viewPage(u, id),
          order: ['status', 'period', ...IMPACT_AREAS.flatMap((a) => [`level_${a.id}`, `note_${a.id}`])],
        },
        async (data) => {
          const levels: Record<string, number | null> = {}
          const notes: Record<string, string> = {}
          for (const a of IMPACT_AREAS) {
            const level = data[`level_${a.id}`]
            levels[a.id] = level && level !== 'na' ? Number(level) : null
            notes[a.id] = data[`note_${a.id}`] ?? ''
          }
          await impact.save(u, id, { period: periodOf(data), levels, notes }, ip(request))
          return reply.flash('The self-assessment is saved as a draft.').redirect(`${IMPACT_PATH}/${id}`, 303)
        },
      )
    },
  )

  app.post(
    `${IMPACT_PATH}/:id/complete`,
    { schema: { params: idParams, body: formBody }, preHandler: editor },
    async (request, reply) => {
      const u = requireUser(request)
      const id = request.params.id
      try {
        await impact.complete(u, id, ip(request))
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const context = await viewPage(u, id)
        return formErrorPage(reply, `${VIEWS}/assessment.njk`, error.fields, viewValues(context), context)
      }
      return reply.flash('The self-assessment is complete.').redirect(`${IMPACT_PATH}/${id}`, 303)
    },
  )

  app.post(
    `${IMPACT_PATH}/:id/share`,
    { schema: { params: idParams, body: formBody }, preHandler: editor },
    async (request, reply) => {
      const u = requireUser(request)
      const id = request.params.id
      return handleForm(
        reply,
        {
          schema: impactShareForm,
          body: request.body,
          template: `${VIEWS}/assessment.njk`,
          context: () => viewPage(u, id),
        },
        async (data) => {
          await impact.share(u, id, data.shared, ip(request))
          return reply
            .flash(
              data.shared
                ? 'The self-assessment is shared: the Steering Group and the Board can see it.'
                : 'The self-assessment is private to your organisation again.',
            )
            .redirect(`${IMPACT_PATH}/${id}`, 303)
        },
      )
    },
  )

  const actionsPage = async (u: CurrentUser, id: string) => ({
    title: 'Actions',
    ...(await impact.actions(u, id)),
  })

  app.get(
    `${IMPACT_PATH}/:id/actions`,
    { schema: { params: idParams }, preHandler: reader },
    async (request, reply) => {
      const context = await actionsPage(requireUser(request), request.params.id)
      return reply.page(`${VIEWS}/actions.njk`, { ...context, values: {} })
    },
  )

  app.post(
    `${IMPACT_PATH}/:id/actions`,
    { schema: { params: idParams, body: formBody }, preHandler: editor, config: { once: 'content' } },
    async (request, reply) => {
      const u = requireUser(request)
      const id = request.params.id
      return handleForm(
        reply,
        {
          schema: impactActionForm,
          body: request.body,
          template: `${VIEWS}/actions.njk`,
          context: () => actionsPage(u, id),
          order: ['area', 'text', 'linkType', 'linkRef'],
        },
        async (data) => {
          await impact.addAction(
            u,
            id,
            { area: data.area, text: data.text, linkType: data.linkType || null, linkRef: data.linkRef },
            ip(request),
          )
          return reply.flash('The action is added.').redirect(`${IMPACT_PATH}/${id}/actions`, 303)
        },
      )
    },
  )

  app.post(
    `${IMPACT_PATH}/:id/actions/:actionId/remove`,
    { schema: { params: actionParams, body: formBody }, preHandler: editor },
    async (request, reply) => {
      const u = requireUser(request)
      await impact.removeAction(u, request.params.id, request.params.actionId, ip(request))
      return reply
        .flash('The action is removed.')
        .redirect(`${IMPACT_PATH}/${request.params.id}/actions`, 303)
    },
  )
}
