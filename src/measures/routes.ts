import type { FastifyInstance } from 'fastify'
import multipart from '@fastify/multipart'
import { IMPORT_LIMITS } from './import-read.js'
import type { MeasuresRouteServices } from './route-helpers.js'
import { measureDefinitionRoutes } from './routes-measures.js'
import { measurePageRoutes } from './routes-page.js'
import { measurePointRoutes } from './routes-points.js'
import { measureImportRoutes } from './routes-imports.js'
import { measureDownloadRoutes } from './routes-downloads.js'

export type { MeasuresRouteServices } from './route-helpers.js'

/** Measures: pages, data entry, imports, annotations and downloads, one file of routes each. */
export async function measureRoutes(app: FastifyInstance, { services }: { services: MeasuresRouteServices }) {
  // Uploads are read into memory (never to disk: instances are stateless), up to the size limit.
  await app.register(multipart, {
    limits: {
      fileSize: IMPORT_LIMITS.maxBytes,
      files: 1,
      fields: 5,
      fieldSize: 200,
      parts: 8,
      headerPairs: 50,
    },
    throwFileSizeLimit: true,
  })

  await app.register(measureDefinitionRoutes, { services })
  await app.register(measurePageRoutes, { services })
  await app.register(measurePointRoutes, { services })
  await app.register(measureImportRoutes, { services })
  await app.register(measureDownloadRoutes, { services })
}
