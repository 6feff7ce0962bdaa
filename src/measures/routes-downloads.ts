import type { FastifyReply } from 'fastify'
import { idParams, type ZodApp } from '../web/route-schemas.js'
import { ip, type MeasuresRouteServices } from './route-helpers.js'

/** A measure's data as CSV and its chart as SVG or PNG (refused as problems, never a sign-in page). */
export async function measureDownloadRoutes(app: ZodApp, { services }: { services: MeasuresRouteServices }) {
  const measures = services.measures

  const download = (reply: FastifyReply, file: { filename: string; body: string | Buffer }, type: string) =>
    reply
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .type(type)
      .send(file.body)

  app.get('/measures/:id/data.csv', { schema: { params: idParams } }, async (request, reply) =>
    download(
      reply,
      await measures.csv(request.user, request.params.id, ip(request)),
      'text/csv; charset=utf-8',
    ),
  )
  app.get('/measures/:id/chart.svg', { schema: { params: idParams } }, async (request, reply) => {
    reply.header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    )
    return download(
      reply,
      await measures.svg(request.user, request.params.id, ip(request)),
      'image/svg+xml; charset=utf-8',
    )
  })
  app.get('/measures/:id/chart.png', { schema: { params: idParams } }, async (request, reply) =>
    download(reply, await measures.png(request.user, request.params.id, ip(request)), 'image/png'),
  )
}
