import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { ReportCache } from '../report-cache.js'
import type { CurrentUser } from '../../core/identity.js'
import { ForbiddenError } from '../../core/errors.js'
import { londonToday } from '../../core/dates.js'
import type { CapacityOverview, CapacityService, MonthCapacity } from './service.js'
import {
  ACTIVE_STATUSES,
  OPEN_STATUSES,
  REQUEST_STATUSES,
  STATUS_NAMES,
  type RequestStatus,
} from '../support/lifecycle.js'
import { canTriage } from '../policy.js'
import { suggestedPriority, type ScoreBreakdown } from './priority-score.js'
import {
  namesOf,
  pipelineCells,
  pipelineHours,
  type PipelineCell,
  type PipelineHours,
} from './pipeline-repository.js'
import {
  listClosedOutcomes,
  listNewAndAgeing,
  listQueuePage,
  type ClosedOutcome,
  type RequestSummary,
} from '../support/request-lists.js'

export interface StatusAgeRow {
  status: RequestStatus
  label: string
  total: number
  /** Counts by days in the current status: under 14, 14–41, 42–90, over 90. */
  buckets: [number, number, number, number]
  oldest: string | null
}

export interface GroupRow {
  id: string | null
  name: string | null
  total: number
  open: number
  active: number
  closed: number
  ended: number
  committed: number
  actual: number
}

export interface Pipeline {
  statuses: StatusAgeRow[]
  months: MonthCapacity[]
  byProgramme: GroupRow[]
  byOrganisation: GroupRow[]
  totals: { requests: number; committed: number; available: number }
}

export interface QueueItem extends RequestSummary {
  score: ScoreBreakdown
  effectiveScore: number
  ageDays: number
}

const DAY_MS = 86_400_000

/** The triage queue (ordered by priority) and the Steering Group's pipeline report. */
export class PipelineService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly capacity: CapacityService,
    private readonly cache: ReportCache = new ReportCache(0),
  ) {}

  /**
   * Open requests, highest priority first (the Steering Group's override, else the suggested
   * score), then oldest first; with capacity left month by month.
   */
  async triage(
    user: CurrentUser,
    query: { status: RequestStatus | ''; page: number; pageSize: number },
  ): Promise<{ items: QueueItem[]; total: number; capacity: CapacityOverview }> {
    if (!canTriage(user))
      throw new ForbiddenError('Only the Steering Group, QI specialists and admins see the triage queue')
    const now = this.clock()
    const today = londonToday(now)
    const statuses = query.status ? [query.status] : OPEN_STATUSES
    const [queue, capacity] = await Promise.all([
      this.cache.get(`queue:${statuses.join(',')}:${today}:${query.page}:${query.pageSize}`, () =>
        listQueuePage(this.db, statuses, today, {
          limit: query.pageSize,
          offset: (query.page - 1) * query.pageSize,
        }),
      ),
      this.capacity.overview(this.capacity.months(6)),
    ])
    const items = queue.items.map((r) => ({
      ...r,
      score: suggestedPriority(
        { priorityCount: r.priorityCount, scale: r.scale, startDate: r.startDate },
        today,
      ),
      ageDays: Math.floor((now.getTime() - Date.parse(r.createdAt)) / DAY_MS),
    }))
    return { items, total: queue.total, capacity }
  }

  async pipeline(user: CurrentUser): Promise<Pipeline> {
    if (!canTriage(user))
      throw new ForbiddenError('Only the Steering Group, QI specialists and admins see the pipeline')
    return this.figures()
  }

  /**
   * The same pipeline (counts and hours, no names of people), for a feature that has applied its
   * own policy first: governance shows it to the Steering Group and the Board (docs/governance.md).
   */
  async figures(): Promise<Pipeline> {
    return this.cache.get('pipeline', () => this.computePipeline())
  }

  /**
   * Requests made since `since`, and open requests (submitted, in triage or waitlisted) unchanged
   * for `ageingDays` or more, at most `limit` each: the weekly digest's (the caller applies its policy).
   */
  async newAndAgeing(since: string, ageingDays = 42, limit = 20) {
    const before = new Date(this.clock().getTime() - ageingDays * DAY_MS).toISOString()
    return listNewAndAgeing(this.db, since, before, OPEN_STATUSES, limit)
  }

  /**
   * The most recently closed requests with their recorded outcomes (titles and screened outcome
   * texts, no people), for a caller that has applied its own policy (governance: the Steering Group).
   */
  async closedOutcomes(limit = 20): Promise<ClosedOutcome[]> {
    return this.cache.get(`outcomes:${limit}`, () => listClosedOutcomes(this.db, limit))
  }

  private async computePipeline(): Promise<Pipeline> {
    const now = this.clock().getTime()
    const edge = (days: number) => new Date(now - days * DAY_MS).toISOString()
    const [cells, hours, names, overview] = await Promise.all([
      pipelineCells(this.db, [edge(14), edge(42), edge(90)]),
      pipelineHours(this.db),
      namesOf(this.db),
      this.capacity.overview(this.capacity.monthsAround(3, 6)),
    ])
    const statuses = STATUS_NAMES.map((status) => {
      const mine = cells.filter((c) => c.status === status)
      const oldest =
        mine
          .map((c) => c.oldest)
          .filter((o): o is string => o !== null)
          .sort()[0] ?? null
      const buckets = [0, 1, 2, 3].map((i) =>
        mine.reduce((s, c) => s + c.buckets[i], 0),
      ) as StatusAgeRow['buckets']
      return {
        status,
        label: REQUEST_STATUSES[status],
        total: mine.reduce((s, c) => s + c.total, 0),
        buckets,
        oldest,
      }
    })
    return {
      statuses,
      months: overview.months,
      byProgramme: groupBy(cells, hours, (c) => c.programmeId, names.programmes),
      byOrganisation: groupBy(cells, hours, (c) => c.organisationId, names.organisations),
      totals: {
        requests: statuses.reduce((s, r) => s + r.total, 0),
        committed: round(overview.months.reduce((s, m) => s + m.committed, 0)),
        available: round(overview.months.reduce((s, m) => s + m.available, 0)),
      },
    }
  }
}

const round = (n: number) => Math.round(n * 10) / 10

/** Folds the cells and hours into one row per programme (or organisation), largest first. */
function groupBy(
  cells: PipelineCell[],
  hours: PipelineHours[],
  keyOf: (c: { programmeId: string | null; organisationId: string | null }) => string | null,
  names: Map<string, string>,
): GroupRow[] {
  const groups = new Map<string | null, GroupRow>()
  const row = (id: string | null) => {
    let g = groups.get(id)
    if (!g)
      groups.set(
        id,
        (g = {
          id,
          name: id === null ? null : (names.get(id) ?? id),
          total: 0,
          open: 0,
          active: 0,
          closed: 0,
          ended: 0,
          committed: 0,
          actual: 0,
        }),
      )
    return g
  }
  for (const c of cells) {
    const g = row(keyOf(c))
    const status = c.status as RequestStatus
    g.total += c.total
    if (OPEN_STATUSES.includes(status)) g.open += c.total
    else if (ACTIVE_STATUSES.includes(status)) g.active += c.total
    else if (status === 'closed') g.closed += c.total
    else g.ended += c.total
  }
  for (const h of hours) {
    const g = row(keyOf(h))
    g.committed = round(g.committed + h.committed)
    g.actual = round(g.actual + h.actual)
  }
  return [...groups.values()].sort((a, b) => b.total - a.total || (a.name ?? '').localeCompare(b.name ?? ''))
}
