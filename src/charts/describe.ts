import type { AnhoejResult, MdcPoint, MdcResult, SpcSuccess, SpecialCause, XValue } from '../spc/index.js'
import { formatNumber, formatX, formatXLong, xStyleOf } from './format.js'

/** Options shared by the renderer and the text alternatives. */
export interface DescribeOptions {
  /** What is measured, e.g. "4-hour performance"; used to open the description. */
  title?: string
  /** Unit or y-axis label, e.g. "%". */
  yLabel?: string
  /** Target to report when the result does not carry one. */
  target?: number | null
}

const CAUSE_WORDS: Record<SpecialCause, string> = {
  above_ucl: 'above the upper process limit',
  below_lcl: 'below the lower process limit',
  trend_increasing: 'part of an increasing trend of 7 or more points',
  trend_decreasing: 'part of a decreasing trend of 7 or more points',
  two_in_three_above: '2 of 3 points close to the upper process limit',
  two_in_three_below: '2 of 3 points close to the lower process limit',
  shift_above: 'part of a run of 7 or more points above the mean',
  shift_below: 'part of a run of 7 or more points below the mean',
  none: 'no special cause',
}

const TYPE_WORDS: Record<MdcPoint['point_type'], string> = {
  common_cause: 'Common cause variation',
  special_cause_improvement: 'Special cause improvement',
  special_cause_concern: 'Special cause concern',
  special_cause_neutral_high: 'Special cause variation (neutral, high)',
  special_cause_neutral_low: 'Special cause variation (neutral, low)',
}

