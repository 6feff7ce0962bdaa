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

/** A single request (SPEC 1.1). */
export interface SpcRequest {
  method: SpcMethod
  chart: ChartType
  points: SpcRequestPoint[]
  improvement_direction?: ImprovementDirection
  target?: number | null
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
}

export interface AnhoejPoint extends SpcPointBase {
  excluded: boolean
  sigma_signal: boolean
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
}

export interface MdcResult {
  ok: true
  method: 'mdc'
  chart: 'i'
  points: MdcPoint[]
  periods: MdcPeriod[]
  variation: PointType
  variation_icon: VariationIcon
  assurance: Assurance | null
  assurance_icon: AssuranceIcon | null
  /** Echo of the request (extra field, used by the chart renderer). */
  improvement_direction: ImprovementDirection
  /** Echo of the request (extra field, used by the chart renderer). */
  target: number | null
}

export interface AnhoejResult {
  ok: true
  method: 'anhoej'
  chart: ChartType
  points: AnhoejPoint[]
  periods: AnhoejPeriod[]
  /** Echo of the request (extra field, used by the chart renderer; ignored by the method). */
  target: number | null
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
