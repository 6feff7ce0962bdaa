import type {
  Assurance,
  AssuranceIcon,
  MdcPeriod,
  MdcPoint,
  MdcResult,
  MdcRules,
  MdcRuleSet,
  PointSignal,
  PointType,
  SpecialCause,
  VariationIcon,
} from './types.js'
import type { ParsedRequest } from './validate.js'
import { mean } from './mean.js'
import { median } from './median.js'
import { averageMovingRange, movingRanges } from './moving-range.js'
import { assuranceIcon, assuranceOf, assuranceOfTrajectory, variationIconOf } from './icons.js'
import { orNull, trajectoryEcho } from './numbers.js'
import { signalSpans } from './signals.js'

/** Making Data Count's process-limit factor: limits = mean ± 2.66 × AMR (not 3/1.128). */
export const MDC_LIMIT = 2.66
/** Inner (2-sigma) lines: mean ± (2 × 2.66 / 3) × AMR, as NHSRplotthedots computes it. */
export const MDC_LIMIT_CLOSE = 2 * (MDC_LIMIT / 3)
/**
 * Limits from the median moving range (charts `i_m`, `i_mm`): centre ± 3.145 × MMR, where
 * 3.145 ≈ 3 / 0.954 and 0.954 is the ratio of the median moving range to σ for normal data
 * (Provost & Murray's 3.14; JMP estimates σ as MMR / 0.954). Inner lines ± (2 × 3.145 / 3) × MMR.
 */
export const MEDIAN_MR_LIMIT = 3.145
export const MEDIAN_MR_LIMIT_CLOSE = 2 * (MEDIAN_MR_LIMIT / 3)
/** Points in a row for a trend or a shift, unless the request's rule set says otherwise. */
const RUN = 7
/** A period shorter than this gets `short_period_warning` (SPEC 2.5). */
const SHORT_PERIOD = 13

const OUTSIDE = 1
const TREND = 2
const TWO_IN_THREE = 4
const SHIFT = 8

/** All 16 combinations of rules, shared by every point (a million points need no million objects). */
const RULES: readonly MdcRules[] = Array.from({ length: 16 }, (_, bits) =>
  Object.freeze({
    outside_limits: (bits & OUTSIDE) !== 0,
    trend: (bits & TREND) !== 0,
    two_in_three: (bits & TWO_IN_THREE) !== 0,
    shift: (bits & SHIFT) !== 0,
  }),
)

const CAUSES: readonly SpecialCause[] = [
  'none',
  'above_ucl',
  'below_lcl',
  'trend_increasing',
  'trend_decreasing',
  'two_in_three_above',
  'two_in_three_below',
  'shift_above',
  'shift_below',
]
/** +1 for the "high" causes, −1 for the "low" ones (SPEC 2.3), by index in CAUSES. */
const CAUSE_DIRECTION = [0, 1, -1, 1, -1, 1, -1, 1, -1]

/**
 * XmR process limits of Making Data Count (SPEC 2.1): centre = mean of the baseline values,
 * AMR = mean moving range (screened at 3.267 × AMR when asked), limits = centre ± 2.66 × AMR,
 * inner lines = centre ± 1.7733 × AMR. Missing values are NaN; lines are NaN when AMR is undefined.
 * @example mdcLimits([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1], true)
 * // { centre: 1.9444, amr: 1, lcl: -0.7156, ucl: 4.6044, lcl2: 0.1711, ucl2: 3.7178 }
 */
export function mdcLimits(
  baselineValues: ArrayLike<number>,
  screen: boolean,
): { centre: number; amr: number; lcl: number; ucl: number; lcl2: number; ucl2: number } {
  const centre = mean(baselineValues)
  const amr = averageMovingRange(movingRanges(baselineValues), screen)
  return { centre, amr, ...linesAround(centre, MDC_LIMIT * amr, MDC_LIMIT_CLOSE * amr) }
}

/** Process limits and inner lines at the given distances either side of the centre. */
function linesAround(
  centre: number,
  outer: number,
  inner: number,
): { lcl: number; ucl: number; lcl2: number; ucl2: number } {
  return { lcl: centre - outer, ucl: centre + outer, lcl2: centre - inner, ucl2: centre + inner }
}

