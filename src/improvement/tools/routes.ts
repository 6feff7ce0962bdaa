import { z } from 'zod'
import { handleForm } from '../../web/form-page.js'
import { pictureType, sendDownload } from '../../web/download.js'
import { requestMeta, requireUser } from '../../web/plugin.js'
import { idParams, queryText, type RequestWithParams, type ZodApp } from '../../web/route-schemas.js'
import type { ImprovementServices } from '../index.js'
import { deletePages } from '../route-helpers.js'
import { ITEM_KINDS, TOOL_LABELS } from './definitions.js'
import { headForm, newToolForm } from './forms.js'
import { toolParams, toolPath, toolsPath, vocab } from './route-helpers.js'

const newToolQuery = z.object({ type: queryText })
type ToolRequest = RequestWithParams<typeof toolParams>

/** QI tools: the index, each tool's page, its own fields and its deletion (its parts: routes-items.ts). */
export async function toolRoutes(app: ZodApp, { improvement }: { improvement: ImprovementServices }) {
  const { tools } = improvement

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
            .redirect(`${toolsPath(request.params.id)}/${id}`, 303)
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

  // The picture as a download: the same right as seeing the tool (refused as a problem).
  for (const format of ['svg', 'png'] as const)
    app.get(
      `/projects/:id/tools/:toolId/picture.${format}`,
      { schema: { params: toolParams } },
      async (request, reply) =>
        sendDownload(
          reply,
          await tools.picture(request.user, request.params.id, request.params.toolId, format),
          pictureType(format),
        ),
    )

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
        return reply.flash(`“${data.title}” has been saved.`).redirect(toolPath(request.params), 303)
      },
    )
  })

  const deleteTool = deletePages({
    template: 'improvement/views/tool-delete.njk',
    context: async (request: ToolRequest) => {
      const view = await tools.tool(request.user, request.params.id, request.params.toolId, 'edit')
      return { ...view, ...vocab, title: `Delete the ${view.label.toLowerCase()}` }
    },
    version: (context) => context.tool.version,
    remove: (user, p, version, ip) => tools.deleteTool(user, p.id, p.toolId, version, ip),
    done: (gone, p) => ({ flash: `“${gone.title}” has been deleted.`, to: toolsPath(p.id) }),
  })
  const deletePath = '/projects/:id/tools/:toolId/delete'
  app.get(deletePath, { schema: { params: toolParams } }, deleteTool.page)
  app.post(deletePath, { schema: { params: toolParams } }, deleteTool.confirm)
}
