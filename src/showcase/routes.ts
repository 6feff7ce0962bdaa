import type { FastifyReply, FastifyRequest } from 'fastify'
import multipart from '@fastify/multipart'
import { z } from 'zod'
import { ForbiddenError, ValidationError } from '../core/errors.js'
import { chartParams } from '../measures/routes-page.js'
import { handleForm } from '../web/form-page.js'
import { errorList, fieldErrors } from '../web/forms.js'
import { guard, signedIn } from '../web/guard.js'
import { pagination } from '../web/pagination.js'
import { requireUser } from '../web/plugin.js'
import { idParam, idParams, type ZodApp } from '../web/route-schemas.js'
import { POSTER_LIMITS, tooLargeMessage } from './files.js'
import {
  confirmConsentForm,
  consentBody,
  consentForm,
  decisionForm,
  galleryQuery,
  occasionBody,
  occasionForm,
  posterForm,
  POSTER_FIELD_ORDER,
  voteForm,
  type PosterInput,
} from './forms.js'
import { APPEARS_AS, CONSENT_METHODS, isSteeringGroup, POSTER_STATUS_LABELS } from './policy.js'
import type { UploadedFile } from './poster-service.js'
import { archiveRoutes } from './routes-archive.js'
import { choices, filterParams, sharedChoices } from './filter-form.js'
import { judgingRoutes } from './routes-judging.js'
import { GALLERY_PAGE_SIZE, type ShowcaseService } from './service.js'

export interface ShowcaseRouteServices {
  showcase: ShowcaseService
}

const consentParams = z.object({ id: idParam, consentId: idParam })
const ip = (request: FastifyRequest) => request.ip

type Fields = Record<string, string | string[]>

/** The form's fields and its one file, read from a multipart body into memory (never to disk). */
async function readMultipart(
  request: FastifyRequest,
): Promise<{ fields: Fields; file: UploadedFile | null; error?: { message: string; status: number } }> {
  const fields: Fields = {}
  let file: UploadedFile | null = null
  if (!request.isMultipart())
    return { fields, file, error: { message: 'Select a PDF, PNG or JPEG file', status: 400 } }
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer()
        if (part.fieldname === 'file' && part.filename) file = { filename: part.filename, bytes }
      } else if (typeof part.value === 'string') {
        const prior = fields[part.fieldname]
        fields[part.fieldname] = prior === undefined ? part.value : ([] as string[]).concat(prior, part.value)
      }
    }
  } catch (error) {
    const e = error as { code?: string; statusCode?: number }
    if (e.code === 'FST_REQ_FILE_TOO_LARGE' || e.statusCode === 413)
      return { fields, file: null, error: { message: tooLargeMessage(), status: 413 } }
    return {
      fields,
      file: null,
      error: {
        message: 'The upload did not arrive whole (the connection may have dropped): try again',
        status: 400,
      },
    }
  }
  return { fields, file }
}

const statusTag = (status: string) => POSTER_STATUS_LABELS[status] ?? status

