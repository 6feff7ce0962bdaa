/**
 * Request and result shapes of the SPC engine (shared/spc/SPEC.md, sections 1.1 to 1.3).
 * Field names are snake_case because they are the JSON contract of `qi spc`.
 */

/** Rule set: NHS England's Making Data Count (`mdc`) or qicharts2's Anhøj rules (`anhoej`). */
export type SpcMethod = 'mdc' | 'anhoej'

/** Chart codes (SPEC 1.1). `mdc` allows only `i`. */
export type ChartType = 'run' | 'i' | 'mr' | 'xbar' | 's' | 't' | 'p' | 'pp' | 'c' | 'u' | 'up' | 'g'

export const CHART_TYPES: readonly ChartType[] = [
  'run',
  'i',
  'mr',
  'xbar',
  's',
  't',
  'p',
  'pp',
  'c',
  'u',
  'up',
  'g',
]

/**
 * Median-based individuals charts of method `mdc` (docs/spc.md): `i_m` centres on the mean and
 * `i_mm` on the median; both take their limits from the median moving range (± 3.145 × MMR).
 */
export type MedianChartType = 'i_m' | 'i_mm'

/** Chart codes method `mdc` accepts: the XmR individuals chart and its two median-based variants. */
export type MdcChartType = 'i' | MedianChartType

export const MDC_CHART_TYPES: readonly MdcChartType[] = ['i', 'i_m', 'i_mm']

export type ImprovementDirection = 'increase' | 'decrease' | 'neutral'

/** A point's x: a number, or a `YYYY-MM-DD` date string, echoed back unchanged. */
export type XValue = number | string

/** One point of a request, as sent (SPEC 1.1). */
export interface SpcRequestPoint {
  x: XValue
  y?: number | null
  n?: number | null
  values?: (number | null)[] | null
}

/** A label the chart command draws on the time axis (not used by the analysis). */
export interface SpcAnnotation {
  x: XValue
  label: string
}

/** A single request (SPEC 1.1, plus the options of docs/spc.md). */
export interface SpcRequest {
  method: SpcMethod
  chart: ChartType | MedianChartType
  points: SpcRequestPoint[]
  improvement_direction?: ImprovementDirection
  /** A constant target, or a trajectory: one target (or null) per point. */
  target?: number | null | readonly (number | null)[]
  /** `mdc` only: points in a row on one side of the centre for a shift (2–20, default 7). */
  shift_n?: number
  /** `mdc` only: points in a row each above (or below) the one before for a trend (2–20, default 7). */
  trend_n?: number
  /** Drawn by `qi chart`; checked, not analysed. */
  annotations?: readonly SpcAnnotation[]
  rebase?: XValue[]
  baseline?: number | null
  exclude?: XValue[]
  screen_mr?: boolean
  multiply?: number
}

/** A batch request: `{"batch": [request, ...]}` (SPEC 1.3). */
export interface SpcBatchRequest {
  batch: unknown[]
}

/** The four Making Data Count rules a point can be part of (SPEC 2.2). */
export interface MdcRules {
  readonly outside_limits: boolean
  readonly trend: boolean
  readonly two_in_three: boolean
  readonly shift: boolean
}

/**
 * The rules a result was judged by, echoed so a page can say which it used
 * (`describeRuleSet`: "Making Data Count rules: shift 7, trend 7").
 */
export type RuleSet = MdcRuleSet | AnhoejRuleSet

export interface MdcRuleSet {
  readonly name: 'mdc'
  readonly shift_n: number
  readonly trend_n: number
}

/** qicharts2's rules: 3-sigma limits and the Anhøj runs analysis, whose limits grow with n. */
export interface AnhoejRuleSet {
  readonly name: 'anhoej'
}

/**
 * Why a point is flagged: the rule (its `special_cause`, or for `anhoej` which limit it is beyond)
 * and the block of points that makes the signal, `from` to `to` (0-based indices into `points`,
 * inclusive). The block is always contiguous, because a missing value breaks every rule; it is
 * given as its ends so that a shift of a million points costs two numbers per point, not a million.
 * `signalPoints` lists the indices.
 */
export interface PointSignal {
  readonly rule: Exclude<SpecialCause, 'none'>
  readonly from: number
  readonly to: number
}

/** Which Anhøj runs rule(s) fired in a period. */
export type RunsSignalRule = 'longest_run' | 'too_few_crossings' | 'longest_run_and_too_few_crossings'