const CHART_NAMES: Record<AnhoejResult['chart'], string> = {
  run: 'Run chart',
  i: 'I chart',
  mr: 'Moving range chart',
  xbar: 'X-bar chart',
  s: 'S chart',
  t: 'T chart (time between events)',
  p: 'P chart',
  pp: 'P′ chart',
  c: 'C chart',
  u: 'U chart',
  up: 'U′ chart',
  g: 'G chart',
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

/** The streak of special-cause points of the same kind that ends at the last point. */
function latestStreak(points: readonly MdcPoint[]): { count: number; first: XValue } {
  const last = points[points.length - 1]
  let i = points.length - 1
  while (
    i > 0 &&
    points[i - 1].point_type === last.point_type &&
    points[i - 1].special_cause !== 'none' &&
    points[i - 1].period === last.period
  )
    i--
  return { count: points.length - i, first: points[i].x }
}

function describeMdc(result: MdcResult, options: DescribeOptions): string {
  const style = xStyleOf(result.points.map((p) => p.x))
  const last = result.points[result.points.length - 1]
  const sentences: string[] = []
  let variation: string
  if (last.special_cause === 'none') {
    const period = result.periods[result.periods.length - 1]
    const limits =
      period.lcl !== null && period.ucl !== null
        ? `, with process limits ${formatNumber(period.lcl)} to ${formatNumber(period.ucl)}`
        : ', without process limits (too few points to calculate them)'
    variation = `${TYPE_WORDS[last.point_type]}: the latest point (${formatX(last.x, style)}) shows no special cause; the mean is ${formatNumber(period.centre)}${limits}`
  } else {
    const { count, first } = latestStreak(result.points)
    const what = CAUSE_WORDS[last.special_cause]
    const where = last.special_cause.startsWith('shift')
      ? `${plural(count, 'point')} ${last.special_cause === 'shift_above' ? 'above' : 'below'} the mean`
      : last.special_cause.startsWith('trend')
        ? `${plural(count, 'point')} ${last.special_cause === 'trend_increasing' ? 'increasing' : 'decreasing'}`
        : count > 1
          ? `the last ${plural(count, 'point')} ${what}`
          : `the latest point is ${what}`
    variation = `${TYPE_WORDS[last.point_type]}: ${where}${count > 1 ? ` since ${formatXLong(first, style)}` : ''}`
  }
  sentences.push(variation)
  const target = result.target ?? options.target ?? null
  if (result.assurance === 'consistent_pass')
    sentences.push(`the target${target === null ? '' : ` of ${formatNumber(target)}`} is consistently met`)
  else if (result.assurance === 'consistent_fail')
    sentences.push(
      `the target${target === null ? '' : ` of ${formatNumber(target)}`} is consistently not met`,
    )
  else if (result.assurance === 'inconsistent')
    sentences.push(
      `the target${target === null ? '' : ` of ${formatNumber(target)}`} will be met inconsistently, as it lies within the process limits`,
    )
  const special = result.points.filter((p) => p.special_cause !== 'none').length
  const text = `${sentences.join('; ')}. ${plural(result.points.length, 'point')} in ${plural(result.periods.length, 'period')}; ${plural(special, 'point')} with special cause.`
  return options.title ? `${options.title}. ${text}` : text
}

function describeAnhoej(result: AnhoejResult, options: DescribeOptions): string {
  const style = xStyleOf(result.points.map((p) => p.x))
  const period = result.periods[result.periods.length - 1]
  const parts: string[] = []
  const centreName = result.chart === 'run' || result.chart === 'g' ? 'median' : 'centre line'
  const scope =
    result.periods.length > 1
      ? `In the latest of ${result.periods.length} periods (from ${formatXLong(period.first_x, style)}, ${plural(period.n_points, 'point')})`
      : `Over ${plural(period.n_points, 'point')}`
  parts.push(`${CHART_NAMES[result.chart]}. ${scope} the ${centreName} is ${formatNumber(period.centre)}`)
  const runs = period.runs
  if (runs.n_useful === 0) parts.push('no runs analysis is possible')
  else if (runs.runs_signal) {
    const why: string[] = []
    if (
      runs.longest_run !== null &&
      runs.longest_run_max !== null &&
      runs.longest_run > runs.longest_run_max
    ) {
      why.push(`a run of ${runs.longest_run} points on one side (more than ${runs.longest_run_max})`)
    }
    if (
      runs.n_crossings !== null &&
      runs.n_crossings_min !== null &&
      runs.n_crossings < runs.n_crossings_min
    ) {
      why.push(
        `too few crossings of the ${centreName} (${runs.n_crossings}, fewer than ${runs.n_crossings_min})`,
      )
    }
    parts.push(`the runs analysis finds non-random variation: ${why.join(' and ')}`)
  } else parts.push('the runs analysis finds no sign of non-random variation')
  if (result.chart !== 'run') {
    const outside = result.points.filter((p) => p.period === period.period && p.sigma_signal)
    parts.push(
      outside.length === 0
        ? 'no point is outside the control limits'
        : `${plural(outside.length, 'point')} outside the control limits (${outside
            .slice(-3)
            .map((p) => formatX(p.x, style))
            .join(', ')}${outside.length > 3 ? ', …' : ''})`,
    )
  }
  const text = `${parts.join('; ')}.`
  return options.title ? `${options.title}. ${text}` : text
}

/**
 * A plain-English sentence of what a chart shows: the latest variation and, with a target, the
 * assurance (mdc), or the runs analysis and 3-sigma signals of the latest period (anhoej).
 * @example describeSpcResult(result, {})
 * // 'Special cause improvement: 7 points above the mean since March 2024; the target of 90 is consistently met. …'
 */
export function describeSpcResult(result: SpcSuccess, options: DescribeOptions = {}): string {
  return result.method === 'mdc' ? describeMdc(result, options) : describeAnhoej(result, options)
}

/** One row of the data-table alternative to a chart. */
export interface SpcTableRow {
  x: XValue
  /** The x as people read it ("Mar 2024"). */
  label: string
  value: number | null
  centre: number | null
  lcl: number | null
  ucl: number | null
  period: number
  /** The signal in words ("Special cause improvement: above the upper process limit", "None"). */
  signal: string
}

/**
 * Rows for a data table next to (or instead of) the chart: one per point, signal in words.
 * @example spcTableRows(result)[4] // { label: '26 Mar 2021', value: 10, …, signal: 'Special cause improvement: above the upper process limit' }
 */
export function spcTableRows(result: SpcSuccess): SpcTableRow[] {
  const style = xStyleOf(result.points.map((p) => p.x))
  if (result.method === 'mdc') {
    return result.points.map((p) => ({
      x: p.x,
      label: formatX(p.x, style),
      value: p.value,
      centre: p.centre,
      lcl: p.lcl,
      ucl: p.ucl,
      period: p.period,
      signal:
        p.value === null
          ? 'Missing value'
          : p.special_cause === 'none'
            ? 'None'
            : `${TYPE_WORDS[p.point_type]}: ${CAUSE_WORDS[p.special_cause]}`,
    }))
  }
  return result.points.map((p) => {
    const words: string[] = []
    if (p.value === null) words.push('Missing value')
    if (p.sigma_signal)
      words.push(
        p.value !== null && p.ucl !== null && p.value > p.ucl
          ? 'Above the upper control limit'
          : 'Below the lower control limit',
      )
    if (p.excluded) words.push('Excluded from calculations')
    return {
      x: p.x,
      label: formatX(p.x, style),
      value: p.value,
      centre: p.centre,
      lcl: p.lcl,
      ucl: p.ucl,
      period: p.period,
      signal: words.length ? words.join('; ') : 'None',
    }
  })
}
