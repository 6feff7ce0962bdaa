import { idParams, type ZodApp } from '../web/route-schemas.js'
import { pictureType, sendDownload } from '../web/download.js'
import { ip, type MeasuresRouteServices } from './route-helpers.js'

/** A measure's data as CSV and its chart as SVG or PNG (refused as problems, never a sign-in page). */
export async function measureDownloadRoutes(app: ZodApp, { services }: { services: MeasuresRouteServices }) {
  const measures = services.measures

  app.get('/measures/:id/data.csv', { schema: { params: idParams } }, async (request, reply) =>
    sendDownload(
      reply,
      await measures.csv(request.user, request.params.id, ip(request)),
      'text/csv; charset=utf-8',
    ),
  )
  for (const format of ['svg', 'png'] as const)
    app.get(`/measures/:id/chart.${format}`, { schema: { params: idParams } }, async (request, reply) =>
      sendDownload(
        reply,
        await measures.picture(request.user, request.params.id, format, ip(request)),
        pictureType(format),
      ),
    )
}
