import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { partsOf } from '../../core/dates.js'
import { handleForm } from '../../web/form-page.js'
import { requestMeta, requireUser } from '../../web/plugin.js'
import { idParam, idParams, queryText, type RequestWithParams, type ZodApp } from '../../web/route-schemas.js'
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

const toolParams = z.object({ id: idParam, toolId: idParam })
const itemParams = z.object({ id: idParam, toolId: idParam, itemId: idParam })
const newToolQuery = z.object({ type: queryText })
const newItemQuery = z.object({ kind: queryText, category: queryText })
/** A tool's address, with an item's when one is being edited. */
type ToolRequest = FastifyRequest & { params: { id: string; toolId: string; itemId?: string } }

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
export async function toolRoutes(app: ZodApp, { improvement }: { improvement: ImprovementServices }) {
  const { tools } = improvement
  const base = (request: RequestWithParams<typeof idParams>) =>
    `/projects/${encodeURIComponent(request.params.id)}/tools`
  const toolPath = (request: ToolRequest) => `${base(request)}/${encodeURIComponent(request.params.toolId)}`

  app.get('/projects/:id/tools', { schema: { params: idParams } }, async (request, reply) => {
    const view = await tools.index(request.user, request.params.id)
    return reply.page('improvement/views/tools.njk', {
      title: `QI tools: ${view.project.title}`,
      ...view,
      ...vocab,
    })
  })

  const newContext = (request: RequestWithParams<typeof idParams>) => async () => ({
    title: 'Add a QI tool',
    ...(await tools.context(request.user, request.params.id)),
    ...vocab,
  })

  app.get(
    '/projects/:id/tools/new',
    { schema: { params: idParams, querystring: newToolQuery } },
    async (request, reply) => {
      requireUser(request)
      const type = request.query.type
      return reply.page('improvement/views/tool-new.njk', {
        ...(await newContext(request)()),
        values: { type },
      })
    },
  )

  app.post(
    '/projects/:id/tools',
    { schema: { params: idParams }, config: { once: 'content' } },
    async (request, reply) => {
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
          const id = await tools.create(user, request.params.id, data, requestMeta(request).ip)
          return reply
            .flash(`The ${TOOL_LABELS[data.type].toLowerCase()} “${data.title}” has been added.`)
            .redirect(`${base(request)}/${id}`, 303)
        },
      )
    },
  )

  app.get('/projects/:id/tools/:toolId', { schema: { params: toolParams } }, async (request, reply) => {
    const view = await tools.tool(request.user, request.params.id, request.params.toolId)
    return reply.page('improvement/views/tool.njk', {
      title: view.tool.title,
      ...view,
      ...vocab,
      itemKinds: ITEM_KINDS[view.tool.type],
    })
  })

  // ----- the tool's own fields (title, fishbone problem, the 5 whys…) -----

  const headContext = (request: ToolRequest) => async () => {
    const view = await tools.tool(request.user, request.params.id, request.params.toolId, 'edit')
    return { ...view, ...vocab, title: `Change the ${view.label.toLowerCase()}` }
  }

  app.get('/projects/:id/tools/:toolId/edit', { schema: { params: toolParams } }, async (request, reply) => {
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

  app.post('/projects/:id/tools/:toolId/edit', { schema: { params: toolParams } }, async (request, reply) => {
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
        await tools.editHead(user, request.params.id, request.params.toolId, data, requestMeta(request).ip)
        return reply.flash(`“${data.title}” has been saved.`).redirect(toolPath(request), 303)
      },
    )
  })

  const deleteContext = (request: ToolRequest) => async () => {
    const view = await tools.tool(request.user, request.params.id, request.params.toolId, 'edit')
    return { ...view, ...vocab, title: `Delete the ${view.label.toLowerCase()}` }
  }

  app.get(
    '/projects/:id/tools/:toolId/delete',
    { schema: { params: toolParams } },
    async (request, reply) => {
      requireUser(request)
      const context = await deleteContext(request)()
      return reply.page('improvement/views/tool-delete.njk', {
        ...context,
        values: { version: context.tool.version },
      })
    },
  )

  app.post(
    '/projects/:id/tools/:toolId/delete',
    { schema: { params: toolParams } },
    async (request, reply) => {
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
            request.params.id,
            request.params.toolId,
            data.version,
            requestMeta(request).ip,
          )
          return reply.flash(`“${gone.title}” has been deleted.`).redirect(base(request), 303)
        },
      )
    },
  )

  // ----- items: categories and causes, steps, stakeholders, scorings -----

  const itemContext = (request: ToolRequest, kind: ItemKind, editing: boolean) => async () => {
    const view = await tools.tool(request.user, request.params.id, request.params.toolId, 'edit')
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
        ? `${toolPath(request)}/items/${encodeURIComponent(request.params.itemId!)}/edit`
        : `${toolPath(request)}/items`,
    }
  }

  app.get(
    '/projects/:id/tools/:toolId/items/new',
    { schema: { params: toolParams, querystring: newItemQuery } },
    async (request, reply) => {
      requireUser(request)
      const query = request.query
      const context = isItemKind(query.kind) ? await itemContext(request, query.kind, false)() : null
      if (!context) return reply.callNotFound()
      return reply.page('improvement/views/tool-item.njk', {
        ...context,
        values: { categoryId: query.category ?? '' },
      })
    },
  )

  app.post(
    '/projects/:id/tools/:toolId/items',
    { schema: { params: toolParams }, config: { once: 'content' } },
    async (request, reply) => {
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
          await tools.addItem(
            user,
            request.params.id,
            request.params.toolId,
            kind,
            data,
            requestMeta(request).ip,
          )
          return reply
            .flash(`The ${ITEM_LABELS[kind]} has been added.`)
            .redirect(`${toolPath(request)}${anchor(kind)}`, 303)
        },
      )
    },
  )

  app.get(
    '/projects/:id/tools/:toolId/items/:itemId/edit',
    { schema: { params: itemParams } },
    async (request, reply) => {
      requireUser(request)
      const { item } = await tools.item(
        request.user,
        request.params.id,
        request.params.toolId,
        request.params.itemId,
      )
      const context = await itemContext(request, item.kind, true)()
      if (!context) return reply.callNotFound()
      return reply.page('improvement/views/tool-item.njk', { ...context, item, values: itemValues(item) })
    },
  )

  app.post(
    '/projects/:id/tools/:toolId/items/:itemId/edit',
    { schema: { params: itemParams } },
    async (request, reply) => {
      const user = requireUser(request)
      const { item } = await tools.item(
        request.user,
        request.params.id,
        request.params.toolId,
        request.params.itemId,
      )
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
          await tools.editItem(
            user,
            request.params.id,
            request.params.toolId,
            item.id,
            data,
            requestMeta(request).ip,
          )
          return reply
            .flash(`The ${ITEM_LABELS[item.kind]} has been saved.`)
            .redirect(`${toolPath(request)}${anchor(item.kind)}`, 303)
        },
      )
    },
  )

  const itemDeleteContext = (request: RequestWithParams<typeof itemParams>) => async () => {
    const view = await tools.item(
      request.user,
      request.params.id,
      request.params.toolId,
      request.params.itemId,
    )
    return { ...view, ...vocab, title: `Remove the ${ITEM_LABELS[view.item.kind]}` }
  }

  app.get(
    '/projects/:id/tools/:toolId/items/:itemId/delete',
    { schema: { params: itemParams } },
    async (request, reply) => {
      requireUser(request)
      const context = await itemDeleteContext(request)()
      return reply.page('improvement/views/tool-item-delete.njk', {
        ...context,
        values: { version: context.item.rev },
      })
    },
  )

  app.post(
    '/projects/:id/tools/:toolId/items/:itemId/delete',
    { schema: { params: itemParams } },
    async (request, reply) => {
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
            request.params.id,
            request.params.toolId,
            request.params.itemId,
            data.version,
            requestMeta(request).ip,
          )
          return reply
            .flash(`The ${ITEM_LABELS[gone.kind]} has been removed.`)
            .redirect(`${toolPath(request)}${anchor(gone.kind)}`, 303)
        },
      )
    },
  )

  app.post(
    '/projects/:id/tools/:toolId/items/:itemId/move',
    { schema: { params: itemParams } },
    async (request, reply) => {
      const user = requireUser(request)
      const parsed = moveForm.safeParse(request.body)
      if (parsed.success)
        await tools.moveItem(
          user,
          request.params.id,
          request.params.toolId,
          request.params.itemId,
          parsed.data.direction,
          requestMeta(request).ip,
        )
      return reply.redirect(toolPath(request), 303)
    },
  )
}
