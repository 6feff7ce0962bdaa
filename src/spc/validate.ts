import type { ChartType, ImprovementDirection, MedianChartType, SpcMethod, XValue } from './types.js'
import { CHART_TYPES, MDC_CHART_TYPES } from './types.js'
import type { PointColumns } from './read-json.js'
import { POINT_FIELDS, REQUEST_FIELDS, fieldPath, isIsoDate, unknownFieldMessage } from './request-fields.js'

export { POINT_FIELDS, REQUEST_FIELDS, isIsoDate, unknownFieldMessage } from './request-fields.js'

/**
 * A request after validation: columns instead of point objects, missing values as NaN, x values
 * turned into indices. Everything the methods need and nothing they must re-check.
 */
export interface ParsedRequest {
  method: SpcMethod
  chart: ChartType | MedianChartType
  /** Number of points. */
  size: number
  /** The points' x values, echoed back unchanged. */
  xs: XValue[]
  xKind: 'number' | 'date'
  /** y (numerator, count, time, …); NaN when missing. Unused by xbar and s. */
  y: Float64Array
  /** Denominators when any point has a numeric n (NaN when missing); otherwise null. */
  n: Float64Array | null
  /** xbar / s: the non-missing measurements of each subgroup. */
  subgroups: Float64Array[] | null
  improvementDirection: ImprovementDirection
  /** A constant target; null when there is none or when a trajectory is given. */
  target: number | null
  /** A target per point (NaN where null), when `target` is an array; otherwise null. */
  trajectory: Float64Array | null
  /** Points in a row for a shift and for a trend (`mdc`; 7 and 7 unless the request says). */
  shiftN: number
  trendN: number
  /** Sorted indices where a period starts; always begins with 0. */
  periodStarts: number[]
  /**
   * True when the series has more than one period. A rebase at the first point is dropped first
   * (it changes nothing, SPEC 1.1 and 3.1), so `rebase: [x1]` leaves this false and `baseline` applies.
   */
  rebased: boolean
  baseline: number | null
  /** 1 where the point is listed in `exclude`; null when nothing is excluded. */
  excluded: Uint8Array | null
  screenMr: boolean
  multiply: number
}

export type ValidationOutcome = { ok: true; request: ParsedRequest } | { ok: false; error: string }

/** Data problem in a request; carries the message for `{"ok": false, "error": ...}`. */
class RequestError extends Error {}

const DIRECTIONS: readonly ImprovementDirection[] = ['increase', 'decrease', 'neutral']

/** Default run lengths of the Making Data Count rules (SPEC 2.2). */
export const DEFAULT_SHIFT_N = 7
export const DEFAULT_TREND_N = 7
/** Shortest and longest run a rule set may ask for. */
export const MIN_RUN_N = 2
export const MAX_RUN_N = 20
/** Longest annotation label: the chart shortens long labels, but a page of text is not a label. */
export const MAX_LABEL_LENGTH = 500
/** Median charts need at least two moving ranges. */
const MEDIAN_CHART_MIN_POINTS = 3
const CHARTS_WITHOUT_N: ReadonlySet<ChartType> = new Set<ChartType>(['mr', 'xbar', 's', 't', 'c', 'g'])
const CHARTS_WITH_N: ReadonlySet<ChartType> = new Set<ChartType>(['p', 'pp', 'u', 'up'])

/**
 * Checks a request against SPEC 1.1 and 1.4 and turns it into columns. Never throws for bad
 * input: the outcome says what is wrong, naming the field and, for points, the index
 * (e.g. `points[3].n: must be ≥ 0`).
 * @example validateRequest({ method: 'mdc', chart: 'i', points: [] })
 * // { ok: false, error: 'points: must be a non-empty array' }
 */
export function validateRequest(input: unknown, columns?: PointColumns): ValidationOutcome {
  try {
    return { ok: true, request: parse(input, columns) }
  } catch (error) {
    if (error instanceof RequestError) return { ok: false, error: error.message }
    throw error
  }
}

function fail(message: string): never {
  throw new RequestError(message)
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing'
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v)
  return Array.isArray(v) ? 'an array' : 'an object'
}

