import { requestMeta, requireUser } from '../web/plugin.js'
import { guard } from '../web/guard.js'
import { sendDownload } from '../web/download.js'
import { z } from 'zod'
import { formBody, idParams, type ZodApp } from '../web/route-schemas.js'
import type { GovernanceServices } from './index.js'
import { asAtWords, packNotes, pagesOf, rowIcons, TABLE_HEADER, tableCells } from './pack-content.js'
import { PRINT_CSS } from './pack-print-css.js'

export const PACKS_PATH = '/board/packs'

/** `?refresh=off`: the person stops the page refreshing itself (WCAG 2.2.1, timing adjustable). */
const refreshQuery = z.object({ refresh: z.enum(['off']).optional().catch(undefined) })

/**
 * While a pack is being made its pages refresh themselves, without JavaScript, by the `Refresh`
 * response header (a `<meta http-equiv="refresh">` would do the same, but axe refuses it as a
 * timed refresh the person cannot turn off); each page says so and offers to stop it.
 */
const REFRESH_SECONDS = 3

const TYPES = {
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  pdf: 'application/pdf',
} as const

/**
 * The board pack's pages (issue 12 point 5): ask for one (from /board), the list with progress,
 * a pack's status page (refreshing itself without JavaScript while the job runs), its downloads
 * and its print page. The Board and the Steering Group only, decided before anything is read.
 */
export async function boardPackRoutes(app: ZodApp, { governance }: { governance: GovernanceServices }) {
  const { packs, board } = governance
  const boardReader = guard((user) => board.requireReader(user))

  app.post(PACKS_PATH, { schema: { body: formBody }, preHandler: boardReader }, async (request, reply) => {
    const user = requireUser(request)
    const { id, created } = await packs.request(user, requestMeta(request).ip)
    return reply
      .flash(
        created
          ? 'The board pack is being made. This page shows its progress.'
          : 'A board pack is already being made: this is its progress.',
      )
      .redirect(`${PACKS_PATH}/${id}`, 303)
  })

  app.get(
    PACKS_PATH,
    { schema: { querystring: refreshQuery }, preHandler: boardReader },
    async (request, reply) => {
      const user = requireUser(request)
      const list = await packs.list(user)
      const live = list.some((p) => p.status === 'queued' || p.status === 'running')
      const refresh = live && request.query.refresh !== 'off'
      if (refresh) reply.header('refresh', String(REFRESH_SECONDS))
      return reply.page('governance/views/packs.njk', {
        title: 'Board packs',
        packs: list,
        live,
        refresh,
        here: PACKS_PATH,
      })
    },
  )

  app.get(`${PACKS_PATH}/print.css`, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(PRINT_CSS),
  )

  app.get(
    `${PACKS_PATH}/:id`,
    { schema: { params: idParams, querystring: refreshQuery }, preHandler: boardReader },
    async (request, reply) => {
      const user = requireUser(request)
      const pack = await packs.get(user, request.params.id)
      const live = pack.status === 'queued' || pack.status === 'running'
      const refresh = live && request.query.refresh !== 'off'
      if (refresh) reply.header('refresh', String(REFRESH_SECONDS))
      return reply.page('governance/views/pack.njk', {
        title: 'Board pack',
        pack,
        live,
        refresh,
        here: `${PACKS_PATH}/${pack.id}`,
        types: TYPES,
      })
    },
  )

  app.get(
    `${PACKS_PATH}/:id/print`,
    { schema: { params: idParams }, preHandler: boardReader },
    async (request, reply) => {
      const user = requireUser(request)
      const content = await packs.content(user, request.params.id)
      return reply.page('governance/views/pack-print.njk', {
        title: `Board pack: ${asAtWords(content.dataAsAt)}`,
        id: request.params.id,
        c: content,
        asAt: asAtWords(content.dataAsAt),
        notes: packNotes(content),
        tableHeader: TABLE_HEADER,
        pages: pagesOf(content.rows).map((rows) =>
          rows.map((r) => ({ cells: tableCells(r), icons: rowIcons(r) })),
        ),
      })
    },
  )

  for (const kind of ['pptx', 'pdf'] as const)
    app.get(
      `${PACKS_PATH}/:id/board-pack.${kind}`,
      { schema: { params: idParams }, preHandler: boardReader, config: { download: true } },
      async (request, reply) => {
        const user = requireUser(request)
        const file = await packs.download(user, request.params.id, kind, requestMeta(request).ip)
        return sendDownload(reply, file, TYPES[kind])
      },
    )
}
