import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { JobQueue } from '../jobs/queue.js'
import type { ProjectService } from '../projects/service.js'
import type { MeasureService } from '../measures/service.js'
import type { ImprovementReportService } from '../improvement/reports.js'
import { BoardService } from './board-service.js'
import { CapabilityService, type TrainingSource } from './capability-service.js'
import { BoardPackService, type PublishedPosters } from './pack-service.js'
import { PortfolioService } from './portfolio-service.js'
import type { ReachSources } from './reach.js'
import { DigestService, type DigestDeps } from './digest/service.js'
import { ProgrammeService } from '../facilitation/programmes/service.js'
import { ImpactService, type ImpactLinkSources } from './impact/service.js'
import { FacilitationFiguresService, type FacilitationSource } from './facilitation-service.js'

/** Governance: the Steering Group's portfolio, the Board's SPC summary and its packs (docs/governance.md). */
export interface GovernanceServices {
  portfolio: PortfolioService
  board: BoardService
  packs: BoardPackService
  capability: CapabilityService
  impact: ImpactService
  facilitation: FacilitationFiguresService
  digest: DigestService
}

/** Built from the services of the features whose figures it shows: it reads none of their tables. */
export function buildGovernance(
  db: Kysely<DB>,
  clock: () => Date,
  deps: {
    projects: ProjectService
    measures: MeasureService
    improvement: ImprovementReportService
    jobs: JobQueue
    posters?: PublishedPosters
    learning: TrainingSource & { catalogue: ImpactLinkSources['courses'] }
    /** Programmes by slug (facilitation's service); read-only, so one is built here when not given. */
    programmes?: ImpactLinkSources['programmes']
    /** The support pipeline and the programmes (facilitation's services). */
    facilitation: FacilitationSource
    /** Event and showcase reach on the portfolio (their services). */
    reach?: ReachSources
    /** The weekly digest's mail and the figures it reads beyond governance's own (docs/governance.md). */
    digest: Pick<DigestDeps, 'mail' | 'baseUrl' | 'review' | 'pipeline' | 'learning'>
  },
): GovernanceServices {
  const portfolio = new PortfolioService(db, clock, deps)
  const board = new BoardService(db, clock, deps)
  const capability = new CapabilityService(db, clock, deps)
  const packs = new BoardPackService(db, clock, { ...deps, board, portfolio, capability })
  packs.registerJobs(deps.jobs)
  const impact = new ImpactService(db, clock, {
    projects: deps.projects,
    links: {
      courses: deps.learning.catalogue,
      programmes: deps.programmes ?? new ProgrammeService(db, clock),
    },
  })
  const facilitation = new FacilitationFiguresService(db, clock, {
    projects: deps.projects,
    facilitation: deps.facilitation,
  })
  const digest = new DigestService(db, clock, {
    ...deps.digest,
    jobs: deps.jobs,
    projects: deps.projects,
    measures: deps.measures,
    portfolio,
  })
  digest.registerJobs(deps.jobs)
  return { portfolio, board, packs, capability, impact, facilitation, digest }
}
