import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../core/identity.js'
import { analyseMeasure, chartFor, type MeasureChartView } from './chart.js'
import { MemoCache } from '../web/memo-cache.js'
import { pdsaMarks } from './pdsa.js'
import { rawValueOf } from './points.js'
import { isSmallNumber, type MeasureChart } from './policy.js'
import { measureContext, projectContext } from './context.js'
import { projectAccessMany } from '../projects/access.js'
import * as repo from './repository.js'
import * as pointRepo from './point-repository.js'
import * as annotationRepo from './annotation-repository.js'
import type { Measure } from './repository.js'

/** A data point as a viewer may see it: small numbers already removed for people outside the team. */
export interface ViewerPoint {
  period: string
  value: number | null
  numerator: number | null
  denominator: number | null
  /** The plotted value (numerator ÷ denominator × the "show as" multiplier, or the value). */
  plotted: number | null
  excluded: boolean
  exclusionReason: string | null
  suppressed: boolean
}

/**
 * What the measure pages show: a project's measures with their summaries, and one measure's
 * chart, table and annotations, as this viewer may see them. Charts and summaries are cached
 * here, keyed by everything they are drawn from.
 */
export class MeasurePageService {
  private readonly charts = new MemoCache<MeasureChartView>()
  private readonly summaries = new MemoCache<{ summary: MeasureChartView['summary']; description: string }>(
    5000,
  )

  constructor(private readonly db: Kysely<DB>) {}

  /** A project's measures, each with the summary of its chart (icons, latest value). */
  async listForProject(user: CurrentUser | null, projectId: string) {
    const { project, access } = await projectContext(this.db, user, projectId)
    const measures = await repo.listMeasures(this.db, projectId)
    const rebases = await annotationRepo.listRebasesOf(
      this.db,
      measures.map((m) => m.id),
    )
    const keyOf = (m: Measure) =>
      JSON.stringify([
        'summary',
        m.id,
        m.version,
        m.dataVersion,
        access.seeSmallNumbers,
        (rebases.get(m.id) ?? []).map((a) => [a.id, a.date]),
      ])
    const missing = measures.filter((m) => !this.summaries.get(keyOf(m)))
    const points = await pointRepo.listSeriesOf(
      this.db,
      missing.map((m) => m.id),
    )
    for (const m of missing) {
      const view = analyseMeasure(m, points.get(m.id) ?? [], rebases.get(m.id) ?? [], [], {
        seeSmallNumbers: access.seeSmallNumbers,
        svg: false,
        rows: false,
      })
      this.summaries.set(keyOf(m), { summary: view.summary, description: view.description }, 2000)
    }
    const items = measures.map((m) => ({ measure: m, ...this.summaries.get(keyOf(m))! }))
    return { project, access, items }
  }

  /**
   * Everything the measure page shows (the data table: every point, or the latest `rows`).
   * The drawn chart is cached by everything it is drawn from (see web/memo-cache.ts), so a page
   * view costs the access check and three small queries; `withPoints` also loads the series.
   */
  async page(
    user: CurrentUser | null,
    measureId: string,
    options: { width?: number; rows?: number; withPoints?: boolean } = {},
  ) {
    const ctx = await measureContext(this.db, user, measureId)
    const [annotations, marks] = await Promise.all([
      annotationRepo.listAnnotations(this.db, measureId),
      pdsaMarks(this.db, measureId),
    ])
    const m = ctx.measure
    const key = JSON.stringify([
      m.id,
      m.version,
      m.dataVersion,
      ctx.access.seeSmallNumbers,
      options.rows ?? 'all',
      options.width ?? 0,
      annotations.map((a) => [a.id, a.date, a.text, a.isRebase]),
      marks,
    ])
    let chart = options.withPoints ? undefined : this.charts.get(key)
    let points: pointRepo.SeriesPoint[] = []
    if (!chart) {
      points = await pointRepo.listSeries(this.db, measureId)
      chart = analyseMeasure(m, points, annotations, marks, {
        seeSmallNumbers: ctx.access.seeSmallNumbers,
        id: `measure-${measureId}`,
        width: options.width,
        rows: options.rows,
      })
      this.charts.set(key, chart, (chart.svg?.length ?? 0) + chart.rows.length * 300 + 2000)
    }
    return { ...ctx, points, annotations, marks, chart }
  }

  /** The data as this viewer may see it (small numbers suppressed outside the team). */
  viewerPoints(
    measure: Measure,
    points: readonly pointRepo.SeriesPoint[],
    seeSmallNumbers: boolean,
  ): ViewerPoint[] {
    const two = measure.dataKind === 'proportion' || measure.dataKind === 'rate'
    return points.map((p) => {
      const suppressed = !seeSmallNumbers && isSmallNumber(measure.dataKind, p)
      const raw = rawValueOf(measure.dataKind, p)
      return {
        period: p.period,
        value: suppressed || two ? null : p.value,
        numerator: suppressed ? null : p.numerator,
        denominator: suppressed ? null : p.denominator,
        plotted: suppressed || raw === null ? null : raw * (two ? measure.multiplier : 1),
        excluded: p.excluded,
        exclusionReason: p.exclusionReason,
        suppressed,
      }
    })
  }

  /** A project's measures with their summaries and the periods of their data (for the QI coach). */
  async withPeriods(user: CurrentUser | null, projectId: string) {
    const list = await this.listForProject(user, projectId)
    const series = await pointRepo.listSeriesOf(
      this.db,
      list.items.map((i) => i.measure.id),
    )
    const items = list.items.map((i) => ({
      ...i,
      periods: (series.get(i.measure.id) ?? []).map((p) => p.period),
    }))
    return { ...list, items }
  }

  /**
   * Across many projects at once (the "my work" home): each measure of the projects where this
   * user may edit, with its latest period; three queries for the rights, one for the measures,
   * one for the periods, however many projects.
   */
  async latestOfEditable(user: CurrentUser, projectIds: string[]) {
    const visible = await projectAccessMany(this.db, user, projectIds)
    const editable = [...visible].filter(([, v]) => v.access.edit).map(([id]) => id)
    const measures = await repo.listMeasureHeads(this.db, editable)
    return measures.map((m) => ({ ...m, projectTitle: visible.get(m.projectId)!.title }))
  }

  /**
   * The annotations of several measures at once (the board pack's slides), for those of projects
   * this user may open; the others are left out of the map.
   */
  async annotationsOf(
    user: CurrentUser,
    measures: readonly { id: string; projectId: string }[],
  ): Promise<Map<string, annotationRepo.Annotation[]>> {
    const visible = await projectAccessMany(this.db, user, [...new Set(measures.map((m) => m.projectId))])
    return annotationRepo.listAnnotationsOf(
      this.db,
      measures.filter((m) => visible.has(m.projectId)).map((m) => m.id),
    )
  }

  /** A measure with its latest period, for the paper data-collection sheet (the viewer's rights). */
  async sheet(user: CurrentUser | null, measureId: string) {
    const ctx = await measureContext(this.db, user, measureId)
    return { ...ctx, latestPeriod: await pointRepo.latestPeriodOf(this.db, measureId) }
  }

  /** The chart type in use for a measure with this many points (for forms and lists). */
  chartFor(measure: Measure, points: number): MeasureChart {
    return chartFor(measure, points)
  }
}