/**
 * A period's runs signal (`anhoej`): the rule and the points of the longest run (0-based indices
 * into `points`; points on the centre line or missing are skipped by the runs analysis, so the
 * list need not be contiguous). With ties, the first longest run.
 */
export interface RunsSignal {
  readonly rule: RunsSignalRule
  readonly points: readonly number[]
}

export type SpecialCause =
  | 'above_ucl'
  | 'below_lcl'
  | 'trend_increasing'
  | 'trend_decreasing'
  | 'two_in_three_above'
  | 'two_in_three_below'
  | 'shift_above'
  | 'shift_below'
  | 'none'

export type PointType =
  | 'common_cause'
  | 'special_cause_improvement'
  | 'special_cause_concern'
  | 'special_cause_neutral_high'
  | 'special_cause_neutral_low'

export type VariationIcon =
  | 'common_cause'
  | 'improvement_high'
  | 'improvement_low'
  | 'concern_high'
  | 'concern_low'
  | 'neutral_high'
  | 'neutral_low'

export type Assurance = 'consistent_pass' | 'consistent_fail' | 'inconsistent'
export type AssuranceIcon = 'pass' | 'fail' | 'inconsistent'

/** Fields every result point has. Undefined numbers are `null`, never NaN. */
export interface SpcPointBase {
  x: XValue
  value: number | null
  centre: number | null
  lcl: number | null
  ucl: number | null
  lcl_2sigma: number | null
  ucl_2sigma: number | null
  period: number
  baseline: boolean
}

export interface MdcPoint extends SpcPointBase {
  rules: MdcRules
  special_cause: SpecialCause
  point_type: PointType
  /** Why the point is flagged (its `special_cause` and the points that make it); null when `none`. */
  signal: PointSignal | null
}

export interface AnhoejPoint extends SpcPointBase {
  excluded: boolean
  sigma_signal: boolean
  /** `above_ucl` / `below_lcl` for a point with `sigma_signal` (from = to = its index); else null. */
  signal: PointSignal | null
}

export interface SpcPeriodBase {
  period: number
  first_x: XValue
  last_x: XValue
  n_points: number
  centre: number | null
}

export interface MdcPeriod extends SpcPeriodBase {
  lcl: number | null
  ucl: number | null
  short_period_warning: boolean
  common_cause: number
  special_cause_improvement: number
  special_cause_concern: number
  variation: PointType
}

/** Anhøj runs analysis of one period (SPEC 3.4). */
export interface RunsAnalysis {
  n_obs: number
  n_useful: number
  longest_run: number | null
  longest_run_max: number | null
  n_crossings: number | null
  n_crossings_min: number | null
  runs_signal: boolean
}

export interface AnhoejPeriod extends SpcPeriodBase {
  sigma_signal_count: number
  runs: RunsAnalysis
  /** The runs signal with the points of the longest run; null when `runs.runs_signal` is false. */
  signal: RunsSignal | null
}

export interface MdcResult {
  ok: true
  method: 'mdc'
  chart: MdcChartType
  points: MdcPoint[]
  periods: MdcPeriod[]
  variation: PointType
  variation_icon: VariationIcon
  assurance: Assurance | null
  assurance_icon: AssuranceIcon | null
  /** Echo of the request (extra field, used by the chart renderer). */
  improvement_direction: ImprovementDirection
  /** Echo of a constant target (extra field, used by the chart renderer); null with a trajectory. */
  target: number | null
  /** Echo of a target trajectory, one target (or null) per point; null for a constant target. */
  target_trajectory: (number | null)[] | null
  /** The rules the points were judged by. */
  rule_set: MdcRuleSet
}

export interface AnhoejResult {
  ok: true
  method: 'anhoej'
  chart: ChartType
  points: AnhoejPoint[]
  periods: AnhoejPeriod[]
  /** Echo of the request (extra field, used by the chart renderer; ignored by the method). */
  target: number | null
  /** Echo of a target trajectory (ignored by the method); null for a constant target. */
  target_trajectory: (number | null)[] | null
  /** The rules the points were judged by. */
  rule_set: AnhoejRuleSet
}

export interface SpcErrorResult {
  ok: false
  error: string
}

export type SpcSuccess = MdcResult | AnhoejResult
export type SpcResult = SpcSuccess | SpcErrorResult

export interface SpcBatchResult {
  batch: SpcResult[]
}
