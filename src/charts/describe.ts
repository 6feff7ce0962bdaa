import { describeRuleSet } from '../spc/index.js'
import type {
  AnhoejResult,
  MdcRuleSet,
  ImprovementDirection,
  MdcPoint,
  MdcResult,
  SpcSuccess,
  SpecialCause,
  XValue,
} from '../spc/index.js'
import { formatNumber, formatX, formatXLong, xStyleOf, type XStyle } from './format.js'
import { chartSignals, runsOf, type ChartSignals } from './signals.js'
import { latestTarget } from './trajectory.js'

/** Options shared by the renderer and the text alternatives. */
export interface DescribeOptions {
  /** What is measured, e.g. "4-hour performance"; used to open the description. */
  title?: string
  /** Unit or y-axis label, e.g. "%". */
  yLabel?: string
  /** Target to report when the result does not carry one. */
  target?: number | null
  /** The measure's improvement direction (Anhøj results do not carry it). Default neutral. */
  direction?: ImprovementDirection
  /** The signals to show, when worked out from another copy of the result (small numbers). */
  signals?: ChartSignals
}

/**
 * The rules the engine used, in words, from the result's `rule_set`: "Making Data Count rules:
 * shift 7, trend 7"; for the Anhøj rules, the latest period's limits, which grow with n.
 * @example ruleSetWords(mdcResult) // 'Making Data Count rules: shift 7, trend 7'
 */
export function ruleSetWords(result: SpcSuccess): string {
  if (result.method === 'mdc') return describeRuleSet(result.rule_set)
  const runs = result.periods[result.periods.length - 1].runs
  const parts = result.chart === 'run' ? [] : ['3-sigma limits']
  if (runs.longest_run_max !== null) parts.push(`longest run over ${runs.longest_run_max}`)
  if (runs.n_crossings_min !== null) parts.push(`fewer than ${runs.n_crossings_min} crossings`)
  return `Anhøj rules${parts.length ? `: ${parts.join(', ')}` : ''}`
}

function ruleSetSentence(result: SpcSuccess): string {
  return ` ${ruleSetWords(result)}.`
}

