import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { outcomesByProject, type ProjectOutcome } from './archive-repository.js'
import { decisionCounts, lastChangeByProject } from './pdsa/report-repository.js'

export type { ProjectOutcome } from './archive-repository.js'

/**
 * PDSA figures across many projects, for the Steering Group's portfolio (governance/). The caller
 * chooses the projects (those the reader may see); nothing here reads what a cycle says.
 */
export class ImprovementReportService {
  constructor(private readonly db: Kysely<DB>) {}

  /** Each project's latest change to its PDSA cycles (ISO), for projects with any. */
  lastPdsaChangeByProject(projectIds: readonly string[]): Promise<Map<string, string>> {
    return lastChangeByProject(this.db, projectIds)
  }

  /** The adopt / adapt / abandon mix of these projects' decided cycles. */
  decisionMix(projectIds: readonly string[]) {
    return decisionCounts(this.db, projectIds)
  }

  /** For the archive of finished projects: adopted and abandoned change ideas, the latest sustainability score. */
  outcomes(projectIds: readonly string[]): Promise<Map<string, ProjectOutcome>> {
    return outcomesByProject(this.db, projectIds)
  }
}