/**
 * Limits of the median-based individuals charts (docs/spc.md): MMR = median of the moving ranges
 * of consecutive baseline values (a gap gives none); centre = mean (`i_m`) or median (`i_mm`) of
 * the baseline values; limits = centre ± 3.145 × MMR, inner lines centre ± 2.0967 × MMR. No
 * screening: the median is not moved by the few large moving ranges screening would remove.
 * Lines are NaN when there is no moving range.
 * @example medianMrLimits([1, 2, 1, 2, 10, 1, 2], 'mean')
 * // moving ranges 1, 1, 1, 8, 9, 1 → MMR 1; centre 19/7 = 2.7143; ucl 5.8593, lcl -0.4307
 */
export function medianMrLimits(
  baselineValues: ArrayLike<number>,
  centreOn: 'mean' | 'median',
): { centre: number; mmr: number; lcl: number; ucl: number; lcl2: number; ucl2: number } {
  const centre = centreOn === 'mean' ? mean(baselineValues) : median(baselineValues)
  const mmr = median(movingRanges(baselineValues))
  return { centre, mmr, ...linesAround(centre, MEDIAN_MR_LIMIT * mmr, MEDIAN_MR_LIMIT_CLOSE * mmr) }
}

/**
 * Marks, within one period's values, every point of a run of at least `run` (default 7)
 * consecutive points each strictly above the one before (or each strictly below). Missing values
 * (NaN) break a trend.
 * @example trendMarks([1, 2, 3, 4, 5, 6, 7, 1]) // Uint8Array [1, 1, 1, 1, 1, 1, 1, 0]
 * @example trendMarks([1, 2, 3, 1], 3) // Uint8Array [1, 1, 1, 0]
 */
export function trendMarks(values: ArrayLike<number>, run = RUN): Uint8Array {
  const n = values.length
  const marks = new Uint8Array(n)
  let up = 0
  let down = 0
  for (let k = 1; k < n; k++) {
    const a = values[k - 1]
    const b = values[k]
    up = b > a ? up + 1 : 0
    down = b < a ? down + 1 : 0
    if (up >= run - 1 || down >= run - 1) for (let j = k - run + 1; j <= k; j++) marks[j] = 1
  }
  return marks
}

/**
 * Marks every point of a run of at least `run` (default 7) consecutive points on the same side of
 * the centre (`sides`: +1 above, −1 below, 0 on the line or missing, which breaks the run).
 * @example shiftMarks([1, 1, 1, 1, 1, 1, 1, -1]) // Uint8Array [1, 1, 1, 1, 1, 1, 1, 0]
 * @example shiftMarks([1, 1, -1, -1, -1], 3) // Uint8Array [0, 0, 1, 1, 1]
 */
export function shiftMarks(sides: ArrayLike<number>, run = RUN): Uint8Array {
  const n = sides.length
  const marks = new Uint8Array(n)
  let length = 0
  for (let k = 0; k < n; k++) {
    const s = sides[k]
    length = s === 0 ? 0 : k > 0 && s === sides[k - 1] ? length + 1 : 1
    if (length >= run) for (let j = k - run + 1; j <= k; j++) marks[j] = 1
  }
  return marks
}

/**
 * Two-in-three rule: a point in the 2–3 sigma band (`near` = 1) is marked when some window of 3
 * consecutive points containing it has at least 2 near points and all 3 on the same side.
 * @example twoInThreeMarks([0, 1, 0, 1], [1, 1, 1, 1]) // Uint8Array [0, 1, 0, 1]
 */
export function twoInThreeMarks(near: ArrayLike<number>, sides: ArrayLike<number>): Uint8Array {
  const n = near.length
  const marks = new Uint8Array(n)
  for (let w = 0; w + 2 < n; w++) {
    const s = sides[w]
    if (s === 0 || sides[w + 1] !== s || sides[w + 2] !== s) continue
    if (near[w] + near[w + 1] + near[w + 2] < 2) continue
    for (let j = w; j < w + 3; j++) if (near[j]) marks[j] = 1
  }
  return marks
}

/** The lines of one period that the rules compare values with. */
interface RuleLines {
  centre: number
  lcl: number
  ucl: number
  lcl2: number
  ucl2: number
}

