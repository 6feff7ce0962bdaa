/**
 * What a measure's chart is made from and what the page is given back: the measure, its points,
 * annotations and PDSA marks in; the drawn chart, its table rows, its words and the SPC summary
 * out. The work that turns one into the other is in chart.ts.
 */
import type { SpcSuccess } from '../spc/index.js'
import type { DataKind, Direction, MeasureChart } from './policy.js'

/** What the chart needs to know about a measure. */
export interface ChartMeasure {
  name: string
  unit: string
  dataKind: DataKind
  chartType: MeasureChart | null
  multiplier: number
  direction: Direction
  target: number | null
}

export interface ChartPoint {
  period: string
  value: number | null
  numerator: number | null
  denominator: number | null
  excluded: boolean
  exclusionReason: string | null
}

export interface ChartNote {
  /** The annotation's id: the page lists it with its number on the chart. */
  id?: string
  date: string
  text: string
  isRebase: boolean
}

export interface ChartMark {
  pdsaId?: string
  date: string
  label: string
}

/** The name an annotation or PDSA mark goes by in `MeasureChartView.eventNumbers`. */
export const eventRef = {
  note: (id: string) => `annotation:${id}`,
  mark: (pdsaId: string, date: string) => `pdsa:${pdsaId}:${date}`,
}

/** One row of the data table: the numbers a viewer may see, already formatted. */
export interface DataTableRow {
  period: string
  label: string
  value: string
  numerator: string
  denominator: string
  centre: string
  lcl: string
  ucl: string
  signal: string
  note: string
  suppressed: boolean
  excluded: boolean
}

export interface SpcSummary {
  chart: MeasureChart
  chartName: string
  suggestedChart: MeasureChart
  method: 'mdc' | 'anhoej'
  points: number
  centre: number | null
  lcl: number | null
  ucl: number | null
  variation: string | null
  variationIcon: string | null
  variationLabel: string | null
  assurance: string | null
  assuranceIcon: string | null
  assuranceLabel: string | null
  runsSignal: boolean | null
  /** The rules the chart used, in words ("Making Data Count rules: shift 7, trend 7"). */
  ruleSet: string | null
  latest: { period: string; value: number | null; suppressed: boolean } | null
}

export interface MeasureChartView {
  summary: SpcSummary
  /** The engine's result as this viewer may see it (suppressed values removed), or null with no data. */
  result: SpcSuccess | null
  error: string | null
  svg: string | null
  description: string
  variationIconSvg: string | null
  assuranceIconSvg: string | null
  rows: DataTableRow[]
  suppressedCount: number
  excludedCount: number
  /** Each event's number on the chart and in its key (`eventRef`), for the page's list. */
  eventNumbers: Record<string, number>
}
