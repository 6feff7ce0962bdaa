import { facilitationGuards } from '../guards.js'
import { z } from 'zod'
import { handleForm } from '../../web/form-page.js'
import { requestMeta, requireUser } from '../../web/plugin.js'
import { idParams, slugParam, type ZodApp } from '../../web/route-schemas.js'
import { ForbiddenError } from '../../core/errors.js'
import type { FacilitationServices } from '../index.js'
import { priorityForm, programmeForm } from '../forms.js'
import { REQUEST_STATUSES } from '../support/lifecycle.js'
import { canEditProgramme, canManagePriorities } from '../policy.js'

/** Programme pages (public) and the Steering Group's system priorities. */
const slugParams = z.object({ slug: slugParam })

export async function programmeRoutes(app: ZodApp, { f }: { f: FacilitationServices }) {
  const g = facilitationGuards(f)
  app.get('/programmes', async (_request, reply) => {
    const programmes = await f.programmes.list()
    return reply.page('facilitation/views/programmes.njk', { title: 'System programmes', programmes })
  })

  app.get('/programmes/:slug', { schema: { params: slugParams } }, async (request, reply) => {
    const { slug } = request.params
    const page = await f.programmes.page(request.user, slug)
    const events = await f.events.forProgramme(page.programme.id)
    return reply.page('facilitation/views/programme.njk', {
      title: page.programme.name,
      ...page,
      ...events,
      statuses: REQUEST_STATUSES,
    })
  })

  const editContext = (slug: string) => async () => ({
    title: 'Edit programme',
    programme: await f.programmes.find(slug),
  })

  app.get(
    '/programmes/:slug/edit',
    { schema: { params: slugParams }, preHandler: g.programmeEditor },
    async (request, reply) => {
      const user = requireUser(request)
      const { slug } = request.params
      const programme = await f.programmes.find(slug)
      if (!canEditProgramme(user, programme.id))
        throw new ForbiddenError('Only the programme’s leads and the Steering Group can edit this programme')
      return reply.page('facilitation/views/programme-edit.njk', {
        title: 'Edit programme',
        programme,
        values: { description: programme.description },
      })
    },
  )

  app.post(
    '/programmes/:slug/edit',
    { schema: { params: slugParams }, preHandler: g.programmeEditor },
    async (request, reply) => {
      const user = requireUser(request)
      const { slug } = request.params
      return handleForm(
        reply,
        {
          schema: programmeForm,
          body: request.body,
          template: 'facilitation/views/programme-edit.njk',
          context: editContext(slug),
        },
        async (data) => {
          await f.programmes.updateDescription(user, slug, data.description, requestMeta(request).ip)
          return reply.flash('The programme has been updated.').redirect(`/programmes/${slug}`, 303)
        },
      )
    },
  )

  // ----- system priorities -----

  app.get('/priorities', async (request, reply) => {
    const priorities = await f.programmes.priorities()
    return reply.page('facilitation/views/priorities.njk', {
      title: 'System priorities',
      priorities,
      canManage: canManagePriorities(request.user),
    })
  })

  const priorityOrder = ['name', 'owner', 'description']
  const requireSteering = (request: Parameters<typeof requireUser>[0]) => {
    const user = requireUser(request)
    if (!canManagePriorities(user))
      throw new ForbiddenError('Only the Steering Group keeps the system priorities')
    return user
  }

  app.get('/priorities/new', async (request, reply) => {
    requireSteering(request)
    return reply.page('facilitation/views/priority-form.njk', {
      title: 'Add a system priority',
      action: '/priorities/new',
      values: {},
    })
  })

  app.post(
    '/priorities/new',
    { preHandler: g.steering, config: { once: 'content' } },
    async (request, reply) => {
      const user = requireSteering(request)
      const context = () => ({ title: 'Add a system priority', action: '/priorities/new' })
      return handleForm(
        reply,
        {
          schema: priorityForm,
          body: request.body,
          template: 'facilitation/views/priority-form.njk',
          context,
          order: priorityOrder,
        },
        async (data) => {
          await f.programmes.createPriority(user, data, requestMeta(request).ip)
          return reply.flash(`“${data.name}” has been added.`).redirect('/priorities', 303)
        },
      )
    },
  )

  app.get('/priorities/:id/edit', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireSteering(request)
    const { id } = request.params
    const p = await f.programmes.priority(user, id)
    return reply.page('facilitation/views/priority-form.njk', {
      title: 'Change a system priority',
      action: `/priorities/${id}/edit`,
      priority: p,
      values: p,
    })
  })

  app.post(
    '/priorities/:id/edit',
    { schema: { params: idParams }, preHandler: g.steering },
    async (request, reply) => {
      const user = requireSteering(request)
      const { id } = request.params
      const context = async () => ({
        title: 'Change a system priority',
        action: `/priorities/${id}/edit`,
        priority: await f.programmes.priority(user, id),
      })
      return handleForm(
        reply,
        {
          schema: priorityForm,
          body: request.body,
          template: 'facilitation/views/priority-form.njk',
          context,
          order: priorityOrder,
        },
        async (data) => {
          await f.programmes.updatePriority(user, id, data, requestMeta(request).ip)
          return reply.flash(`“${data.name}” has been saved.`).redirect('/priorities', 303)
        },
      )
    },
  )

  app.get('/priorities/:id/delete', { schema: { params: idParams } }, async (request, reply) => {
    const user = requireSteering(request)
    const { id } = request.params
    const priority = await f.programmes.priority(user, id)
    return reply.page('facilitation/views/priority-delete.njk', {
      title: `Delete ${priority.name}`,
      priority,
    })
  })

  app.post(
    '/priorities/:id/delete',
    { schema: { params: idParams }, preHandler: g.steering },
    async (request, reply) => {
      const user = requireSteering(request)
      const { id } = request.params
      const priority = await f.programmes.priority(user, id)
      await f.programmes.deletePriority(user, id, requestMeta(request).ip)
      return reply.flash(`“${priority.name}” has been deleted.`).redirect('/priorities', 303)
    },
  )
}