/**
 * The four rules of one period in one pass: writes each point's rule bits (1 outside the limits,
 * 2 trend, 4 two-in-three, 8 shift) into `bits` (zeroed), its side of the centre into `sides`
 * and 1 into `near` when it is in the 2–3 sigma band (zeroed). The same marks as `trendMarks`,
 * `shiftMarks` and `twoInThreeMarks` (which say what each rule is, one at a time; a property test
 * keeps them in step), without an array and a pass per rule: the command's time for a million
 * points is mostly passes over memory.
 * @example
 * const bits = new Uint8Array(8)
 * markRules([1, 2, 3, 4, 5, 6, 7, 1], { centre: 4, lcl: -9, ucl: 9, lcl2: -5, ucl2: 5 }, 7, 7, bits, new Int8Array(8), new Uint8Array(8))
 * // bits: [2, 2, 2, 2, 2, 2, 2, 0]
 */
export function markRules(
  values: ArrayLike<number>,
  lines: RuleLines,
  trendN: number,
  shiftN: number,
  bits: Uint8Array,
  sides: Int8Array,
  near: Uint8Array,
): void {
  const { centre, lcl, ucl, lcl2, ucl2 } = lines
  const n = values.length
  let up = 0
  let down = 0
  let run = 0
  let previous = NaN
  for (let k = 0; k < n; k++) {
    const v = values[k]
    let side = 0
    if (v === v) {
      side = v > centre ? 1 : v < centre ? -1 : 0
      if (v > ucl || v < lcl) bits[k] = OUTSIDE
      else if (v > ucl2 || v < lcl2) near[k] = 1
    }
    sides[k] = side
    if (k > 0) {
      up = v > previous ? up + 1 : 0
      down = v < previous ? down + 1 : 0
      if (up >= trendN - 1 || down >= trendN - 1) for (let j = k - trendN + 1; j <= k; j++) bits[j] |= TREND
      run = side === 0 ? 0 : side === sides[k - 1] ? run + 1 : 1
    } else run = side === 0 ? 0 : 1
    if (run >= shiftN) for (let j = k - shiftN + 1; j <= k; j++) bits[j] |= SHIFT
    // the window of three that ends here
    if (k >= 2 && side !== 0 && sides[k - 1] === side && sides[k - 2] === side) {
      if (near[k - 2] + near[k - 1] + near[k] >= 2)
        for (let j = k - 2; j <= k; j++) if (near[j]) bits[j] |= TWO_IN_THREE
    }
    previous = v
  }
}

/** Point type of a special cause given the improvement direction (SPEC 2.3). */
export function pointTypeOf(
  cause: SpecialCause,
  direction: ParsedRequest['improvementDirection'],
): PointType {
  const d = CAUSE_DIRECTION[CAUSES.indexOf(cause)]
  return pointTypeFromSign(d, direction)
}

function pointTypeFromSign(d: number, direction: ParsedRequest['improvementDirection']): PointType {
  if (d === 0) return 'common_cause'
  if (direction === 'neutral') return d > 0 ? 'special_cause_neutral_high' : 'special_cause_neutral_low'
  const better = direction === 'increase' ? d > 0 : d < 0
  return better ? 'special_cause_improvement' : 'special_cause_concern'
}

/** One period of an `mdc` computation: its rows, lines (NaN = undefined) and counts. */
export interface MdcPeriodLines {
  start: number
  end: number
  baselineEnd: number
  centre: number
  lcl: number
  ucl: number
  lcl2: number
  ucl2: number
  special: number
  improvement: number
  concern: number
}

/** Columnar outcome of method `mdc`, before it becomes point objects or JSON text. */
export interface MdcComputation {
  method: 'mdc'
  req: ParsedRequest
  periods: MdcPeriodLines[]
  /** Index into CAUSES per point. */
  cause: Uint8Array
  /** Rule bits per point (1 outside, 2 trend, 4 two-in-three, 8 shift). */
  ruleBits: Uint8Array
  /** First and last index of the points that make each point's signal; −1 when it has none. */
  signalFrom: Int32Array
  signalTo: Int32Array
  ruleSet: MdcRuleSet
  /** Point type by cause index, for this improvement direction. */
  types: readonly PointType[]
  variation: PointType
  variationIcon: VariationIcon
  assurance: Assurance | null
  assuranceIcon: AssuranceIcon | null
}

