import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { ProjectService } from '../projects/service.js'
import type { MeasureService } from '../measures/service.js'
import type { ImprovementReportService } from '../improvement/reports.js'
import { BoardService } from './board-service.js'
import { PortfolioService } from './portfolio-service.js'

/** Governance: the Steering Group's portfolio and the Board's SPC summary (docs/governance.md). */
export interface GovernanceServices {
  portfolio: PortfolioService
  board: BoardService
}

/** Built from the services of the features whose figures it shows: it reads none of their tables. */
export function buildGovernance(
  db: Kysely<DB>,
  clock: () => Date,
  deps: { projects: ProjectService; measures: MeasureService; improvement: ImprovementReportService },
): GovernanceServices {
  return {
    portfolio: new PortfolioService(db, clock, deps),
    board: new BoardService(db, clock, deps),
  }
}
