import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { csvFile, type CsvCell } from '../core/csv.js'
import { ForbiddenError } from '../core/errors.js'
import { londonToday } from '../core/dates.js'
import type { ProjectService } from '../projects/service.js'
import type { PipelineService } from '../facilitation/capacity/pipeline-service.js'
import type { ProgrammeService } from '../facilitation/programmes/service.js'
import { canSeeBoardSummary, canSteer } from './policy.js'

export const FACILITATION_PATH = '/steering-group/facilitation'

/** The page's tables, each also a CSV; the last two are the Steering Group's alone. */
export const FACILITATION_TABLES = [
  'pipeline',
  'capacity',
  'programmes',
  'organisations',
  'outcomes',
] as const
export type FacilitationTable = (typeof FACILITATION_TABLES)[number]
const STEERING_ONLY: ReadonlySet<FacilitationTable> = new Set(['organisations', 'outcomes'])

/** What governance reads of facilitation: its services, never its tables. */
export interface FacilitationSource {
  pipeline: Pick<PipelineService, 'figures' | 'closedOutcomes'>
  programmes: Pick<ProgrammeService, 'list'>
}

export interface ProgrammeOutcomeRow {
  id: string | null
  name: string
  href: string | null
  requests: number
  waiting: number
  inProgress: number
  closed: number
  committed: number
  spent: number
  projects: number
  completedProjects: number
}

const AGE_HEADINGS = ['Under 2 weeks', '2 to 6 weeks', '6 to 13 weeks', 'Over 13 weeks']

/**
 * Facilitation in governance (issue 12 point 3): the support pipeline by status and age, QI
 * specialists' hours committed against capacity by month, and the programmes' outcomes, from the
 * facilitation feature's services. The Board sees these aggregates only; the Steering Group also
 * sees them by organisation and the outcomes recorded on closed requests (DOMAIN.md §5).
 */
export class FacilitationFiguresService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly deps: { projects: ProjectService; facilitation: FacilitationSource },
  ) {}

  requireReader(user: CurrentUser): void {
    if (!canSeeBoardSummary(user))
      throw new ForbiddenError('Only the Steering Group and the Board can see the facilitation figures')
  }

  /** Everything the page shows to this person: the Board's aggregates, and the Steering Group's detail. */
  async figures(user: CurrentUser) {
    this.requireReader(user)
    const steering = canSteer(user)
    const { pipeline, programmes } = this.deps.facilitation
    const [figures, list, all, completed, outcomes] = await Promise.all([
      pipeline.figures(),
      programmes.list(),
      this.deps.projects.portfolioCounts(user, {}),
      this.deps.projects.portfolioCounts(user, { status: 'completed' }),
      steering ? pipeline.closedOutcomes(20) : Promise.resolve(null),
    ])
    const countOf = (rows: { value: string; n: number }[]) => new Map(rows.map((r) => [r.value, r.n]))
    const projectsBy = countOf(all.programme)
    const completedBy = countOf(completed.programme)
    const groups = new Map(figures.byProgramme.map((g) => [g.id, g]))
    const row = (id: string | null, name: string, slug: string | null): ProgrammeOutcomeRow => {
      const g = groups.get(id)
      return {
        id,
        name,
        href: slug ? `/programmes/${encodeURIComponent(slug)}` : null,
        requests: g?.total ?? 0,
        waiting: g?.open ?? 0,
        inProgress: g?.active ?? 0,
        closed: g?.closed ?? 0,
        committed: g?.committed ?? 0,
        spent: g?.actual ?? 0,
        projects: projectsBy.get(id ?? 'none') ?? 0,
        completedProjects: completedBy.get(id ?? 'none') ?? 0,
      }
    }
    const programmeRows = list.map((p) => row(p.id, p.name, p.slug))
    const none = row(null, 'No programme', null)
    if (none.requests || none.projects) programmeRows.push(none)
    return {
      asAt: this.clock().toISOString(),
      steering,
      totals: figures.totals,
      statuses: figures.statuses,
      months: figures.months,
      programmes: programmeRows,
      organisations: steering ? figures.byOrganisation : null,
      outcomes,
    }
  }

  /** One table as CSV, for the person's rights (the Steering Group's tables are 403 to the Board); audited. */
  async csv(user: CurrentUser, table: FacilitationTable, ip?: string) {
    this.requireReader(user)
    if (STEERING_ONLY.has(table) && !canSteer(user))
      throw new ForbiddenError('Only the Steering Group sees this table')
    const f = await this.figures(user)
    const [header, rows] = tableOf(table, f)
    await writeAudit(this.db, this.clock().toISOString(), {
      actorId: user.id,
      actorLabel: actorLabel(user),
      action: 'governance.facilitation_export',
      entityType: 'facilitation',
      entityId: null,
      ip,
      after: { table, rows: rows.length },
    })
    return {
      filename: `facilitation-${table}-${londonToday(this.clock())}.csv`,
      body: csvFile(header, rows),
    }
  }
}

type Figures = Awaited<ReturnType<FacilitationFiguresService['figures']>>

function tableOf(table: FacilitationTable, f: Figures): [CsvCell[], CsvCell[][]] {
  switch (table) {
    case 'pipeline':
      return [
        ['Status', 'Requests', ...AGE_HEADINGS, 'In this status since (oldest)'],
        f.statuses.map((s) => [s.label, s.total, ...s.buckets, s.oldest ? s.oldest.slice(0, 10) : '']),
      ]
    case 'capacity':
      return [
        ['Month', 'Hours available', 'Hours committed', 'Hours spent', 'Hours left'],
        f.months.map((m) => [m.month, m.available, m.committed, m.actual, m.left]),
      ]
    case 'programmes':
      return [
        [
          'Programme',
          'Requests',
          'Waiting',
          'In progress',
          'Closed with an outcome',
          'Hours committed',
          'Hours spent',
          'Projects',
          'Projects completed',
        ],
        f.programmes.map((p) => [
          p.name,
          p.requests,
          p.waiting,
          p.inProgress,
          p.closed,
          p.committed,
          p.spent,
          p.projects,
          p.completedProjects,
        ]),
      ]
    case 'organisations':
      return [
        [
          'Organisation',
          'Requests',
          'Waiting',
          'In progress',
          'Closed',
          'Declined or withdrawn',
          'Hours committed',
          'Hours spent',
        ],
        (f.organisations ?? []).map((g) => [
          g.name ?? 'No organisation',
          g.total,
          g.open,
          g.active,
          g.closed,
          g.ended,
          g.committed,
          g.actual,
        ]),
      ]
    case 'outcomes':
      return [
        ['Request', 'Programme', 'Organisation', 'Closed on', 'Outcome'],
        (f.outcomes ?? []).map((o) => [
          o.title,
          o.programmeName ?? '',
          o.organisationName ?? '',
          o.closedAt.slice(0, 10),
          o.outcome ?? '',
        ]),
      ]
  }
}
