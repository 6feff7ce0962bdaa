import type { ZodApp } from '../web/route-schemas.js'
import type { LearningService } from './service.js'
import { catalogueRoutes } from './routes-catalogue.js'
import { cohortRoutes } from './routes-cohort.js'
import { manageRoutes } from './routes-manage.js'
import { recordRoutes } from './routes-record.js'
import { scheduleRoutes } from './routes-schedule.js'

/** The services these routes use: app.ts passes only these. */
export interface LearningRouteServices {
  learning: LearningService
}

/** Every learning page: the public catalogue, faculty administration, registers, records and certificates. */
export async function learningRoutes(app: ZodApp, { services }: { services: LearningRouteServices }) {
  catalogueRoutes(app, services.learning)
  manageRoutes(app, services.learning)
  scheduleRoutes(app, services.learning)
  cohortRoutes(app, services.learning)
  recordRoutes(app, services.learning)
}
