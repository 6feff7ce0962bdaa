import type { FastifyReply } from 'fastify'
import { requestMeta, requireUser } from '../web/plugin.js'
import { guard } from '../web/guard.js'
import { handleForm } from '../web/form-page.js'
import { errorList } from '../web/forms.js'
import { sendDownload } from '../web/download.js'
import { formBody, type ZodApp } from '../web/route-schemas.js'
import { ValidationError } from '../core/errors.js'
import { dateField } from '../core/dates.js'
import type { CurrentUser } from '../core/identity.js'
import type { GovernanceServices } from './index.js'
import {
  capabilityQuery,
  headcountForm,
  removeTargetForm,
  targetForm,
  type CapabilityQuery,
} from './forms.js'
import { CAPABILITY_PATH, HEADCOUNTS_PATH } from './capability-service.js'
import { canSteer } from './policy.js'

const TEMPLATE = 'governance/views/capability.njk'
const byDate = dateField('date the target is due')

/**
 * Capability against targets (issue 12 point 2): the page and its CSV (Steering Group and
 * Board), the Steering Group's targets, and the headcount each organisation's admin enters.
 */
export async function capabilityRoutes(app: ZodApp, { governance }: { governance: GovernanceServices }) {
  const { capability } = governance
  const reader = guard((user) => capability.requireReader(user))
  const steering = guard((user) => capability.requireSteering(user))
  const orgAdmin = guard((user) => capability.requireOrgAdmin(user))

  const page = async (user: CurrentUser, query: CapabilityQuery) => {
    const parsed = await capability.parseFilters(query)
    const options = parsed.options
    const items = (m: Map<string, string>) => [
      { value: '', text: 'All' },
      ...[...m].map(([value, text]) => ({ value, text })),
    ]
    const filterForm = (['faculty', 'level', 'organisation'] as const).map((key) => ({
      key,
      label: { faculty: 'Faculty', level: 'Course level', organisation: 'Organisation' }[key],
      value: query[key] ?? '',
      items: items(options[key]),
    }))
    const base = {
      title: 'Capability',
      filterForm,
      canSteer: canSteer(user),
      organisations: [...options.organisation].map(([value, text]) => ({ value, text })),
      levelItems: [...options.level].map(([value, text]) => ({ value, text })),
    }
    if (Object.keys(parsed.errors).length)
      return {
        ok: false as const,
        context: { ...base, errors: parsed.errors, errorItems: errorList(parsed.errors) },
      }
    const figures = await capability.figures(user, parsed.filters, options)
    const csvQuery = new URLSearchParams(parsed.filters as Record<string, string>).toString()
    return {
      ok: true as const,
      context: { ...base, ...figures, csvHref: `${CAPABILITY_PATH}.csv${csvQuery ? `?${csvQuery}` : ''}` },
    }
  }

  app.get(
    CAPABILITY_PATH,
    { schema: { querystring: capabilityQuery }, preHandler: reader },
    async (request, reply) => {
      const user = requireUser(request)
      const { ok, context } = await page(user, request.query)
      return reply.page(TEMPLATE, context, ok ? 200 : 400)
    },
  )

  app.get(
    `${CAPABILITY_PATH}.csv`,
    { schema: { querystring: capabilityQuery }, preHandler: reader, config: { download: true } },
    async (request, reply) => {
      const user = requireUser(request)
      const result = await capability.csv(user, request.query, requestMeta(request).ip)
      if ('errors' in result)
        return reply
          .code(400)
          .type('application/problem+json')
          .send({ title: 'A filter names nothing we know', status: 400, errors: result.errors })
      return sendDownload(reply, result.file, 'text/csv; charset=utf-8')
    },
  )

  const formContext = async (user: CurrentUser) => (await page(user, {})).context

  app.post(
    `${CAPABILITY_PATH}/targets`,
    { schema: { body: formBody }, preHandler: steering },
    async (request, reply) => {
      const user = requireUser(request)
      return handleForm(
        reply,
        {
          schema: targetForm,
          body: request.body,
          template: TEMPLATE,
          context: () => formContext(user),
          order: ['organisationId', 'level', 'percent', 'byDate'],
        },
        async (data) => {
          const date = byDate.safeParse({
            day: data.byDateDay.trim(),
            month: data.byDateMonth.trim(),
            year: data.byDateYear.trim(),
          })
          if (!date.success)
            throw new ValidationError({ byDate: date.error.issues[0]?.message ?? 'Enter a real date' })
          await capability.setTarget(
            user,
            {
              organisationId: data.organisationId,
              level: data.level,
              percent: data.percent,
              byDate: date.data,
            },
            requestMeta(request).ip,
          )
          return reply.flash('The capability target is saved.').redirect(CAPABILITY_PATH, 303)
        },
      )
    },
  )

  app.post(
    `${CAPABILITY_PATH}/targets/remove`,
    { schema: { body: formBody }, preHandler: steering },
    async (request, reply) => {
      const user = requireUser(request)
      return handleForm(
        reply,
        {
          schema: removeTargetForm,
          body: request.body,
          template: TEMPLATE,
          context: () => formContext(user),
        },
        async (data) => {
          await capability.removeTarget(user, data.organisationId, data.level, requestMeta(request).ip)
          return reply.flash('The capability target is removed.').redirect(CAPABILITY_PATH, 303)
        },
      )
    },
  )

  const headcountPage = async (user: CurrentUser) => ({
    title: 'Staff headcounts',
    organisations: await capability.headcounts(user),
  })

  app.get(HEADCOUNTS_PATH, { preHandler: orgAdmin }, async (request, reply: FastifyReply) => {
    const user = requireUser(request)
    return reply.page('governance/views/headcounts.njk', await headcountPage(user))
  })

  app.post(HEADCOUNTS_PATH, { schema: { body: formBody }, preHandler: orgAdmin }, async (request, reply) => {
    const user = requireUser(request)
    return handleForm(
      reply,
      {
        schema: headcountForm,
        body: request.body,
        template: 'governance/views/headcounts.njk',
        context: () => headcountPage(user),
      },
      async (data) => {
        await capability.setHeadcount(user, data.organisationId, data.headcount, requestMeta(request).ip)
        return reply.flash('The headcount is saved.').redirect(HEADCOUNTS_PATH, 303)
      },
    )
  })
}
