import { requestMeta, requireUser } from '../web/plugin.js'
import { guard } from '../web/guard.js'
import { sendDownload } from '../web/download.js'
import type { ZodApp } from '../web/route-schemas.js'
import type { GovernanceServices } from './index.js'
import { FACILITATION_PATH, FACILITATION_TABLES } from './facilitation-service.js'

/**
 * Facilitation in governance (issue 12 point 3): the page and a CSV of each of its tables, for the
 * Steering Group (everything) and the Board (aggregates); everybody else gets a 403.
 */
export async function facilitationRoutes(app: ZodApp, { governance }: { governance: GovernanceServices }) {
  const { facilitation } = governance
  const reader = guard((user) => facilitation.requireReader(user))

  app.get(FACILITATION_PATH, { preHandler: reader }, async (request, reply) => {
    const user = requireUser(request)
    const figures = await facilitation.figures(user)
    return reply.page('governance/views/facilitation.njk', {
      title: 'Facilitation',
      ...figures,
      csv: (table: string) => `${FACILITATION_PATH}/${table}.csv`,
    })
  })

  for (const table of FACILITATION_TABLES)
    app.get(
      `${FACILITATION_PATH}/${table}.csv`,
      { preHandler: reader, config: { download: true } },
      async (request, reply) => {
        const user = requireUser(request)
        const file = await facilitation.csv(user, table, requestMeta(request).ip)
        return sendDownload(reply, file, 'text/csv; charset=utf-8')
      },
    )
}
