import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { chartSignals, renderSparkline } from '../charts/index.js'
import { MemoCache } from '../web/memo-cache.js'
import { idChunks } from '../db/sql.js'
import { measureAxisLabel, type MeasureChartView } from './chart.js'
import * as annotationRepo from './annotation-repository.js'
import * as pointRepo from './point-repository.js'
import * as reportRepo from './report-repository.js'
import * as resultRepo from './result-repository.js'
import { reportView, resultKey } from './result-repository.js'
import type { Measure } from './repository.js'

/** One measure as a report across projects shows it: its chart's summary for viewers outside the team. */
export interface MeasureReport {
  measure: Measure
  view: MeasureChartView
  /** The periods of its points, oldest first (how often it is measured). */
  periods: string[]
  /** A small chart of the latest points, or null without data. */
  sparkline: string | null
}

/** A measure whose latest point is a special cause: its variation icon (improvement_high, concern_low…). */
export interface SignalHit {
  measureId: string
  name: string
  projectId: string
  icon: string
}

/**
 * Figures about measures across many projects, for the Steering Group's portfolio and the
 * Board's summary (governance/). Every chart is computed by the engine from the live data and
 * seen as someone outside the project team sees it: counts of 1 to 4 suppressed (DOMAIN.md
 * §5.2). Each measure's analysis is cached by everything it is computed from (version, data
 * version, rebases), so a report reads the measures and their rebases and analyses only what
 * changed. Who may read a report is the caller's decision; these methods take ids the caller
 * has already chosen.
 */
export class MeasureReportService {
  private readonly reports = new MemoCache<MeasureReport>(20_000, 64 * 1024 * 1024)

  constructor(private readonly db: Kysely<DB>) {}

  /** Each project's latest change to its measures' data (ISO), for projects with any. */
  lastDataByProject(projectIds: readonly string[]): Promise<Map<string, string>> {
    return reportRepo.lastDataByProject(this.db, projectIds)
  }

  /** The names of these projects' measures, by project (the caller has chosen the projects). */
  measureNames(projectIds: readonly string[]): Promise<Map<string, string[]>> {
    return reportRepo.measureNamesByProject(this.db, projectIds)
  }

  /** The measures of these projects, each with its summary. */
  async ofProjects(projectIds: readonly string[]): Promise<MeasureReport[]> {
    return this.analyse(await reportRepo.measuresOfProjects(this.db, projectIds))
  }

  /**
   * The measures of these projects whose latest point is a special cause, each with its variation
   * icon, and nothing more: the up-to-date stored signals are taken as stored (no view, no points
   * read), and only measures without an up-to-date stored result are analysed. For a portfolio
   * that counts thousands of signals and shows a few (`ofMeasures` gives those their summary).
   */
  async signalsOf(projectIds: readonly string[]): Promise<SignalHit[]> {
    const candidates = await resultRepo.signalCandidates(this.db, projectIds)
    const rebases = await this.rebasesOf(candidates.map((c) => c.id))
    const hits: SignalHit[] = []
    const stale: string[] = []
    for (const c of candidates) {
      if (c.storedKey !== null && c.storedKey === resultKey(c, rebases.get(c.id) ?? [])) {
        if (c.storedSignal)
          hits.push({ measureId: c.id, name: c.name, projectId: c.projectId, icon: c.storedSignal })
      } else stale.push(c.id)
    }
    for (const r of await this.analyse(await reportRepo.measuresByIds(this.db, stale))) {
      const icon = resultRepo.signalOf(r.view)
      if (icon)
        hits.push({ measureId: r.measure.id, name: r.measure.name, projectId: r.measure.projectId, icon })
    }
    return hits
  }

  /** These measures (those that still exist), each with its summary and sparkline, in the order given. */
  async ofMeasures(measureIds: readonly string[]): Promise<MeasureReport[]> {
    const found = await reportRepo.measuresByIds(this.db, measureIds)
    const order = new Map(measureIds.map((id, i) => [id, i]))
    found.sort((a, b) => order.get(a.id)! - order.get(b.id)!)
    return this.analyse(found)
  }

  /**
   * Measures whose stored result changed in [since, until) and shows special cause at the latest
   * point (the weekly digest's new signals; the caller keeps only the projects its reader may see).
   */
  signalsStoredBetween(since: string, until: string, limit = 200) {
    return resultRepo.signalsStoredBetween(this.db, since, until, limit)
  }

  /** Measures whose name has these words (at most `limit`), for choosing one by name. */
  searchByName(words: string, limit = 20) {
    return reportRepo.searchMeasureNames(this.db, words, limit)
  }

  private async rebasesOf(ids: readonly string[]): Promise<Map<string, annotationRepo.Annotation[]>> {
    const rebases = new Map<string, annotationRepo.Annotation[]>()
    for (const chunk of idChunks(this.db, ids)) {
      const batch = await annotationRepo.listRebasesOf(this.db, chunk)
      for (const [id, list] of batch) rebases.set(id, list)
    }
    return rebases
  }

  private async analyse(measures: Measure[]): Promise<MeasureReport[]> {
    const rebases = await this.rebasesOf(measures.map((m) => m.id))
    const keyOf = (m: Measure) => resultKey(m, rebases.get(m.id) ?? [])
    // What this call returns is kept here too: a report of more measures than the cache holds
    // would otherwise lose its first ones before it ends.
    const got = new Map<string, MeasureReport>()
    for (const m of measures) {
      const cached = this.reports.get(keyOf(m))
      if (cached) got.set(m.id, cached)
    }
    const missing = measures.filter((m) => !got.has(m.id))
    for (let i = 0; i < missing.length; i += 200) {
      const batch = missing.slice(i, i + 200)
      const ids = batch.map((m) => m.id)
      // The result stored when the measure last changed, if it is still for what the measure is now.
      const [series, stored] = await Promise.all([
        pointRepo.listSeriesOf(this.db, ids),
        resultRepo.storedResults(this.db, ids),
      ])
      for (const m of batch) {
        const points = series.get(m.id) ?? []
        const kept = stored.get(m.id)
        const view =
          kept && kept.key === keyOf(m) ? kept.view : reportView(m, points, rebases.get(m.id) ?? [])
        const sparkline = view.result
          ? renderSparkline(view.result, {
              label: `${m.name}: the latest ${Math.min(24, points.length)} of ${points.length} points${
                measureAxisLabel(m) ? ` (${measureAxisLabel(m)})` : ''
              }`,
              target: m.target,
              direction: m.direction,
              signals: chartSignals(view.result, m.direction, m.target),
            })
          : null
        const report = { measure: m, view, periods: points.map((p) => p.period), sparkline }
        this.reports.set(keyOf(m), report, 2000 + (sparkline?.length ?? 0) + points.length * 12)
        got.set(m.id, report)
      }
    }
    return measures.map((m) => got.get(m.id)!)
  }
}
