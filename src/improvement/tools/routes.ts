import type { FastifyInstance, FastifyRequest } from 'fastify'
import { partsOf } from '../../core/dates.js'
import { handleForm } from '../../web/form-page.js'
import { requestMeta, requireUser } from '../../web/plugin.js'
import { deleteForm, moveForm } from '../forms.js'
import type { ImprovementServices } from '../index.js'
import {
  ITEM_KINDS,
  ITEM_LABELS,
  LIMITS,
  QUADRANTS,
  SCALE_NOTE,
  SCORE_LEVELS,
  SCORE_MAX,
  STEP_KINDS,
  STEP_KIND_LABELS,
  STEP_VALUES,
  STEP_VALUE_LABELS,
  SUSTAINABILITY_FACTORS,
  TOOL_HINTS,
  TOOL_LABELS,
  TOOL_TYPES,
  type ItemKind,
  type ToolItem,
} from './definitions.js'
import { headForm, ITEM_ORDER, itemForm, newToolForm, toolBody } from './forms.js'

type Params = { id: string; toolId?: string; itemId?: string }

const vocab = {
  toolLabels: TOOL_LABELS,
  toolHints: TOOL_HINTS,
  typeItems: TOOL_TYPES.map((value) => ({
    value,
    text: TOOL_LABELS[value],
    hint: { text: TOOL_HINTS[value] },
  })),
  stepKindItems: STEP_KINDS.map((value) => ({ value, text: STEP_KIND_LABELS[value] })),
  stepValueItems: STEP_VALUES.map((value) => ({ value, text: STEP_VALUE_LABELS[value] })),
  scoreLevels: SCORE_LEVELS,
  scoreMax: SCORE_MAX,
  scaleNote: SCALE_NOTE,
  factors: SUSTAINABILITY_FACTORS,
  quadrantLabels: QUADRANTS,
  itemLabels: ITEM_LABELS,
  limits: LIMITS,
}

const anchor = (kind: ItemKind) => `#${kind === 'cause' ? 'category' : kind}-list`

function isItemKind(value: unknown): value is ItemKind {
  return typeof value === 'string' && Object.hasOwn(ITEM_LABELS, value)
}

/** The form values of an existing item, for its edit form. */
function itemValues(item: ToolItem): Record<string, unknown> {
  switch (item.kind) {
    case 'scoring':
      return {
        ...partsOf(item.date, 'date'),
        scoredBy: item.scoredBy,
        note: item.note,
        rev: item.rev,
        ...Object.fromEntries(
          SUSTAINABILITY_FACTORS.map((f) => [`score_${f.key}`, String(item.scores[f.key])]),
        ),
      }
    case 'stakeholder':
      return { ...item, interest: String(item.interest), influence: String(item.influence) }
    default:
      return { ...item }
  }
}

