import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { DriverService } from './driver-service.js'
import { PdsaService } from './pdsa-service.js'
import { ToolService } from './tool-service.js'

export { pdsaMarksForMeasure, type PdsaMark } from './pdsa-marks.js'

/** Improvement methods inside a project: driver diagrams, PDSA cycles and QI tools. */
export interface ImprovementServices {
  drivers: DriverService
  pdsa: PdsaService
  tools: ToolService
}

export function buildImprovement(db: Kysely<DB>, clock: () => Date): ImprovementServices {
  return {
    drivers: new DriverService(db, clock),
    pdsa: new PdsaService(db, clock),
    tools: new ToolService(db, clock),
  }
}
