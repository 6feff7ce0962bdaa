import type { FastifyInstance } from 'fastify'
import type { Services } from '../app.js'
import { catalogueRoutes } from './routes-catalogue.js'
import { cohortRoutes } from './routes-cohort.js'
import { manageRoutes } from './routes-manage.js'
import { recordRoutes } from './routes-record.js'
import { scheduleRoutes } from './routes-schedule.js'

/** Every learning page: the public catalogue, faculty administration, registers, records and certificates. */
export async function learningRoutes(app: FastifyInstance, { services }: { services: Services }) {
  catalogueRoutes(app, services.learning)
  manageRoutes(app, services.learning)
  scheduleRoutes(app, services.learning)
  cohortRoutes(app, services.learning)
  recordRoutes(app, services.learning)
}
