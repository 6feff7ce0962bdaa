import type { Kysely } from 'kysely'
import type { CurrentUser } from '../core/identity.js'
import type { DB } from '../db/schema.js'
import { projectFor } from './context.js'
import { DriverService } from './drivers/service.js'
import { PdsaService } from './pdsa/service.js'
import { ImprovementReportService } from './reports.js'
import { ToolService } from './tools/service.js'

export { pdsaMarksForMeasure, type PdsaMark } from './pdsa-marks.js'

/** Improvement methods inside a project: driver diagrams, PDSA cycles and QI tools. */
export interface ImprovementServices {
  drivers: DriverService
  pdsa: PdsaService
  tools: ToolService
  /** PDSA figures across projects (the Steering Group's portfolio). */
  reports: ImprovementReportService
  /** Throws unless the person may change the project: not found if they cannot see it, forbidden if they only see it. */
  requireEdit(user: CurrentUser, projectId: string): Promise<void>
}

export function buildImprovement(db: Kysely<DB>, clock: () => Date): ImprovementServices {
  return {
    drivers: new DriverService(db, clock),
    pdsa: new PdsaService(db, clock),
    tools: new ToolService(db, clock),
    reports: new ImprovementReportService(db),
    async requireEdit(user, projectId) {
      await projectFor(db, user, projectId, 'edit')
    },
  }
}