/** A special cause in words, with the run lengths of the rule set it was judged by. */
function causeWords(cause: SpecialCause, rules: MdcRuleSet): string {
  const words: Record<SpecialCause, string> = {
    above_ucl: 'above the upper process limit',
    below_lcl: 'below the lower process limit',
    trend_increasing: `part of an increasing trend of ${rules.trend_n} or more points`,
    trend_decreasing: `part of a decreasing trend of ${rules.trend_n} or more points`,
    two_in_three_above: '2 of 3 points close to the upper process limit',
    two_in_three_below: '2 of 3 points close to the lower process limit',
    shift_above: `part of a run of ${rules.shift_n} or more points above the mean`,
    shift_below: `part of a run of ${rules.shift_n} or more points below the mean`,
    none: 'no special cause',
  }
  return words[cause]
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

/**
 * How many points, ending at the latest, are in the latest period and pass `test` one after
 * another (a missing value ends the streak).
 */
export function streakAtEnd<P extends { period: number; value: number | null }>(
  points: readonly P[],
  test: (p: P, k: number) => boolean,
): number {
  const last = points.length - 1
  let k = last
  while (k >= 0 && points[k].period === points[last].period && points[k].value !== null && test(points[k], k))
    k--
  return last - k
}

/** The latest points' strictly rising (dir 1) or falling (−1) run, counted in points. */
export function trendAtEnd(points: readonly MdcPoint[], dir: 1 | -1): number {
  const last = points.length - 1
  let k = last
  while (
    k > 0 &&
    points[k - 1].period === points[last].period &&
    points[k].value !== null &&
    points[k - 1].value !== null &&
    dir * (points[k].value! - points[k - 1].value!) > 0
  )
    k--
  return points[k].value === null ? 0 : last - k + 1
}

function describeLatestMdc(result: MdcResult, style: XStyle): string {
  const points = result.points
  const last = points[points.length - 1]
  const at = `the latest point (${formatX(last.x, style)})`
  const since = (count: number) => formatXLong(points[points.length - count].x, style)
  const type = TYPE_WORDS[last.point_type]
  if (last.value === null)
    return `${type}: ${at} has no value${last.special_cause === 'none' ? '' : ' shown'}`
  if (last.special_cause === 'none') return `${type}: ${at} shows no special cause`
  const cause = last.special_cause
  // The engine's block of points that makes the latest point's signal (it ends at the latest).
  const block =
    last.signal && last.signal.to === points.length - 1 ? last.signal.to - last.signal.from + 1 : null
  const shiftRun = (side: 'above' | 'below') => {
    const n =
      cause.startsWith('shift') && block !== null
        ? block
        : streakAtEnd(
            points,
            (p) => p.centre !== null && (side === 'above' ? p.value! > p.centre : p.value! < p.centre),
          )
    return `part of a run of ${plural(n, 'point')} ${side} the mean since ${since(n)}`
  }
  const trendRun = (dir: 1 | -1) => {
    const n = cause.startsWith('trend') && block !== null ? block : trendAtEnd(points, dir)
    return `part of ${dir > 0 ? 'an increasing' : 'a decreasing'} trend of ${plural(n, 'point')} since ${since(n)}`
  }
  let what: string
  if (cause === 'above_ucl' || cause === 'below_lcl') {
    const above = cause === 'above_ucl'
    const limit = above ? 'above the upper process limit' : 'below the lower process limit'
    const n = streakAtEnd(points, (p) =>
      above ? p.ucl !== null && p.value! > p.ucl : p.lcl !== null && p.value! < p.lcl,
    )
    what = n > 1 ? `the latest ${plural(n, 'point')} (since ${since(n)}) are ${limit}` : `${at} is ${limit}`
  } else if (cause === 'shift_above' || cause === 'shift_below') {
    what = `${at} is ${shiftRun(cause === 'shift_above' ? 'above' : 'below')}`
  } else if (cause === 'trend_increasing' || cause === 'trend_decreasing') {
    what = `${at} is ${trendRun(cause === 'trend_increasing' ? 1 : -1)}`
  } else {
    const above = cause === 'two_in_three_above'
    const near = points
      .slice(-3)
      .filter(
        (p) =>
          p.value !== null &&
          (above
            ? p.ucl_2sigma !== null && p.value > p.ucl_2sigma && (p.ucl === null || p.value <= p.ucl)
            : p.lcl_2sigma !== null && p.value < p.lcl_2sigma && (p.lcl === null || p.value >= p.lcl)),
      ).length
    what = `${at} is close to the ${above ? 'upper' : 'lower'} process limit: ${near} of the last 3 points are beyond the 2-sigma line, all ${above ? 'above' : 'below'} the mean`
  }
  const also: string[] = []
  if (last.rules.shift && !cause.startsWith('shift'))
    also.push(shiftRun(last.centre !== null && last.value > last.centre ? 'above' : 'below'))
  if (last.rules.trend && !cause.startsWith('trend'))
    also.push(
      trendRun(points.length > 1 && last.value > (points[points.length - 2].value ?? last.value) ? 1 : -1),
    )
  return `${type}: ${what}${also.length ? `; it is also ${also.join(' and ')}` : ''}`
}

function describeMdc(result: MdcResult, options: DescribeOptions): string {
  const style = xStyleOf(result.points.map((p) => p.x))
  const sentences: string[] = [describeLatestMdc(result, style)]
  const of = targetWords(result.target ?? options.target ?? null, result.target_trajectory)
  if (result.assurance === 'consistent_pass') sentences.push(`the target${of} is consistently met`)
  else if (result.assurance === 'consistent_fail') sentences.push(`the target${of} is consistently not met`)
  else if (result.assurance === 'inconsistent')
    sentences.push(`the target${of} will be met inconsistently, as it lies within the process limits`)
  const period = result.periods[result.periods.length - 1]
  const limits =
    period.lcl !== null && period.ucl !== null
      ? `process limits ${formatNumber(period.lcl)} to ${formatNumber(period.ucl)}`
      : 'no process limits (too few points to calculate them)'
  const scope =
    result.periods.length > 1
      ? `In the latest of ${plural(result.periods.length, 'period')} (since the rebase at ${formatXLong(period.first_x, style)}, ${plural(period.n_points, 'point')})`
      : `Over ${plural(period.n_points, 'point')}`
  const special = period.n_points - period.common_cause
  const neutral = special - period.special_cause_improvement - period.special_cause_concern
  const kinds = [
    period.special_cause_improvement ? `${period.special_cause_improvement} improvement` : '',
    period.special_cause_concern ? `${period.special_cause_concern} concern` : '',
    neutral ? `${neutral} neutral` : '',
  ].filter(Boolean)
  const counts = `${plural(special, 'point')} with special cause${kinds.length ? ` (${kinds.join(', ')})` : ''}`
  const text = `${sentences.join('; ')}. ${scope} the mean is ${formatNumber(period.centre)}, with ${limits}; ${counts}.${ruleSetSentence(result)}`
  return options.title ? `${options.title}. ${text}` : text
}

function describeAnhoej(result: AnhoejResult, options: DescribeOptions): string {
  const style = xStyleOf(result.points.map((p) => p.x))
  const period = result.periods[result.periods.length - 1]
  const inPeriod = (k: number) => result.points[k].period === period.period
  const parts: string[] = []
  const centreName = result.chart === 'run' || result.chart === 'g' ? 'median' : 'centre line'
  const scope =
    result.periods.length > 1
      ? `In the latest of ${plural(result.periods.length, 'period')} (since the rebase at ${formatXLong(period.first_x, style)}, ${plural(period.n_points, 'point')})`
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
      const longest = runsOf(result)
        .filter((r) => r.period === period.period)
        .reduce((a, b) => (b.points.length > a.points.length ? b : a))
      why.push(
        `a run of ${longest.points.length} points ${longest.side > 0 ? 'above' : 'below'} the ${centreName} (more than ${runs.longest_run_max}) from ${formatXLong(result.points[longest.points[0]].x, style)} to ${formatXLong(result.points[longest.points[longest.points.length - 1]].x, style)}`,
      )
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
    const above = outside.filter((p) => p.value !== null && p.ucl !== null && p.value > p.ucl).length
    parts.push(
      outside.length === 0
        ? 'no point is outside the control limits'
        : `${plural(outside.length, 'point')} outside the control limits (${above} above, ${outside.length - above} below; the latest ${outside
            .slice(-3)
            .map((p) => formatX(p.x, style))
            .join(', ')})`,
    )
  }
  const signals = options.signals ?? chartSignals(result, options.direction, options.target ?? null)
  const counted = { improvement: 0, concern: 0, neutral: 0 }
  signals.classes.forEach((c, k) => {
    if (inPeriod(k) && (c === 'improvement' || c === 'concern' || c === 'neutral')) counted[c]++
  })
  const special = counted.improvement + counted.concern + counted.neutral
  if (special)
    parts.push(
      `${plural(special, 'point')} with special cause (${[
        counted.improvement ? `${counted.improvement} improvement` : '',
        counted.concern ? `${counted.concern} concern` : '',
        counted.neutral ? `${counted.neutral} neutral` : '',
      ]
        .filter(Boolean)
        .join(', ')})`,
    )
  const of = targetWords(options.target ?? result.target, result.target_trajectory)
  if (signals.assurance === 'consistent_pass') parts.push(`the target${of} is consistently met`)
  else if (signals.assurance === 'consistent_fail') parts.push(`the target${of} is consistently not met`)
  else if (signals.assurance === 'inconsistent')
    parts.push(`the target${of} will be met inconsistently, as it lies within the control limits`)
  const text = `${parts.join('; ')}.${ruleSetSentence(result)}`
  return options.title ? `${options.title}. ${text}` : text
}

