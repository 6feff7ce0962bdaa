import type { ChartType, SpcMethod } from '../spc/index.js'

/** DOMAIN.md §1: outcome, process and balancing measures. */
export const MEASURE_TYPES = {
  outcome: 'Outcome: the result the project aims to change',
  process: 'Process: whether the changes are being done as planned',
  balancing: 'Balancing: harm or cost elsewhere in the system',
} as const
export type MeasureType = keyof typeof MEASURE_TYPES

export const DIRECTIONS = {
  increase: 'Higher is better',
  decrease: 'Lower is better',
  neutral: 'Neither: watch for change either way',
} as const
export type Direction = keyof typeof DIRECTIONS

/** The kind of data decides how it is entered, which chart suits it and whether small numbers are hidden. */
export const DATA_KINDS = {
  continuous: 'Continuous values (a time, a length of stay, a score)',
  proportion:
    'A proportion: a numerator out of a denominator (patients seen within 4 hours out of all patients)',
  rate: 'A rate: events per unit of exposure (falls per 1,000 bed days)',
  count: 'A count of events (falls in the month)',
} as const
export type DataKind = keyof typeof DATA_KINDS

/** Chart types the team can choose. */
export const CHART_CHOICES: Record<'run' | 'i' | 'p' | 'u' | 'c', string> = {
  run: 'Run chart (median and runs rules)',
  i: 'XmR chart (Making Data Count)',
  p: 'P chart (proportions)',
  u: 'U chart (rates)',
  c: 'C chart (counts)',
}
export type MeasureChart = keyof typeof CHART_CHOICES

/** Which charts make sense for each kind of data. */
export const CHARTS_FOR_KIND: Record<DataKind, MeasureChart[]> = {
  continuous: ['i', 'run'],
  proportion: ['p', 'i', 'run'],
  rate: ['u', 'i', 'run'],
  count: ['c', 'i', 'run'],
}

/** Fewer points than this and a run chart is suggested (limits need a longer baseline). */
export const RUN_CHART_BELOW = 12

/**
 * The chart suggested for the data: XmR (`i`) for continuous values, `p` for proportions, `u`
 * for rates, `c` for counts, and a run chart while there are fewer than 12 points.
 * @example suggestedChart('proportion', 30) // 'p'
 */
export function suggestedChart(kind: DataKind, points: number): MeasureChart {
  if (points < RUN_CHART_BELOW) return 'run'
  return ({ continuous: 'i', proportion: 'p', rate: 'u', count: 'c' } as const)[kind]
}

/** The rule set for a chart: Making Data Count for XmR, Anhøj (qicharts2) for the others. */
export function methodFor(chart: MeasureChart): SpcMethod {
  return chart === 'i' ? 'mdc' : 'anhoej'
}

export const chartTypeOf = (chart: MeasureChart): ChartType => chart

/** "Show as" multipliers for proportions and rates. */
export const MULTIPLIERS: Record<DataKind, { value: number; text: string }[]> = {
  continuous: [{ value: 1, text: 'As entered' }],
  count: [{ value: 1, text: 'As entered' }],
  proportion: [
    { value: 100, text: 'Percentage (out of 100)' },
    { value: 1, text: 'Proportion (0 to 1)' },
  ],
  rate: [
    { value: 1, text: 'Per 1' },
    { value: 100, text: 'Per 100' },
    { value: 1000, text: 'Per 1,000' },
    { value: 10000, text: 'Per 10,000' },
    { value: 100000, text: 'Per 100,000' },
  ],
}

export function defaultMultiplier(kind: DataKind): number {
  return kind === 'proportion' ? 100 : kind === 'rate' ? 1000 : 1
}

/** DOMAIN.md §5.2: beyond the project team, counts of 1 to 4 are suppressed (ONS guidance). */
export const SMALL_NUMBER_MAX = 4

/** Does this kind of data count people or events (so small numbers could identify someone)? */
export function countsEvents(kind: DataKind): boolean {
  return kind !== 'continuous'
}

function small(v: number | null): boolean {
  return v !== null && v >= 1 && v <= SMALL_NUMBER_MAX
}

/**
 * Whether a data point must be hidden from viewers outside the team: a count of 1 to 4, or a
 * proportion or rate whose numerator or denominator is 1 to 4 (its value would give the count
 * away). Continuous values (times, scores) are not counts and are never suppressed.
 * @example isSmallNumber('count', { value: 3, numerator: null, denominator: null }) // true
 */
export function isSmallNumber(
  kind: DataKind,
  point: { value: number | null; numerator: number | null; denominator: number | null },
): boolean {
  if (!countsEvents(kind)) return false
  if (kind === 'count') return small(point.value)
  return small(point.numerator) || small(point.denominator)
}
