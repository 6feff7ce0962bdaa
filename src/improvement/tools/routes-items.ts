import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { partsOf } from '../../core/dates.js'
import { handleForm } from '../../web/form-page.js'
import { requestMeta, requireUser } from '../../web/plugin.js'
import { queryText, type RequestWithParams, type ZodApp } from '../../web/route-schemas.js'
import type { ImprovementServices } from '../index.js'
import { deletePages, moveHandler } from '../route-helpers.js'
import {
  ITEM_KINDS,
  ITEM_LABELS,
  SUSTAINABILITY_FACTORS,
  type ItemKind,
  type ToolItem,
} from './definitions.js'
import { ITEM_ORDER, itemForm, toolBody } from './forms.js'
import { itemParams, toolParams, toolPath, vocab } from './route-helpers.js'

const newItemQuery = z.object({ kind: queryText, category: queryText })
/** A tool's address, with an item's when one is being edited. */
type ToolRequest = FastifyRequest & { params: { id: string; toolId: string; itemId?: string } }
type ItemRequest = RequestWithParams<typeof itemParams>

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

/** A tool's parts: categories and causes, steps, stakeholders, scorings. */
export async function toolItemRoutes(app: ZodApp, { improvement }: { improvement: ImprovementServices }) {
  const { tools } = improvement

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
        ? `${toolPath(request.params)}/items/${encodeURIComponent(request.params.itemId!)}/edit`
        : `${toolPath(request.params)}/items`,
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
            .redirect(`${toolPath(request.params)}${anchor(kind)}`, 303)
        },
      )
    },
  )

  /** The item in the address and its edit form's context (null: not a part of this tool's kind). */
  const editContext = async (request: ItemRequest) => {
    const { item } = await tools.item(
      request.user,
      request.params.id,
      request.params.toolId,
      request.params.itemId,
    )
    return { item, context: await itemContext(request, item.kind, true)() }
  }

  app.get(
    '/projects/:id/tools/:toolId/items/:itemId/edit',
    { schema: { params: itemParams } },
    async (request, reply) => {
      requireUser(request)
      const { item, context } = await editContext(request)
      if (!context) return reply.callNotFound()
      return reply.page('improvement/views/tool-item.njk', { ...context, item, values: itemValues(item) })
    },
  )

  app.post(
    '/projects/:id/tools/:toolId/items/:itemId/edit',
    { schema: { params: itemParams } },
    async (request, reply) => {
      const user = requireUser(request)
      const { item, context } = await editContext(request)
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
            .redirect(`${toolPath(request.params)}${anchor(item.kind)}`, 303)
        },
      )
    },
  )

  const deleteItem = deletePages({
    template: 'improvement/views/tool-item-delete.njk',
    context: async (request: ItemRequest) => {
      const view = await tools.item(
        request.user,
        request.params.id,
        request.params.toolId,
        request.params.itemId,
      )
      return { ...view, ...vocab, title: `Remove the ${ITEM_LABELS[view.item.kind]}` }
    },
    version: (context) => context.item.rev,
    remove: (user, p, version, ip) => tools.deleteItem(user, p.id, p.toolId, p.itemId, version, ip),
    done: (gone, p) => ({
      flash: `The ${ITEM_LABELS[gone.kind]} has been removed.`,
      to: `${toolPath(p)}${anchor(gone.kind)}`,
    }),
  })
  const deletePath = '/projects/:id/tools/:toolId/items/:itemId/delete'
  app.get(deletePath, { schema: { params: itemParams } }, deleteItem.page)
  app.post(deletePath, { schema: { params: itemParams } }, deleteItem.confirm)

  app.post(
    '/projects/:id/tools/:toolId/items/:itemId/move',
    { schema: { params: itemParams } },
    moveHandler(
      (user, p: ItemRequest['params'], direction, ip) =>
        tools.moveItem(user, p.id, p.toolId, p.itemId, direction, ip),
      (p) => toolPath(p),
    ),
  )
}