/**
 * A plain-English description of what a chart shows, every claim read from the engine's result:
 * the latest point's signal and the run it is part of (counted in its period), the assurance,
 * the latest period's mean and limits with its special-cause counts (mdc); or the runs analysis,
 * the 3-sigma signals and special causes of the latest period (anhoej).
 * @example describeSpcResult(result, {})
 * // 'Special cause improvement: the latest point (Oct 2024) is part of a run of 8 points above the mean since March 2024; …'
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
export function spcTableRows(result: SpcSuccess, signals?: ChartSignals): SpcTableRow[] {
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
            : `${TYPE_WORDS[p.point_type]}: ${causeWords(p.special_cause, result.rule_set)}`,
    }))
  }
  const classes = (signals ?? chartSignals(result)).classes
  const centreName = result.chart === 'run' || result.chart === 'g' ? 'median' : 'centre line'
  const runMax = new Map(result.periods.map((p) => [p.period, p.runs.longest_run_max]))
  const runOf = new Map<number, number>()
  for (const run of runsOf(result)) for (const k of run.points) runOf.set(k, run.points.length)
  return result.points.map((p, k) => {
    const words: string[] = []
    if (p.value === null) words.push('Missing value')
    const max = runMax.get(p.period) ?? null
    const long = max !== null && (runOf.get(k) ?? 0) > max
    const high = p.value !== null && p.centre !== null && p.value > p.centre
    const why: string[] = []
    if (p.sigma_signal)
      why.push(
        p.value !== null && p.ucl !== null && p.value > p.ucl
          ? 'above the upper control limit'
          : 'below the lower control limit',
      )
    if (long && !p.excluded)
      why.push(
        `part of a run of ${runOf.get(k)} points ${high ? 'above' : 'below'} the ${centreName} (more than ${max})`,
      )
    const cls = classes[k]
    if (why.length) {
      const type =
        cls === 'improvement'
          ? 'Special cause improvement'
          : cls === 'concern'
            ? 'Special cause concern'
            : 'Special cause variation (neutral)'
      words.push(`${type}: ${why.join(' and ')}`)
    }
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

/** " of 15", or for a target per point " trajectory (latest target 15)", or nothing. */
function targetWords(target: number | null, trajectory: readonly (number | null)[] | null): string {
  const latest = latestTarget(trajectory)
  if (latest) return ` trajectory (latest target ${formatNumber(latest.value)})`
  return target === null ? '' : ` of ${formatNumber(target)}`
}