/** Names of the special causes, by the index stored in `MdcComputation.cause`. */
export const SPECIAL_CAUSES = CAUSES
/** Rules objects, by the bits stored in `MdcComputation.ruleBits`. */
export const RULES_BY_BITS = RULES

/** Point types by cause, and which causes are improvements or concerns, for one improvement direction. */
interface DirectionTypes {
  types: readonly PointType[]
  improves: Uint8Array
  worsens: Uint8Array
}

function directionTypes(direction: ParsedRequest['improvementDirection']): DirectionTypes {
  const types = Object.freeze(CAUSE_DIRECTION.map((d) => pointTypeFromSign(d, direction)))
  const improves = new Uint8Array(types.length)
  const worsens = new Uint8Array(types.length)
  for (let c = 0; c < types.length; c++) {
    improves[c] = types[c] === 'special_cause_improvement' ? 1 : 0
    worsens[c] = types[c] === 'special_cause_concern' ? 1 : 0
  }
  return { types, improves, worsens }
}

/** The three directions' tables, made once (read only). */
const TYPES_BY_DIRECTION: Record<ParsedRequest['improvementDirection'], DirectionTypes> = {
  increase: directionTypes('increase'),
  decrease: directionTypes('decrease'),
  neutral: directionTypes('neutral'),
}

/**
 * Working columns of one period (side of the centre, 2–3 sigma band), reused from request to
 * request: computeMdc is synchronous and nothing keeps them after it returns.
 */
let scratchSides = new Int8Array(0)
let scratchNear = new Uint8Array(0)

/** Points in the longest period. */
function periodLongest(periodStarts: readonly number[], size: number): number {
  let longest = 0
  for (let p = 0; p < periodStarts.length; p++) {
    const end = p + 1 < periodStarts.length ? periodStarts[p + 1] : size
    longest = Math.max(longest, end - periodStarts[p])
  }
  return longest
}

/**
 * Method `mdc`: NHSRplotthedots' XmR chart with Making Data Count rules, per period (SPEC 2),
 * computed into columns (typed arrays) in a few linear passes.
 */
export function computeMdc(req: ParsedRequest): MdcComputation {
  const { size, y, periodStarts, baseline, screenMr, improvementDirection, shiftN, trendN } = req
  // one allocation for each pair of columns (a batch computes thousands of small requests)
  const codes = new Uint8Array(2 * size)
  const cause = codes.subarray(0, size)
  const ruleBits = codes.subarray(size)
  const spans = new Int32Array(2 * size).fill(-1)
  const signalFrom = spans.subarray(0, size)
  const signalTo = spans.subarray(size)
  const periods: MdcPeriodLines[] = []
  const { types, improves, worsens } = TYPES_BY_DIRECTION[improvementDirection]
  const longest = periodLongest(periodStarts, size)
  if (scratchSides.length < longest) {
    scratchSides = new Int8Array(longest)
    scratchNear = new Uint8Array(longest)
  }

  for (let p = 0; p < periodStarts.length; p++) {
    const s = periodStarts[p]
    const e = p + 1 < periodStarts.length ? periodStarts[p + 1] : size
    const len = e - s
    const bEnd = baseline === null ? e : Math.min(e, s + baseline)
    const values = y.subarray(s, e)
    const baselineValues = y.subarray(s, bEnd)
    const { centre, lcl, ucl, lcl2, ucl2 } =
      req.chart === 'i'
        ? mdcLimits(baselineValues, screenMr)
        : medianMrLimits(baselineValues, req.chart === 'i_m' ? 'mean' : 'median')

    const sides = scratchSides.subarray(0, len)
    const near = scratchNear.subarray(0, len)
    near.fill(0)
    const bits = ruleBits.subarray(s, e)
    markRules(values, { centre, lcl, ucl, lcl2, ucl2 }, trendN, shiftN, bits, sides, near)

    let special = 0
    let improvement = 0
    let concern = 0
    for (let k = 0; k < len; k++) {
      const b = bits[k]
      if (b === 0) continue
      let c: number
      if (b & OUTSIDE) c = sides[k] === 1 ? 1 : 2
      else if (b & TREND) {
        // reference quirk: the direction comes from the next step when the next point is in a trend too
        const d =
          k + 1 < len && bits[k + 1] & TREND
            ? values[k + 1] - values[k]
            : k > 0
              ? values[k] - values[k - 1]
              : 0
        c = d > 0 ? 3 : 4
      } else if (b & TWO_IN_THREE) c = sides[k] === 1 ? 5 : 6
      else c = sides[k] === 1 ? 7 : 8
      cause[s + k] = c
      special++
      improvement += improves[c]
      concern += worsens[c]
    }
    signalSpans({ values, sides, near, cause: cause.subarray(s, e), trendN, offset: s }, signalFrom, signalTo)
    periods.push({
      start: s,
      end: e,
      baselineEnd: bEnd,
      centre,
      lcl,
      ucl,
      lcl2,
      ucl2,
      special,
      improvement,
      concern,
    })
  }

  const last = periods[periods.length - 1]
  const variation = types[cause[size - 1]]
  const assurance = req.trajectory
    ? assuranceOfTrajectory(req.trajectory.subarray(last.start), improvementDirection, last.lcl, last.ucl)
    : assuranceOf(req.target, improvementDirection, last.lcl, last.ucl)
  return {
    method: 'mdc',
    req,
    periods,
    cause,
    ruleBits,
    signalFrom,
    signalTo,
    ruleSet: Object.freeze({ name: 'mdc', shift_n: shiftN, trend_n: trendN }),
    types,
    variation,
    variationIcon: variationIconOf(variation, improvementDirection),
    assurance,
    assuranceIcon: assurance === null ? null : assuranceIcon(assurance),
  }
}

