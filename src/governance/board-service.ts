import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { csvFile } from '../core/csv.js'
import { ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js'
import { londonToday } from '../core/dates.js'
import type { ProjectService } from '../projects/service.js'
import type { MeasureReport, MeasureService } from '../measures/service.js'
import { formatValue } from '../measures/format.js'
import { measureAxisLabel } from '../measures/chart.js'
import { canSeeBoardSummary, canSteer } from './policy.js'
import { FREQUENCY_LABELS, frequencyOf, periodWords } from './periods.js'
import * as repo from './repository.js'

/** One row of the Board's Making Data Count table, every figure from the engine, already in words. */
export interface BoardRow {
  measureId: string
  name: string
  unit: string
  projectId: string
  projectTitle: string
  /** Links go only where the reader may follow: the measure's project is visible to them. */
  canOpen: boolean
  frequency: string
  latestPeriod: string
  latestValue: string
  /** "Mean" for XmR, p, u and c charts; "Median" for a run chart. */
  centreName: string
  centre: string
  lcl: string
  ucl: string
  target: string
  variationIconSvg: string | null
  variationLabel: string
  assuranceIconSvg: string | null
  assuranceLabel: string
  sparkline: string | null
  ruleSet: string
  points: number
  dataAsAt: string | null
  note: string | null
}

const dash = (v: number | null | undefined) => (v === null || v === undefined ? '–' : formatValue(v))

/**
 * The Board's SPC summary (issue 12 point 4): the system priorities' measures and those the
 * Steering Group flags for the Board, in one Making Data Count table (measure, period of the
 * latest point, latest value, mean, process limits, target, variation and assurance icons, a
 * sparkline), each measure at its own frequency, every figure computed by the engine from the
 * live data as someone outside the project team sees it (small numbers suppressed), stamped with
 * its rule set and when its data last changed. No RAG ratings, no two-point comparisons.
 */
export class BoardService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly deps: { projects: ProjectService; measures: MeasureService },
  ) {}

  requireReader(user: CurrentUser): void {
    if (!canSeeBoardSummary(user))
      throw new ForbiddenError('Only the Board and the Steering Group can see the Board’s SPC summary')
  }

  private requireSteering(user: CurrentUser): void {
    if (!canSteer(user)) throw new ForbiddenError('Only the Steering Group chooses the Board’s measures')
  }

  /** The summary: a section per system priority (its measures), then the other flagged measures. */
  async summary(user: CurrentUser) {
    this.requireReader(user)
    const { sections, rows } = await this.sectionsOf(user, await repo.listBoardMeasures(this.db))
    return {
      asAt: this.clock().toISOString(),
      count: rows,
      sections,
    }
  }

  /** The measures flagged now, in the summary's order (the board pack records these ids). */
  async flaggedIds(): Promise<repo.BoardMeasure[]> {
    return repo.listBoardMeasures(this.db)
  }

  /**
   * The summary's sections for these flags, as this reader sees them, with each measure's report
   * (measures deleted since are left out: `rows` counts those found).
   */
  async sectionsOf(user: CurrentUser, flagged: repo.BoardMeasure[]) {
    const [reports, options] = await Promise.all([
      this.deps.measures.reports.ofMeasures(flagged.map((f) => f.measureId)),
      this.deps.projects.filterOptions(),
    ])
    const projectIds = [...new Set(reports.map((r) => r.measure.projectId))]
    const [titles, visible] = await Promise.all([
      this.deps.projects.titles(projectIds),
      this.deps.projects.visibleIds(user, projectIds),
    ])
    const open = new Set(visible)
    const rowOf = new Map(
      reports.map((r) => [r.measure.id, this.row(r, titles.get(r.measure.projectId) ?? '', open)]),
    )
    const priorityName = new Map(options.priorities.map((p) => [p.id, p.name]))
    const sections: { id: string | null; title: string; rows: BoardRow[] }[] = []
    for (const p of options.priorities) {
      const rows = flagged.filter((f) => f.priorityId === p.id).flatMap((f) => rowOf.get(f.measureId) ?? [])
      if (rows.length) sections.push({ id: p.id, title: p.name, rows })
    }
    const others = flagged
      .filter((f) => !f.priorityId || !priorityName.has(f.priorityId))
      .flatMap((f) => rowOf.get(f.measureId) ?? [])
    if (others.length)
      sections.push({ id: null, title: 'Other measures flagged for the Board', rows: others })
    return { sections, rows: rowOf.size, reports: new Map(reports.map((r) => [r.measure.id, r])) }
  }

  private row(r: MeasureReport, projectTitle: string, open: Set<string>): BoardRow {
    const s = r.view.summary
    const frequency = frequencyOf(r.periods)
    const unit = measureAxisLabel(r.measure)
    const latest = s.latest
    return {
      measureId: r.measure.id,
      name: r.measure.name,
      unit,
      projectId: r.measure.projectId,
      projectTitle,
      canOpen: open.has(r.measure.projectId),
      frequency: FREQUENCY_LABELS[frequency],
      latestPeriod: latest ? periodWords(latest.period, frequency) : 'No data yet',
      latestValue: !latest ? '–' : latest.suppressed ? 'Suppressed (1 to 4)' : dash(latest.value),
      centreName: s.chart === 'run' ? 'Median' : 'Mean',
      centre: dash(s.centre),
      lcl: s.chart === 'run' ? 'Not shown on a run chart' : dash(s.lcl),
      ucl: s.chart === 'run' ? 'Not shown on a run chart' : dash(s.ucl),
      target: r.measure.target === null ? 'No target' : formatValue(r.measure.target),
      variationIconSvg: r.view.variationIconSvg,
      variationLabel: s.variationLabel ?? 'Not enough data',
      assuranceIconSvg: r.view.assuranceIconSvg,
      assuranceLabel:
        s.assuranceLabel ??
        (r.measure.target === null ? 'No target to assure' : 'No assurance without process limits'),
      sparkline: r.sparkline,
      ruleSet: s.ruleSet ?? '',
      points: s.points,
      dataAsAt: r.measure.lastDataAt,
      note: r.view.error,
    }
  }

  /** The summary table as CSV (one row per measure); the export is audited. */
  async csv(user: CurrentUser, ip?: string) {
    const summary = await this.summary(user)
    const header = [
      'Section',
      'Measure',
      'Unit',
      'Project',
      'Frequency',
      'Period of the latest point',
      'Latest value',
      'Centre line',
      'Mean or median',
      'Lower process limit',
      'Upper process limit',
      'Target',
      'Variation',
      'Assurance',
      'Points',
      'Rule set',
      'Data last changed',
    ]
    const rows = summary.sections.flatMap((section) =>
      section.rows.map((r) => [
        section.title,
        r.name,
        r.unit,
        r.projectTitle,
        r.frequency,
        r.latestPeriod,
        r.latestValue,
        r.centreName,
        r.centre,
        r.lcl,
        r.ucl,
        r.target,
        r.variationLabel,
        r.assuranceLabel,
        r.points,
        r.ruleSet,
        r.dataAsAt ?? '',
      ]),
    )
    await writeAudit(this.db, this.clock().toISOString(), {
      actorId: user.id,
      actorLabel: actorLabel(user),
      action: 'governance.board_export',
      entityType: 'board_summary',
      entityId: null,
      ip,
      after: { rows: rows.length },
    })
    return { filename: `board-spc-summary-${londonToday(this.clock())}.csv`, body: csvFile(header, rows) }
  }

  /** The Board's measures with their names, for the Steering Group's page. */
  async flaggedList(user: CurrentUser) {
    this.requireSteering(user)
    const flagged = await repo.listBoardMeasures(this.db)
    const [reports, options] = await Promise.all([
      this.deps.measures.reports.ofMeasures(flagged.map((f) => f.measureId)),
      this.deps.projects.filterOptions(),
    ])
    const titles = await this.deps.projects.titles([...new Set(reports.map((r) => r.measure.projectId))])
    const byId = new Map(reports.map((r) => [r.measure.id, r.measure]))
    const priorityName = new Map(options.priorities.map((p) => [p.id, p.name]))
    return {
      priorities: options.priorities,
      items: flagged.flatMap((f) => {
        const m = byId.get(f.measureId)
        if (!m) return []
        return [
          {
            measureId: m.id,
            name: m.name,
            projectId: m.projectId,
            projectTitle: titles.get(m.projectId) ?? '',
            priority: f.priorityId ? (priorityName.get(f.priorityId) ?? null) : null,
            flaggedAt: f.flaggedAt,
          },
        ]
      }),
    }
  }

  /** Measures whose name has these words, among the projects this person may see. */
  async candidates(user: CurrentUser, words: string) {
    this.requireSteering(user)
    const found = await this.deps.measures.reports.searchByName(words, 50)
    const visible = new Set(
      await this.deps.projects.visibleIds(user, [...new Set(found.map((f) => f.projectId))]),
    )
    const shown = found.filter((f) => visible.has(f.projectId)).slice(0, 20)
    const [titles, flagged] = await Promise.all([
      this.deps.projects.titles([...new Set(shown.map((f) => f.projectId))]),
      repo.listBoardMeasures(this.db),
    ])
    const isFlagged = new Set(flagged.map((f) => f.measureId))
    return shown.map((f) => ({
      ...f,
      projectTitle: titles.get(f.projectId) ?? '',
      flagged: isFlagged.has(f.id),
    }))
  }

  /**
   * Shows a measure to the Board, optionally as a measure of a system priority (flagging it again
   * changes the priority). The Steering Group may flag only measures of projects it can see.
   */
  async flag(user: CurrentUser, measureId: string, priorityId: string | null, ip?: string) {
    this.requireSteering(user)
    // Not found when the person may not see the measure's project (measures/context.ts).
    const { measure } = await this.deps.measures.context(user, measureId)
    if (priorityId) {
      const { priorities } = await this.deps.projects.filterOptions()
      if (!priorities.some((p) => p.id === priorityId))
        throw new ValidationError({ priorityId: 'Choose a system priority from the list' })
    }
    const at = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const before = await repo.findBoardMeasure(trx, measure.id)
      await repo.upsertBoardMeasure(trx, { measureId: measure.id, priorityId, by: user.id, at })
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'governance.board_flag',
        entityType: 'measure',
        entityId: measure.id,
        ip,
        before: before ? { priorityId: before.priorityId } : undefined,
        after: { priorityId },
      })
    })
    return measure
  }

  async unflag(user: CurrentUser, measureId: string, ip?: string): Promise<void> {
    this.requireSteering(user)
    const at = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const before = await repo.findBoardMeasure(trx, measureId)
      if (!before) throw new NotFoundError('That measure is not on the Board’s list')
      await repo.deleteBoardMeasure(trx, measureId)
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'governance.board_unflag',
        entityType: 'measure',
        entityId: measureId,
        ip,
        before: { priorityId: before.priorityId },
      })
    })
  }
}