/** A run length of the rule set: an integer from 2 to 20 (default for `mdc`); refused by `anhoej`. */
function runLength(v: unknown, field: string, method: SpcMethod, fallback: number): number {
  if (v === undefined || v === null) return fallback
  if (method === 'anhoej') {
    fail(
      `${field}: method "anhoej" has no fixed run lengths (its runs analysis uses limits that grow with the number of points, SPEC 3.4); use method "mdc" for ${field}`,
    )
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < MIN_RUN_N || v > MAX_RUN_N) {
    fail(`${field}: must be a whole number of points from ${MIN_RUN_N} to ${MAX_RUN_N}, got ${describe(v)}`)
  }
  return v
}

function optionalNumber(v: unknown, field: string): number | null {
  if (v === undefined || v === null) return null
  if (typeof v !== 'number' || !Number.isFinite(v))
    fail(`${field}: must be a number or null, got ${describe(v)}`)
  return v
}

/**
 * With `columns` (points already read from the JSON bytes by read-json.ts), `input` holds every
 * field but `points`, and the points get the very same checks, in the same order, from the columns.
 */
function parse(input: unknown, columns?: PointColumns): ParsedRequest {
  if (!isObject(input)) fail(`request: must be a JSON object, got ${describe(input)}`)
  if ('batch' in input) fail('batch: a batch request must have no other fields and cannot be nested')
  for (const key in input) {
    if (!REQUEST_FIELDS.includes(key) && Object.hasOwn(input, key))
      fail(unknownFieldMessage(fieldPath('', key), key, REQUEST_FIELDS))
  }

  const method = input.method
  if (method !== 'mdc' && method !== 'anhoej') {
    fail(`method: must be "mdc" or "anhoej", got ${describe(method)}`)
  }
  const chart = input.chart
  const medianChart = chart === 'i_m' || chart === 'i_mm'
  if (typeof chart !== 'string' || !((CHART_TYPES as readonly string[]).includes(chart) || medianChart)) {
    fail(`chart: must be one of ${[...CHART_TYPES, 'i_m', 'i_mm'].join(', ')}, got ${describe(chart)}`)
  }
  const chartType = chart as ChartType | MedianChartType
  if (method === 'mdc' && !(MDC_CHART_TYPES as readonly string[]).includes(chartType))
    fail(`chart: method "mdc" supports only charts ${MDC_CHART_TYPES.join(', ')}, got "${chartType}"`)
  if (method === 'anhoej' && medianChart)
    fail(`chart: "${chartType}" (median moving range) is a chart of method "mdc", not "anhoej"`)
  const shiftN = runLength(input.shift_n, 'shift_n', method, DEFAULT_SHIFT_N)
  const trendN = runLength(input.trend_n, 'trend_n', method, DEFAULT_TREND_N)

  const direction = input.improvement_direction ?? 'increase'
  if (typeof direction !== 'string' || !(DIRECTIONS as readonly string[]).includes(direction)) {
    fail(`improvement_direction: must be "increase", "decrease" or "neutral", got ${describe(direction)}`)
  }
  const target = Array.isArray(input.target) ? null : optionalNumber(input.target, 'target')

  const screen = input.screen_mr ?? true
  if (typeof screen !== 'boolean') fail(`screen_mr: must be true or false, got ${describe(screen)}`)

  const multiply = input.multiply ?? 1
  if (typeof multiply !== 'number' || !Number.isFinite(multiply) || multiply <= 0) {
    fail(`multiply: must be a number greater than 0, got ${describe(multiply)}`)
  }
  if (method === 'mdc' && multiply !== 1)
    fail(`multiply: method "mdc" does not scale values; must be 1, got ${multiply}`)

  const baselineRaw = input.baseline ?? null
  let baseline: number | null = null
  if (baselineRaw !== null) {
    if (typeof baselineRaw !== 'number' || !Number.isInteger(baselineRaw) || baselineRaw < 1) {
      fail(`baseline: must be a positive integer or null, got ${describe(baselineRaw)}`)
    }
    if (method === 'mdc' && baselineRaw < 12) {
      fail(`baseline: method "mdc" needs at least 12 baseline points, got ${baselineRaw}`)
    }
    baseline = baselineRaw
  }

  const points = columns ? columns.xs : input.points
  if (!Array.isArray(points) || points.length === 0)
    fail(`points: must be a non-empty array, got ${describe(points)}`)
  const size = points.length
  if (medianChart && size < MEDIAN_CHART_MIN_POINTS) {
    fail(
      `points: chart "${chartType}" needs at least ${MEDIAN_CHART_MIN_POINTS} points (two moving ranges for their median), got ${size}`,
    )
  }
  const subgroupChart = chartType === 'xbar' || chartType === 's'
  const nForbidden =
    method === 'mdc'
      ? 'method "mdc"'
      : CHARTS_WITHOUT_N.has(chartType as ChartType)
        ? `chart "${chartType}"`
        : ''
  const xs: XValue[] = new Array<XValue>(size)
  const y = new Float64Array(size)
  let n: Float64Array | null = null
  const subgroups: Float64Array[] | null = subgroupChart ? new Array<Float64Array>(size) : null
  let xKind: 'number' | 'date' = 'number'

  for (let i = 0; i < size; i++) {
    let x: unknown
    let yv: unknown
    let nv: unknown
    let values: unknown
    if (columns) {
      x = columns.xs[i]
      const a = columns.y[i]
      yv = a === a ? a : null
      const b = columns.n ? columns.n[i] : NaN
      nv = b === b ? b : null
    } else {
      const p: unknown = points[i]
      // (an array has no x and fails just below)
      if (typeof p !== 'object' || p === null)
        fail(`points[${i}]: must be an object with x, got ${describe(p)}`)
      const point = p as Record<string, unknown>
      for (const key in point) {
        if (key !== 'x' && key !== 'y' && key !== 'n' && key !== 'values' && Object.hasOwn(point, key))
          fail(unknownFieldMessage(fieldPath(`points[${i}].`, key), key, POINT_FIELDS))
      }
      x = point.x
      yv = point.y
      nv = point.n
      values = point.values
    }
    if (x === undefined || x === null) fail(`points[${i}].x: is required`)
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) fail(`points[${i}].x: must be a finite number`)
      if (i === 0) xKind = 'number'
      else if (xKind !== 'number')
        fail(`points[${i}].x: is a number but points[0].x is a date; all x must be of one kind`)
      else if (!(x > (xs[i - 1] as number))) {
        fail(
          `points[${i}].x: must be greater than points[${i - 1}].x (x must be strictly increasing), got ${x}`,
        )
      }
    } else if (typeof x === 'string') {
      if (!isIsoDate(x)) fail(`points[${i}].x: must be a number or a "YYYY-MM-DD" date, got ${describe(x)}`)
      if (i === 0) xKind = 'date'
      else if (xKind !== 'date')
        fail(`points[${i}].x: is a date but points[0].x is a number; all x must be of one kind`)
      else if (!(x > (xs[i - 1] as string))) {
        fail(
          `points[${i}].x: must be later than points[${i - 1}].x (x must be strictly increasing), got "${x}"`,
        )
      }
    } else {
      fail(`points[${i}].x: must be a number or a "YYYY-MM-DD" date, got ${describe(x)}`)
    }
    xs[i] = x

    if (subgroups) {
      if (values === undefined || values === null) {
        subgroups[i] = new Float64Array(0)
      } else {
        if (!Array.isArray(values))
          fail(`points[${i}].values: must be an array of numbers or nulls, got ${describe(values)}`)
        let count = 0
        for (let j = 0; j < values.length; j++) {
          const v: unknown = values[j]
          if (v === null) continue
          if (typeof v !== 'number' || !Number.isFinite(v)) {
            fail(`points[${i}].values[${j}]: must be a number or null, got ${describe(v)}`)
          }
          count++
        }
        const sub = new Float64Array(count)
        let k = 0
        for (const v of values as (number | null)[]) if (v !== null) sub[k++] = v
        subgroups[i] = sub
      }
    }

    let yNum = NaN
    if (yv !== undefined && yv !== null) {
      if (typeof yv !== 'number' || !Number.isFinite(yv))
        fail(`points[${i}].y: must be a number or null, got ${describe(yv)}`)
      yNum = yv
    }
    if (chartType === 't' && yNum <= 0) {
      fail(`points[${i}].y: time between events must be greater than zero for a t chart, got ${yNum}`)
    }
    y[i] = yNum

    if (nv !== undefined && nv !== null) {
      if (typeof nv !== 'number' || !Number.isFinite(nv))
        fail(`points[${i}].n: must be a number or null, got ${describe(nv)}`)
      if (nForbidden) fail(`points[${i}].n: ${nForbidden} takes no denominator n`)
      if (nv < 0) fail(`points[${i}].n: must be ≥ 0, got ${nv}`)
      if (nv === 0 && yNum === yNum && yNum !== 0) {
        fail(`points[${i}].n: is 0 while y is ${yNum}; a zero denominator needs a zero (or missing) y`)
      }
      if (n === null) n = new Float64Array(size).fill(NaN)
      n[i] = nv
    }
  }
  // charts with a denominator treat an absent n as a missing point, even when no point has one
  if (n === null && CHARTS_WITH_N.has(chartType as ChartType)) n = new Float64Array(size).fill(NaN)

  const periodStarts = [0]
  const rebaseIdx = xIndices(input.rebase, 'rebase', xs, xKind)
  if (rebaseIdx.length > 0)
    for (const i of [...new Set(rebaseIdx)].sort((a, b) => a - b)) if (i > 0) periodStarts.push(i)
  // a rebase at the first point is dropped before the baseline rule (SPEC 3.1)
  const rebased = periodStarts.length > 1
  const trajectory = Array.isArray(input.target) ? targetTrajectory(input.target, size) : null
  checkAnnotations(input.annotations)

  const excludeIdx = xIndices(input.exclude, 'exclude', xs, xKind)
  let excluded: Uint8Array | null = null
  if (excludeIdx.length > 0) {
    if (method === 'mdc') fail('exclude: method "mdc" does not support excluding points; leave exclude empty')
    excluded = new Uint8Array(size)
    for (const i of excludeIdx) excluded[i] = 1
  }

  return {
    method,
    chart: chartType,
    size,
    xs,
    xKind,
    y,
    n,
    subgroups,
    improvementDirection: direction as ImprovementDirection,
    target,
    trajectory,
    shiftN,
    trendN,
    periodStarts,
    rebased,
    baseline,
    excluded,
    screenMr: screen,
    multiply,
  }
}