/** Period summaries of the result (SPEC 1.2). */
export function mdcPeriods(comp: MdcComputation): MdcPeriod[] {
  const { xs } = comp.req
  return comp.periods.map((p, i) => ({
    period: i + 1,
    first_x: xs[p.start],
    last_x: xs[p.end - 1],
    n_points: p.end - p.start,
    centre: orNull(p.centre),
    lcl: orNull(p.lcl),
    ucl: orNull(p.ucl),
    short_period_warning: p.end - p.start < SHORT_PERIOD,
    common_cause: p.end - p.start - p.special,
    special_cause_improvement: p.improvement,
    special_cause_concern: p.concern,
    variation: comp.types[comp.cause[p.end - 1]],
  }))
}

/** The result object of method `mdc` (SPEC 1.2), one plain object per point. */
export function mdcResult(comp: MdcComputation): MdcResult {
  const { xs, y, size } = comp.req
  const points: MdcPoint[] = new Array<MdcPoint>(size)
  for (let p = 0; p < comp.periods.length; p++) {
    const { start, end, baselineEnd } = comp.periods[p]
    const centre = orNull(comp.periods[p].centre)
    const lcl = orNull(comp.periods[p].lcl)
    const ucl = orNull(comp.periods[p].ucl)
    const lcl2 = orNull(comp.periods[p].lcl2)
    const ucl2 = orNull(comp.periods[p].ucl2)
    for (let i = start; i < end; i++) {
      const v = y[i]
      const c = comp.cause[i]
      points[i] = {
        x: xs[i],
        value: v === v ? v : null,
        centre,
        lcl,
        ucl,
        lcl_2sigma: lcl2,
        ucl_2sigma: ucl2,
        period: p + 1,
        baseline: i < baselineEnd,
        rules: RULES[comp.ruleBits[i]],
        special_cause: CAUSES[c],
        point_type: comp.types[c],
        signal:
          c === 0 ? null : signalOf(CAUSES[c] as PointSignal['rule'], comp.signalFrom[i], comp.signalTo[i]),
      }
    }
  }
  return {
    ok: true,
    method: 'mdc',
    chart: comp.req.chart as MdcResult['chart'],
    points,
    periods: mdcPeriods(comp),
    variation: comp.variation,
    variation_icon: comp.variationIcon,
    assurance: comp.assurance,
    assurance_icon: comp.assuranceIcon,
    improvement_direction: comp.req.improvementDirection,
    target: comp.req.target,
    target_trajectory: trajectoryEcho(comp.req.trajectory),
    rule_set: comp.ruleSet,
  }
}

function signalOf(rule: PointSignal['rule'], from: number, to: number): PointSignal {
  return { rule, from, to }
}