/** The showcase: the gallery, occasions, posters from upload to approval, and voting. */
export async function showcaseRoutes(app: ZodApp, { services }: { services: ShowcaseRouteServices }) {
  const showcase = services.showcase
  const posters = showcase.posters
  await app.register(multipart, {
    limits: {
      fileSize: POSTER_LIMITS.maxBytes,
      files: 1,
      fields: 40,
      fieldSize: 8000,
      parts: 50,
      headerPairs: 50,
    },
    throwFileSizeLimit: true,
  })

  const steering = guard((user) => {
    if (!isSteeringGroup(user)) throw new ForbiddenError('Only the Steering Group can do this')
  })
  const canEdit = guard((user, r) => posters.load(user, (r.params as { id: string }).id, 'edit'))
  const canConsent = guard((user, r) => posters.load(user, (r.params as { id: string }).id, 'consent'))
  const canReview = guard((user, r) => posters.load(user, (r.params as { id: string }).id, 'review'))

  const formOptions = async (request: FastifyRequest) => {
    const user = request.user
    const options = await showcase.filterOptions()
    return {
      occasions: options.occasions.filter((o) => o.status === 'open'),
      programmes: options.programmes,
      organisations: options.organisations,
      aims: options.aims,
      projects: user ? await posters.projectChoices(user) : [],
    }
  }

  // ----- the gallery -----

  app.get('/showcase', { schema: { querystring: galleryQuery } }, async (request, reply) => {
    const q = request.query
    const year = /^\d{4}$/.test(q.year) ? Number(q.year) : undefined
    const filters = {
      occasionId: q.occasion || undefined,
      programmeId: q.programme || undefined,
      organisationId: q.organisation || undefined,
      aimCode: q.aim || undefined,
      year,
      q: q.q || undefined,
      page: q.page,
      pageSize: GALLERY_PAGE_SIZE,
    }
    const [result, options] = await Promise.all([
      showcase.gallery(request.user, filters),
      showcase.filterOptions(),
    ])
    const params = filterParams({
      occasion: q.occasion,
      programme: q.programme,
      organisation: q.organisation,
      aim: q.aim,
      year: q.year,
      q: q.q,
    })
    const filtered = params.toString() !== ''
    const filterItems = {
      occasion: choices(
        options.occasions.map((o) => ({ value: o.id, text: o.title })),
        q.occasion,
        'Any occasion',
      ),
      ...sharedChoices(options, q),
      year: choices(
        options.years.map((y) => ({ value: String(y), text: String(y) })),
        q.year,
        'Any year',
      ),
    }
    // The form depends on the filters and the lists alone: rendered once per set (app.fragment).
    const filtersHtml = await app.fragment('showcase/views/_gallery-filters.njk', {
      query: { q: q.q ?? '' },
      filterItems,
    })
    return reply.page('showcase/views/gallery.njk', {
      title: 'Showcase: celebrating improvement',
      metaDescription:
        'Posters of improvement work across One Gloucestershire: filter by occasion, programme, organisation, aim and year.',
      items: result.items,
      total: result.total,
      filtered,
      query: q,
      occasions: options.occasions,
      filtersHtml,
      pages: pagination('/showcase', params, q.page, GALLERY_PAGE_SIZE, result.total),
      canManage: isSteeringGroup(request.user),
    })
  })

  app.get('/showcase/mine', { preHandler: signedIn }, async (request, reply) => {
    const user = requireUser(request)
    const mine = await posters.mine(user)
    return reply.page('showcase/views/mine.njk', {
      title: 'Your posters',
      items: mine.map((p) => ({ ...p, statusLabel: statusTag(p.status) })),
      review: isSteeringGroup(user) ? await posters.reviewQueue(user) : null,
    })
  })

  // ----- occasions -----

  const occasionTemplate = 'showcase/views/occasion-form.njk'
  app.get('/showcase/occasions/new', { preHandler: steering }, async (_request, reply) =>
    reply.page(occasionTemplate, { title: 'Create an occasion', values: { kind: 'event' } }),
  )

  app.post(
    '/showcase/occasions',
    { preHandler: steering, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      return handleForm(
        reply,
        {
          schema: occasionForm,
          body: occasionBody(request.body),
          template: occasionTemplate,
          context: () => ({ title: 'Create an occasion' }),
          order: ['title', 'kind', 'startsOn', 'endsOn', 'votingOpensOn', 'votingClosesOn', 'categories'],
        },
        async (data) => {
          const id = await showcase.createOccasion(user, data, ip(request))
          return reply.flash(`${data.title} has been created.`).redirect(`/showcase/occasions/${id}`, 303)
        },
      )
    },
  )

  const occasionContext = async (request: FastifyRequest, id: string) => {
    const page = await showcase.occasionPage(request.user, id)
    return {
      title: page.occasion.title,
      metaDescription: page.occasion.summary || `Posters from ${page.occasion.title}`,
      ...page,
      voteItems: page.posters.map((p) => ({ value: p.id, text: p.title })),
    }
  }

  app.get('/showcase/occasions/:id', { schema: { params: idParams } }, async (request, reply) =>
    reply.page('showcase/views/occasion.njk', await occasionContext(request, request.params.id)),
  )

  app.post(
    '/showcase/occasions/:id/close',
    { schema: { params: idParams }, preHandler: steering },
    async (request, reply) => {
      const user = requireUser(request)
      await showcase.closeOccasion(user, request.params.id, ip(request))
      return reply
        .flash('The occasion is closed: voting has ended and the results are shown.')
        .redirect(`/showcase/occasions/${request.params.id}`, 303)
    },
  )

  app.post(
    '/showcase/occasions/:id/vote',
    { schema: { params: idParams }, preHandler: signedIn },
    async (request, reply) => {
      const user = requireUser(request)
      const parsed = voteForm.safeParse(request.body ?? {})
      const data = parsed.success ? parsed.data : { categoryId: '', itemId: '' }
      try {
        const r = await showcase.vote(user, request.params.id, data.categoryId, data.itemId)
        return reply
          .flash(
            r.changed
              ? `Your vote in ${r.category} is now for ${r.title}.`
              : `Your vote for ${r.title} in ${r.category} has been counted.`,
          )
          .redirect(`/showcase/occasions/${request.params.id}`, 303)
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const field = Object.keys(error.fields)[0] ?? 'itemId'
        const errors = { [`vote-${data.categoryId || 'form'}`]: error.fields[field] }
        return reply.page(
          'showcase/views/occasion.njk',
          { ...(await occasionContext(request, request.params.id)), errors, errorItems: errorList(errors) },
          400,
        )
      }
    },
  )

  // ----- posters -----

  const newPosterTemplate = 'showcase/views/poster-new.njk'
  app.get(
    '/showcase/posters/new',
    {
      preHandler: signedIn,
      schema: { querystring: z.object({ occasion: z.string().optional().catch(undefined) }) },
    },
    async (request, reply) =>
      reply.page(newPosterTemplate, {
        title: 'Add a poster',
        ...(await formOptions(request)),
        values: {
          occasionId: request.query.occasion ?? '',
          visibility: 'public',
          organisationIds: [],
          aimCodes: [],
        },
        maxMb: POSTER_LIMITS.maxBytes / 1024 / 1024,
      }),
  )

  const posterFormFailed = async (
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    errors: Record<string, string>,
    values: Fields,
    status: number,
    extra: Record<string, unknown> = {},
  ) => {
    if (errors.file === undefined && template === newPosterTemplate)
      errors = { ...errors, file: 'Select the file again (a file is not kept when the form has a problem)' }
    const { _csrf: _token, ...safeValues } = values
    return reply.page(
      template,
      {
        title: 'Add a poster',
        ...(await formOptions(request)),
        maxMb: POSTER_LIMITS.maxBytes / 1024 / 1024,
        ...extra,
        values: safeValues,
        errors,
        errorItems: errorList(errors, POSTER_FIELD_ORDER),
      },
      status,
    )
  }

  app.post('/showcase/posters', { preHandler: signedIn, config: { once: false } }, async (request, reply) => {
    const user = requireUser(request)
    const { fields, file, error } = await readMultipart(request)
    if (error)
      return posterFormFailed(
        request,
        reply,
        newPosterTemplate,
        { file: error.message },
        fields,
        error.status,
      )
    const parsed = posterForm.safeParse(fields)
    let fileError: string | undefined
    try {
      posters.checkFile(file)
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e
      fileError = e.fields.file
    }
    if (!parsed.success || fileError) {
      const errors = {
        ...(fileError ? { file: fileError } : {}),
        ...(parsed.success ? {} : fieldErrors(parsed.error)),
      }
      return posterFormFailed(
        request,
        reply,
        newPosterTemplate,
        errors,
        fields,
        fileError === tooLargeMessage() ? 413 : 400,
      )
    }
    try {
      const id = await posters.create(user, parsed.data, file, ip(request))
      return reply
        .flash(
          'The poster has been saved as a draft. We are checking the file: record consent while you wait.',
        )
        .redirect(`/showcase/posters/${id}`, 303)
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e
      return posterFormFailed(request, reply, newPosterTemplate, e.fields, fields, 400)
    }
  })

  const posterContext = async (request: FastifyRequest, id: string) => {
    const page = await showcase.posterPage(request.user, id)
    const p = page.poster
    const origin = `${request.protocol}://${request.host}`
    return {
      title: p.title,
      metaDescription: p.summary.slice(0, 200),
      ogUrl: `${origin}/showcase/posters/${p.id}`,
      ogOrigin: origin,
      ogImage: page.access.listed && page.files.preview ? `/showcase/posters/${p.id}/preview.png` : null,
      ...page,
      statusLabel: statusTag(p.status),
      consentMethods: CONSENT_METHODS,
      appearsAs: APPEARS_AS,
      chartParams: page.charts.map((c) => ({
        measure: c.measure,
        params:
          c.chart.svg || c.chart.rows.length
            ? chartParams(c.measure, c.chart, `poster-chart-${c.measure.id}`, null)
            : null,
        description: c.chart.description,
      })),
      decisionItems: [
        { value: 'approve', text: 'Approve and publish' },
        { value: 'return', text: 'Return to the team with comments' },
        { value: 'withdraw', text: 'Withdraw the poster' },
      ],
    }
  }

  app.get('/showcase/posters/:id', { schema: { params: idParams } }, async (request, reply) =>
    reply.page('showcase/views/poster.njk', await posterContext(request, request.params.id)),
  )

  const editTemplate = 'showcase/views/poster-edit.njk'
  const editValues = async (request: FastifyRequest, id: string) => {
    const page = await showcase.posterPage(request.user, id)
    const p = page.poster
    return {
      poster: p,
      values: {
        title: p.title,
        summary: p.summary,
        occasionId: p.occasionId ?? '',
        projectId: p.projectId ?? '',
        programmeId: p.programmeId ?? '',
        organisationIds: page.organisations.map((o) => o.id),
        aimCodes: page.aims.map((a) => a.code),
        funder: p.funder ?? '',
        visibility: p.visibility === 'community' ? 'community' : 'public',
        version: String(p.version),
      },
    }
  }

  app.get(
    '/showcase/posters/:id/edit',
    { schema: { params: idParams }, preHandler: canEdit },
    async (request, reply) =>
      reply.page(editTemplate, {
        title: 'Change the poster’s details',
        ...(await formOptions(request)),
        ...(await editValues(request, request.params.id)),
      }),
  )

  app.post(
    '/showcase/posters/:id/edit',
    { schema: { params: idParams }, preHandler: canEdit },
    async (request, reply) => {
      const user = requireUser(request)
      const { poster } = await editValues(request, request.params.id)
      return handleForm(
        reply,
        {
          schema: posterForm,
          body: request.body,
          template: editTemplate,
          context: async () => ({
            title: 'Change the poster’s details',
            poster,
            ...(await formOptions(request)),
          }),
          order: POSTER_FIELD_ORDER,
        },
        async (data: PosterInput) => {
          await posters.update(user, request.params.id, data, ip(request))
          return reply
            .flash('The poster’s details have been saved.')
            .redirect(`/showcase/posters/${request.params.id}`, 303)
        },
      )
    },
  )

  const fileTemplate = 'showcase/views/poster-file.njk'
  app.get(
    '/showcase/posters/:id/file',
    { schema: { params: idParams }, preHandler: canEdit },
    async (request, reply) => {
      const { poster } = await posters.load(request.user, request.params.id, 'edit')
      return reply.page(fileTemplate, {
        title: 'Upload the poster file',
        poster,
        maxMb: POSTER_LIMITS.maxBytes / 1024 / 1024,
      })
    },
  )

  app.post(
    '/showcase/posters/:id/file',
    { schema: { params: idParams }, preHandler: canEdit, config: { once: false } },
    async (request, reply) => {
      const user = requireUser(request)
      const { poster } = await posters.load(user, request.params.id, 'edit')
      const { file, error } = await readMultipart(request)
      const fail = (message: string, status: number) => {
        const errors = { file: message }
        return reply.page(
          fileTemplate,
          {
            title: 'Upload the poster file',
            poster,
            maxMb: POSTER_LIMITS.maxBytes / 1024 / 1024,
            errors,
            errorItems: errorList(errors),
          },
          status,
        )
      }
      if (error) return fail(error.message, error.status)
      try {
        await posters.replaceFile(user, poster.id, file, ip(request))
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e
        return fail(
          e.fields.file ?? Object.values(e.fields)[0],
          e.fields.file === tooLargeMessage() ? 413 : 400,
        )
      }
      return reply
        .flash('The file has been uploaded. We are checking it now.')
        .redirect(`/showcase/posters/${poster.id}`, 303)
    },
  )

  // Files: downloads are attachments with the type we checked; previews are our own PNGs.
  const sendFile =
    (role: 'poster' | 'preview' | 'thumbnail') =>
    async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      const file = await posters.file(request.user, request.params.id, role)
      reply
        .header('content-type', file.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'no-store')
        .header('content-length', String(file.bytes.length))
      if (role === 'poster') reply.header('content-disposition', `attachment; filename="${file.filename}"`)
      else reply.header('content-disposition', `inline; filename="${role}.png"`)
      return reply.send(file.bytes)
    }
  app.get(
    '/showcase/posters/:id/download',
    { schema: { params: idParams }, config: { download: true } },
    sendFile('poster'),
  )
  app.get('/showcase/posters/:id/preview.png', { schema: { params: idParams } }, sendFile('preview'))
  app.get('/showcase/posters/:id/thumbnail.png', { schema: { params: idParams } }, sendFile('thumbnail'))

  // ----- consent -----

  const consentTemplate = 'showcase/views/consent.njk'
  const consentContext = async (request: FastifyRequest, id: string) => {
    const { poster, access, consents } = await posters.consents(request.user, id)
    return {
      title: 'Consent for people shown or quoted',
      poster,
      access,
      consents,
      consentMethods: CONSENT_METHODS,
      appearsAs: APPEARS_AS,
      methodItems: Object.entries(CONSENT_METHODS).map(([value, text]) => ({ value, text })),
      appearsItems: Object.entries(APPEARS_AS).map(([value, text]) => ({ value, text })),
    }
  }

  app.get(
    '/showcase/posters/:id/consent',
    { schema: { params: idParams }, preHandler: canConsent },
    async (request, reply) =>
      reply.page(consentTemplate, { ...(await consentContext(request, request.params.id)), values: {} }),
  )

  app.post(
    '/showcase/posters/:id/consent',
    { schema: { params: idParams }, preHandler: canConsent, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireUser(request)
      return handleForm(
        reply,
        {
          schema: consentForm,
          body: consentBody(request.body),
          template: consentTemplate,
          context: () => consentContext(request, request.params.id),
          order: ['personName', 'appearsAs', 'method', 'givenOn'],
        },
        async (data) => {
          await posters.addConsent(user, request.params.id, data, ip(request))
          return reply
            .flash(`Consent from ${data.personName} has been recorded.`)
            .redirect(`/showcase/posters/${request.params.id}/consent`, 303)
        },
      )
    },
  )

  app.post(
    '/showcase/posters/:id/consent/confirm',
    { schema: { params: idParams }, preHandler: canEdit },
    async (request, reply) => {
      const user = requireUser(request)
      return handleForm(
        reply,
        {
          schema: confirmConsentForm,
          body: request.body,
          template: consentTemplate,
          context: () => consentContext(request, request.params.id),
        },
        async (data) => {
          await posters.confirmConsent(user, request.params.id, data, ip(request))
          return reply.flash('Consent is confirmed.').redirect(`/showcase/posters/${request.params.id}`, 303)
        },
      )
    },
  )

  app.post(
    '/showcase/posters/:id/consent/:consentId/withdraw',
    { schema: { params: consentParams }, preHandler: canConsent },
    async (request, reply) => {
      const user = requireUser(request)
      await posters.withdrawConsent(user, request.params.id, request.params.consentId, ip(request))
      return reply
        .flash(
          'Consent has been withdrawn: the poster is no longer shown to anyone outside its team and the Steering Group.',
        )
        .redirect(`/showcase/posters/${request.params.id}/consent`, 303)
    },
  )

  // ----- submission and review -----

  app.post(
    '/showcase/posters/:id/submit',
    { schema: { params: idParams }, preHandler: canEdit },
    async (request, reply) => {
      const user = requireUser(request)
      try {
        await posters.submit(user, request.params.id, ip(request))
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error
        const errors = error.fields
        return reply.page(
          'showcase/views/poster.njk',
          { ...(await posterContext(request, request.params.id)), errors, errorItems: errorList(errors) },
          400,
        )
      }
      return reply
        .flash('The poster has been sent to the Steering Group for approval.')
        .redirect(`/showcase/posters/${request.params.id}`, 303)
    },
  )

  app.get('/showcase/review', { preHandler: steering }, async (request, reply) => {
    const user = requireUser(request)
    return reply.page('showcase/views/review.njk', {
      title: 'Posters to review',
      items: await posters.reviewQueue(user),
    })
  })

  app.post(
    '/showcase/posters/:id/decision',
    { schema: { params: idParams }, preHandler: canReview },
    async (request, reply) => {
      const user = requireUser(request)
      return handleForm(
        reply,
        {
          schema: decisionForm,
          body: request.body,
          template: 'showcase/views/poster.njk',
          context: () => posterContext(request, request.params.id),
          order: ['decision', 'comment'],
        },
        async (data) => {
          await posters.decide(user, request.params.id, data.decision, data.comment, ip(request))
          const said = {
            approve: 'approved and published',
            return: 'returned to the team',
            withdraw: 'withdrawn',
          }[data.decision]
          return reply
            .flash(`The poster has been ${said}.`)
            .redirect(`/showcase/posters/${request.params.id}`, 303)
        },
      )
    },
  )

  judgingRoutes(app, showcase)
  archiveRoutes(app, showcase)
}