/** A target per point: numbers or nulls, exactly one per point (NaN stands for null). */
function targetTrajectory(list: unknown[], size: number): Float64Array {
  if (list.length !== size) {
    fail(
      `target: a trajectory needs one target (or null) per point: ${size} points but ${list.length} targets`,
    )
  }
  const out = new Float64Array(size)
  for (let i = 0; i < size; i++) {
    const v = list[i]
    if (v === null) out[i] = NaN
    else if (typeof v === 'number' && Number.isFinite(v)) out[i] = v
    else fail(`target[${i}]: must be a number or null, got ${describe(v)}`)
  }
  return out
}

/** `annotations` (drawn by `qi chart`): objects with an x and a label of at most 500 characters. */
function checkAnnotations(list: unknown): void {
  if (list === undefined || list === null) return
  if (!Array.isArray(list)) fail(`annotations: must be an array of { x, label }, got ${describe(list)}`)
  for (let j = 0; j < list.length; j++) {
    const a: unknown = list[j]
    if (!isObject(a)) fail(`annotations[${j}]: must be an object with x and label, got ${describe(a)}`)
    for (const key in a) {
      if (key !== 'x' && key !== 'label' && Object.hasOwn(a, key))
        fail(unknownFieldMessage(fieldPath(`annotations[${j}].`, key), key, ['x', 'label']))
    }
    const x = a.x
    if (!((typeof x === 'number' && Number.isFinite(x)) || (typeof x === 'string' && isIsoDate(x))))
      fail(`annotations[${j}].x: must be a number or a "YYYY-MM-DD" date, got ${describe(x)}`)
    const label = a.label
    if (typeof label !== 'string') fail(`annotations[${j}].label: must be a string, got ${describe(label)}`)
    if (label.length > MAX_LABEL_LENGTH) {
      fail(
        `annotations[${j}].label: must be at most ${MAX_LABEL_LENGTH} characters (the chart shortens long labels), got ${label.length}`,
      )
    }
  }
}

/** Indices of the points whose x is listed in `field` (x values are sorted: binary search). */
function xIndices(list: unknown, field: string, xs: XValue[], kind: 'number' | 'date'): number[] {
  if (list === undefined || list === null) return []
  if (!Array.isArray(list)) fail(`${field}: must be an array of x values, got ${describe(list)}`)
  const out: number[] = []
  for (let j = 0; j < list.length; j++) {
    const v: unknown = list[j]
    const sameKind = kind === 'number' ? typeof v === 'number' : typeof v === 'string'
    const i = sameKind ? binarySearch(xs, v as XValue) : -1
    if (i < 0) fail(`${field}[${j}]: ${describe(v)} is not the x of any point`)
    out.push(i)
  }
  return out
}

function binarySearch(xs: XValue[], v: XValue): number {
  let lo = 0
  let hi = xs.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const m = xs[mid]
    if (m === v) return mid
    if (m < v) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}