/** QI tools: the index, each tool's page and the forms for its parts. */
export async function toolRoutes(
  app: FastifyInstance,
  { improvement }: { improvement: ImprovementServices },
) {
  const { tools } = improvement
  const p = (request: FastifyRequest) => request.params as Params
  const base = (request: FastifyRequest) => `/projects/${encodeURIComponent(p(request).id)}/tools`
  const toolPath = (request: FastifyRequest) => `${base(request)}/${encodeURIComponent(p(request).toolId!)}`

  app.get('/projects/:id/tools', async (request, reply) => {
    const view = await tools.index(request.user, p(request).id)
    return reply.page('improvement/views/tools.njk', {
      title: `QI tools: ${view.project.title}`,
      ...view,
      ...vocab,
    })
  })

  const newContext = (request: FastifyRequest) => async () => ({
    title: 'Add a QI tool',
    ...(await tools.context(request.user, p(request).id)),
    ...vocab,
  })

  app.get('/projects/:id/tools/new', async (request, reply) => {
    requireUser(request)
    const type = (request.query as { type?: string }).type
    return reply.page('improvement/views/tool-new.njk', {
      ...(await newContext(request)()),
      values: { type },
    })
  })

  app.post('/projects/:id/tools', { config: { once: 'content' } }, async (request, reply) => {
    const user = requireUser(request)
    return handleForm(
      reply,
      {
        schema: newToolForm,
        body: request.body,
        template: 'improvement/views/tool-new.njk',
        context: newContext(request),
        order: ['type', 'title'],
      },
      async (data) => {
        const id = await tools.create(user, p(request).id, data, requestMeta(request).ip)
        return reply
          .flash(`The ${TOOL_LABELS[data.type].toLowerCase()} “${data.title}” has been added.`)
          .redirect(`${base(request)}/${id}`, 303)
      },
    )
  })

  app.get('/projects/:id/tools/:toolId', async (request, reply) => {
    const view = await tools.tool(request.user, p(request).id, p(request).toolId!)
    return reply.page('improvement/views/tool.njk', {
      title: view.tool.title,
      ...view,
      ...vocab,
      itemKinds: ITEM_KINDS[view.tool.type],
    })
  })

  // ----- the tool's own fields (title, fishbone problem, the 5 whys…) -----

  const headContext = (request: FastifyRequest) => async () => {
    const view = await tools.tool(request.user, p(request).id, p(request).toolId!, 'edit')
    return { ...view, ...vocab, title: `Change the ${view.label.toLowerCase()}` }
  }

  app.get('/projects/:id/tools/:toolId/edit', async (request, reply) => {
    requireUser(request)
    const context = await headContext(request)()
    const { head, headRev } = context.tool.data
    const whys = Object.fromEntries(head.whys.map((w, i) => [`why${i + 1}`, w]))
    return reply.page('improvement/views/tool-edit.njk', {
      ...context,
      values: {
        title: context.tool.title,
        problem: head.problem,
        rootCause: head.rootCause,
        scope: head.scope,
        ...whys,
        version: headRev,
      },
    })
  })

  app.post('/projects/:id/tools/:toolId/edit', async (request, reply) => {
    const user = requireUser(request)
    const context = await headContext(request)()
    const order = ['title', 'problem', 'why1', 'why2', 'why3', 'why4', 'why5', 'rootCause', 'scope']
    return handleForm(
      reply,
      {
        schema: headForm(context.tool.type),
        body: request.body,
        template: 'improvement/views/tool-edit.njk',
        context: async () => context,
        order,
      },
      async (data) => {
        await tools.editHead(user, p(request).id, p(request).toolId!, data, requestMeta(request).ip)
        return reply.flash(`“${data.title}” has been saved.`).redirect(toolPath(request), 303)
      },
    )
  })

  const deleteContext = (request: FastifyRequest) => async () => {
    const view = await tools.tool(request.user, p(request).id, p(request).toolId!, 'edit')
    return { ...view, ...vocab, title: `Delete the ${view.label.toLowerCase()}` }
  }

  app.get('/projects/:id/tools/:toolId/delete', async (request, reply) => {
    requireUser(request)
    const context = await deleteContext(request)()
    return reply.page('improvement/views/tool-delete.njk', {
      ...context,
      values: { version: context.tool.version },
    })
  })

  app.post('/projects/:id/tools/:toolId/delete', async (request, reply) => {
    const user = requireUser(request)
    return handleForm(
      reply,
      {
        schema: deleteForm,
        body: request.body,
        template: 'improvement/views/tool-delete.njk',
        context: deleteContext(request),
      },
      async (data) => {
        const gone = await tools.deleteTool(
          user,
          p(request).id,
          p(request).toolId!,
          data.version,
          requestMeta(request).ip,
        )
        return reply.flash(`“${gone.title}” has been deleted.`).redirect(base(request), 303)
      },
    )
  })

  // ----- items: categories and causes, steps, stakeholders, scorings -----

  const itemContext = (request: FastifyRequest, kind: ItemKind, editing: boolean) => async () => {
    const view = await tools.tool(request.user, p(request).id, p(request).toolId!, 'edit')
    if (!ITEM_KINDS[view.tool.type].includes(kind)) return null
    const verb = editing ? 'Change the' : 'Add a'
    return {
      ...view,
      ...vocab,
      kind,
      editing,
      title: `${verb} ${ITEM_LABELS[kind]}`,
      categories: view.tool.data.items.filter((i) => i.kind === 'category'),
      action: editing
        ? `${toolPath(request)}/items/${encodeURIComponent(p(request).itemId!)}/edit`
        : `${toolPath(request)}/items`,
    }
  }

  app.get('/projects/:id/tools/:toolId/items/new', async (request, reply) => {
    requireUser(request)
    const query = request.query as { kind?: string; category?: string }
    const context = isItemKind(query.kind) ? await itemContext(request, query.kind, false)() : null
    if (!context) return reply.callNotFound()
    return reply.page('improvement/views/tool-item.njk', {
      ...context,
      values: { categoryId: query.category ?? '' },
    })
  })

  app.post('/projects/:id/tools/:toolId/items', { config: { once: 'content' } }, async (request, reply) => {
    const user = requireUser(request)
    const body = toolBody(request.body)
    const kind = body.kind
    const context = isItemKind(kind) ? await itemContext(request, kind, false)() : null
    if (!isItemKind(kind) || !context) return reply.callNotFound()
    return handleForm(
      reply,
      {
        schema: itemForm(kind, false),
        body,
        template: 'improvement/views/tool-item.njk',
        context: async () => context,
        order: ITEM_ORDER[kind],
      },
      async (data) => {
        await tools.addItem(user, p(request).id, p(request).toolId!, kind, data, requestMeta(request).ip)
        return reply
          .flash(`The ${ITEM_LABELS[kind]} has been added.`)
          .redirect(`${toolPath(request)}${anchor(kind)}`, 303)
      },
    )
  })

  app.get('/projects/:id/tools/:toolId/items/:itemId/edit', async (request, reply) => {
    requireUser(request)
    const { item } = await tools.item(request.user, p(request).id, p(request).toolId!, p(request).itemId!)
    const context = await itemContext(request, item.kind, true)()
    if (!context) return reply.callNotFound()
    return reply.page('improvement/views/tool-item.njk', { ...context, item, values: itemValues(item) })
  })

  app.post('/projects/:id/tools/:toolId/items/:itemId/edit', async (request, reply) => {
    const user = requireUser(request)
    const { item } = await tools.item(request.user, p(request).id, p(request).toolId!, p(request).itemId!)
    const context = await itemContext(request, item.kind, true)()
    if (!context) return reply.callNotFound()
    const body = toolBody(request.body)
    return handleForm(
      reply,
      {
        schema: itemForm(item.kind, true),
        body,
        template: 'improvement/views/tool-item.njk',
        context: async () => ({ ...context, item }),
        order: ITEM_ORDER[item.kind],
      },
      async (data) => {
        await tools.editItem(user, p(request).id, p(request).toolId!, item.id, data, requestMeta(request).ip)
        return reply
          .flash(`The ${ITEM_LABELS[item.kind]} has been saved.`)
          .redirect(`${toolPath(request)}${anchor(item.kind)}`, 303)
      },
    )
  })

  const itemDeleteContext = (request: FastifyRequest) => async () => {
    const view = await tools.item(request.user, p(request).id, p(request).toolId!, p(request).itemId!)
    return { ...view, ...vocab, title: `Remove the ${ITEM_LABELS[view.item.kind]}` }
  }

  app.get('/projects/:id/tools/:toolId/items/:itemId/delete', async (request, reply) => {
    requireUser(request)
    const context = await itemDeleteContext(request)()
    return reply.page('improvement/views/tool-item-delete.njk', {
      ...context,
      values: { version: context.item.rev },
    })
  })

  app.post('/projects/:id/tools/:toolId/items/:itemId/delete', async (request, reply) => {
    const user = requireUser(request)
    return handleForm(
      reply,
      {
        schema: deleteForm,
        body: request.body,
        template: 'improvement/views/tool-item-delete.njk',
        context: itemDeleteContext(request),
      },
      async (data) => {
        const gone = await tools.deleteItem(
          user,
          p(request).id,
          p(request).toolId!,
          p(request).itemId!,
          data.version,
          requestMeta(request).ip,
        )
        return reply
          .flash(`The ${ITEM_LABELS[gone.kind]} has been removed.`)
          .redirect(`${toolPath(request)}${anchor(gone.kind)}`, 303)
      },
    )
  })

  app.post('/projects/:id/tools/:toolId/items/:itemId/move', async (request, reply) => {
    const user = requireUser(request)
    const parsed = moveForm.safeParse(request.body)
    if (parsed.success)
      await tools.moveItem(
        user,
        p(request).id,
        p(request).toolId!,
        p(request).itemId!,
        parsed.data.direction,
        requestMeta(request).ip,
      )
    return reply.redirect(toolPath(request), 303)
  })
}
