// Over 400 lines on purpose: the Anhøj method for every chart type (centre lines, limits per
// subgroup, rebases, screening, the runs analysis) is one calculation whose steps share their
// intermediate arrays; split across files it would read worse (STYLE.md, issue 14 point 3).
import type {
  AnhoejPeriod,
  AnhoejPoint,
  AnhoejResult,
  AnhoejRuleSet,
  ChartType,
  RunsAnalysis,
  RunsSignal,
} from './types.js'
import type { ParsedRequest } from './validate.js'
import { mean, sum } from './mean.js'
import { median } from './median.js'
import { averageMovingRange, D2, MR_SCREEN_FACTOR } from './moving-range.js'
import { a3, b3, b4 } from './subgroups.js'
import { runsAnalysis } from './runs.js'
import { orNull, trajectoryEcho } from './numbers.js'
import { runsSignalOf } from './signals.js'

const RULE_SET: AnhoejRuleSet = Object.freeze({ name: 'anhoej' })

/** qicharts2's t chart transformation: y′ = y^(1/3.6) makes exponential times roughly normal. */
const T_POWER = 3.6

/** Per-point columns that every chart fills in (NaN = null), plus one centre per period. */
interface Columns {
  value: Float64Array
  lcl: Float64Array
  ucl: Float64Array
  lcl2: Float64Array
  ucl2: Float64Array
}

/** One period of the series: points [start, end), and which of them count in the calculations. */
interface Period {
  start: number
  end: number
  /** 1 where the point is a calculation point: baseline and not excluded (SPEC 3.1). */
  calc: Uint8Array
}

type ChartFunction = (req: ParsedRequest, period: Period, out: Columns) => number

/** Values of the calculation points of a period, in order (missing ones kept as NaN). */
function calcValues(values: Float64Array, period: Period): Float64Array {
  const { start, end, calc } = period
  let m = 0
  for (let k = start; k < end; k++) if (calc[k]) m++
  const out = new Float64Array(m)
  let j = 0
  for (let k = start; k < end; k++) if (calc[k]) out[j++] = values[k]
  return out
}

/**
 * σ̂ of an individuals chart from moving ranges of consecutive calculation points (SPEC 3.2):
 * AMR / 1.128, with moving ranges taken as |(x_k − c) − (x_(k−1) − c)| as qicharts2 does.
 * NaN when no moving range is left.
 * @example xmrSigma([1, 2, 1, 2], 1.5, false) // 1 / 1.128 ≈ 0.8865
 */
export function xmrSigma(values: ArrayLike<number>, centre: number, screen: boolean): number {
  const ranges = new Float64Array(Math.max(0, values.length - 1))
  for (let k = 1; k < values.length; k++)
    ranges[k - 1] = Math.abs(values[k] - centre - (values[k - 1] - centre))
  return averageMovingRange(ranges, screen) / D2
}

/** Individuals chart: centre ± 3σ̂ and ± 2σ̂ with σ̂ from moving ranges. */
function iChart(req: ParsedRequest, period: Period, out: Columns): number {
  const values = calcValues(out.value, period)
  const centre = mean(values)
  const sd = xmrSigma(values, centre, req.screenMr)
  fillConstant(out, period, centre - 3 * sd, centre + 3 * sd, centre - 2 * sd, centre + 2 * sd)
  return centre
}

/** Run chart: the median, no limits. */
function runChart(_req: ParsedRequest, period: Period, out: Columns): number {
  fillConstant(out, period, NaN, NaN, NaN, NaN)
  return median(calcValues(out.value, period))
}

/** Moving-range chart: ucl = 3.267 × mean MR, inner 2.178 × mean MR, lower lines 0; never screened. */
function mrChart(req: ParsedRequest, period: Period, out: Columns): number {
  const { start, end } = period
  const raw = out.value.slice(start, end)
  out.value[start] = NaN
  for (let k = start + 1; k < end; k++) out.value[k] = Math.abs(raw[k - start] - raw[k - start - 1])
  const centre = mean(calcValues(out.value, period))
  fillConstant(out, period, 0, MR_SCREEN_FACTOR * centre, 0, (MR_SCREEN_FACTOR / 3) * 2 * centre)
  return centre
}

/** C chart: centre = mean count, σ = √centre, lower lines floored at 0. */
function cChart(_req: ParsedRequest, period: Period, out: Columns): number {
  const centre = mean(calcValues(out.value, period))
  const sd = Math.sqrt(centre)
  fillConstant(
    out,
    period,
    floorFinite(centre - 3 * sd),
    centre + 3 * sd,
    floorFinite(centre - 2 * sd),
    centre + 2 * sd,
  )
  return centre
}

/** G chart: limits from the mean m with σ = √(m(m + 1)), lower lines floored at 0; centre = median. */
function gChart(_req: ParsedRequest, period: Period, out: Columns): number {
  const values = calcValues(out.value, period)
  const m = mean(values)
  const sd = Math.sqrt(m * (m + 1))
  const lcl = m - 3 * sd
  const lcl2 = m - 2 * sd
  fillConstant(out, period, lcl < 0 ? 0 : lcl, m + 3 * sd, lcl2 < 0 ? 0 : lcl2, m + 2 * sd)
  return median(values)
}

/**
 * T chart: an individuals chart of y^(1/3.6), back-transformed with ^3.6. A back-transformed lcl
 * that is not a number (negative before, or undefined) becomes 0; lcl_2sigma stays null
 * (qicharts2's qic.t).
 */
function tChart(req: ParsedRequest, period: Period, out: Columns): number {
  const { start, end } = period
  for (let k = start; k < end; k++) out.value[k] = Math.pow(out.value[k], 1 / T_POWER)
  const centreT = iChart(req, period, out)
  for (let k = start; k < end; k++) {
    out.value[k] = Math.pow(out.value[k], T_POWER)
    out.ucl[k] = Math.pow(out.ucl[k], T_POWER)
    out.ucl2[k] = Math.pow(out.ucl2[k], T_POWER)
    const lcl = Math.pow(out.lcl[k], T_POWER)
    out.lcl[k] = lcl !== lcl || lcl < 0 ? 0 : lcl
    out.lcl2[k] = Math.pow(out.lcl2[k], T_POWER)
  }
  return Math.pow(centreT, T_POWER)
}

/** Σy / Σn over calculation points with both y and n present. */
function pooledRate(req: ParsedRequest, period: Period): number {
  const { start, end, calc } = period
  const y = req.y
  const n = req.n as Float64Array
  const ys = new Float64Array(end - start)
  const ns = new Float64Array(end - start)
  let m = 0
  for (let k = start; k < end; k++) {
    if (!calc[k] || y[k] !== y[k] || n[k] !== n[k]) continue
    ys[m] = y[k]
    ns[m++] = n[k]
  }
  return sum(ys.subarray(0, m)) / sum(ns.subarray(0, m))
}

/**
 * Laney's σ_z (p′ and u′ charts): the moving-range σ̂ of z_k = (value_k − centre) / σ_k along the
 * calculation points (SPEC 3.3, 3.2).
 */
function laneySigmaZ(
  req: ParsedRequest,
  period: Period,
  out: Columns,
  centre: number,
  sigma: Float64Array,
): number {
  const { start, end, calc } = period
  let m = 0
  for (let k = start; k < end; k++) if (calc[k]) m++
  const z = new Float64Array(m)
  let j = 0
  for (let k = start; k < end; k++) if (calc[k]) z[j++] = (out.value[k] - centre) / sigma[k - start]
  const ranges = new Float64Array(Math.max(0, m - 1))
  for (let i = 1; i < m; i++) ranges[i - 1] = Math.abs(z[i] - z[i - 1])
  return averageMovingRange(ranges, req.screenMr) / D2
}

/** Shared body of p, p′, u and u′: per-point σ_i, optionally times Laney's σ_z; floor (and cap). */
function attributeChart(
  req: ParsedRequest,
  period: Period,
  out: Columns,
  kind: 'p' | 'u',
  laney: boolean,
): number {
  const { start, end } = period
  const n = req.n as Float64Array
  const centre = pooledRate(req, period)
  const sigma = new Float64Array(end - start)
  for (let k = start; k < end; k++) {
    // a missing point has no denominator (complete cases only), so no lines either
    const nk = out.value[k] === out.value[k] ? n[k] : NaN
    sigma[k - start] = kind === 'p' ? Math.sqrt((centre * (1 - centre)) / nk) : Math.sqrt(centre / nk)
  }
  const sigmaZ = laney ? laneySigmaZ(req, period, out, centre, sigma) : 1
  for (let k = start; k < end; k++) {
    const sd = laney ? sigma[k - start] * sigmaZ : sigma[k - start]
    let ucl = centre + 3 * sd
    let ucl2 = centre + 2 * sd
    if (kind === 'p') {
      if (ucl > 1 && Number.isFinite(ucl)) ucl = 1
      if (ucl2 > 1 && Number.isFinite(ucl2)) ucl2 = 1
    }
    out.ucl[k] = ucl
    out.ucl2[k] = ucl2
    out.lcl[k] = floorFinite(centre - 3 * sd)
    out.lcl2[k] = floorFinite(centre - 2 * sd)
  }
  return centre
}

/** Sizes, means and SDs of the subgroups (xbar and s charts). */
interface SubgroupStats {
  size: Float64Array
  mean: Float64Array
  sd: Float64Array
}

/**
 * Sample mean and SD (n − 1 denominator) of one subgroup; NaN where undefined.
 * @example subgroupMeanSd([2, 4, 4, 4, 5, 5, 7, 9]) // { mean: 5, sd: 2.138… }
 */
export function subgroupMeanSd(values: ArrayLike<number>): { mean: number; sd: number } {
  const m = mean(values)
  if (values.length < 2) return { mean: m, sd: NaN }
  let s = 0
  let c = 0
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - m
    const sq = d * d
    const t = s + sq
    c += Math.abs(s) >= sq ? s - t + sq : sq - t + s
    s = t
  }
  return { mean: m, sd: Math.sqrt((s + c) / (values.length - 1)) }
}

function subgroupStats(req: ParsedRequest, period: Period): SubgroupStats {
  const { start, end } = period
  const groups = req.subgroups as Float64Array[]
  const len = end - start
  const stats = { size: new Float64Array(len), mean: new Float64Array(len), sd: new Float64Array(len) }
  for (let k = start; k < end; k++) {
    const g = groups[k]
    const { mean: m, sd } = subgroupMeanSd(g)
    stats.size[k - start] = g.length
    stats.mean[k - start] = m
    stats.sd[k - start] = sd
  }
  return stats
}

/**
 * σ̂ of subgroup charts over the calculation subgroups: pooled √(Σ(n_i − 1)s_i² / Σ(n_i − 1)) when
 * sizes differ anywhere in the period (empty subgroups ignored), otherwise the mean of the s_i.
 */
function subgroupSigma(stats: SubgroupStats, period: Period): number {
  const { start, calc } = period
  const len = stats.size.length
  let first = -1
  let varying = false
  for (let i = 0; i < len; i++) {
    const size = stats.size[i]
    if (size === 0) continue
    if (first < 0) first = size
    else if (size !== first) varying = true
  }
  const num = new Float64Array(len).fill(NaN)
  const den = new Float64Array(len).fill(NaN)
  const sds = new Float64Array(len).fill(NaN)
  for (let i = 0; i < len; i++) {
    if (!calc[start + i] || stats.size[i] === 0) continue
    const sd = stats.sd[i]
    sds[i] = sd
    den[i] = stats.size[i] - 1
    if (sd === sd) num[i] = (stats.size[i] - 1) * sd * sd
  }
  return varying ? Math.sqrt(sum(num) / sum(den)) : mean(sds)
}

/** X̄ chart: centre = Σn_i x̄_i / Σn_i; limits centre ± A3(n_i)·σ̂ (A3 with 2 for the inner lines). */
function xbarChart(_req: ParsedRequest, period: Period, out: Columns): number {
  const { start, end, calc } = period
  const stats = subgroupStats(_req, period)
  const weighted = new Float64Array(end - start).fill(NaN)
  const sizes = new Float64Array(end - start).fill(NaN)
  for (let k = start; k < end; k++) {
    const i = k - start
    out.value[k] = stats.mean[i]
    if (!calc[k] || stats.size[i] === 0) continue
    weighted[i] = stats.size[i] * stats.mean[i]
    sizes[i] = stats.size[i]
  }
  const centre = sum(weighted) / sum(sizes)
  const sigma = subgroupSigma(stats, period)
  for (let k = start; k < end; k++) {
    const n = stats.size[k - start]
    const w3 = a3(n) * sigma
    const w2 = a3(n, 2) * sigma
    out.ucl[k] = centre + w3
    out.lcl[k] = centre - w3
    out.ucl2[k] = centre + w2
    out.lcl2[k] = centre - w2
  }
  return centre
}

/** S chart: centre = σ̂; ucl = B4(n_i)·centre, lcl = B3(n_i)·centre (2-sigma versions likewise). */
function sChart(_req: ParsedRequest, period: Period, out: Columns): number {
  const { start, end } = period
  const stats = subgroupStats(_req, period)
  const centre = subgroupSigma(stats, period)
  for (let k = start; k < end; k++) {
    const n = stats.size[k - start]
    out.value[k] = stats.sd[k - start]
    out.ucl[k] = b4(n) * centre
    out.lcl[k] = b3(n) * centre
    out.ucl2[k] = b4(n, 2) * centre
    out.lcl2[k] = b3(n, 2) * centre
  }
  return centre
}

const CHARTS: Record<ChartType, ChartFunction> = {
  run: runChart,
  i: iChart,
  mr: mrChart,
  xbar: xbarChart,
  s: sChart,
  t: tChart,
  p: (req, period, out) => attributeChart(req, period, out, 'p', false),
  pp: (req, period, out) => attributeChart(req, period, out, 'p', true),
  c: cChart,
  u: (req, period, out) => attributeChart(req, period, out, 'u', false),
  up: (req, period, out) => attributeChart(req, period, out, 'u', true),
  g: gChart,
}

function fillConstant(
  out: Columns,
  period: Period,
  lcl: number,
  ucl: number,
  lcl2: number,
  ucl2: number,
): void {
  out.lcl.fill(lcl, period.start, period.end)
  out.ucl.fill(ucl, period.start, period.end)
  out.lcl2.fill(lcl2, period.start, period.end)
  out.ucl2.fill(ucl2, period.start, period.end)
}

/** Lower lines below zero become 0, but only finite ones (qicharts2). */
function floorFinite(v: number): number {
  return v < 0 && Number.isFinite(v) ? 0 : v
}

/** Plotted values before the chart function: y, or y/n where denominators are given. */
function initialValues(req: ParsedRequest): Float64Array {
  const { y, n, size } = req
  const value = new Float64Array(size)
  if (n === null) value.set(y)
  else for (let k = 0; k < size; k++) value[k] = y[k] / n[k] // 0/0 and missing give NaN: a missing point
  return value
}

/** One period of an `anhoej` computation. */
export interface AnhoejPeriodLines {
  start: number
  end: number
  /** Centre line, already multiplied (NaN = undefined). */
  centre: number
  signals: number
  runs: RunsAnalysis
  /** The runs signal with the points of the longest run, or null. */
  runsSignal: RunsSignal | null
}

/** Columnar outcome of method `anhoej`: per-point lines already multiplied, NaN = null. */
export interface AnhoejComputation {
  method: 'anhoej'
  req: ParsedRequest
  value: Float64Array
  lcl: Float64Array
  ucl: Float64Array
  lcl2: Float64Array
  ucl2: Float64Array
  signal: Uint8Array
  /** Points before this index are baseline points. */
  baselineEnd: number
  periods: AnhoejPeriodLines[]
}

/**
 * Method `anhoej`: qicharts2's run and control charts with the 3-sigma rule and the Anhøj runs
 * analysis, per period (SPEC 3), computed into columns.
 */
export function computeAnhoej(req: ParsedRequest): AnhoejComputation {
  const { size, periodStarts, excluded, multiply } = req
  const out: Columns = {
    value: initialValues(req),
    lcl: new Float64Array(size),
    ucl: new Float64Array(size),
    lcl2: new Float64Array(size),
    ucl2: new Float64Array(size),
  }
  // baseline ("freeze") counts from the start of the series and is ignored when rebasing (SPEC 3.1)
  const baselineEnd = req.baseline !== null && !req.rebased ? Math.min(req.baseline, size) : size
  const calc = new Uint8Array(size)
  for (let k = 0; k < baselineEnd; k++) calc[k] = excluded && excluded[k] ? 0 : 1
  // validation keeps the median charts to method "mdc"
  const chartFunction = CHARTS[req.chart as ChartType]
  const periods: AnhoejPeriodLines[] = []
  const signal = new Uint8Array(size)

  for (let p = 0; p < periodStarts.length; p++) {
    const start = periodStarts[p]
    const end = p + 1 < periodStarts.length ? periodStarts[p + 1] : size
    const centre = chartFunction(req, { start, end, calc }, out)
    // runs analysis on the unscaled values of the period's points that are not excluded
    let m = 0
    const kept = new Float64Array(end - start)
    const keptIndex = new Int32Array(end - start)
    for (let k = start; k < end; k++) {
      if (excluded && excluded[k]) continue
      keptIndex[m] = k
      kept[m++] = out.value[k]
    }
    const runs = runsAnalysis(kept.subarray(0, m), centre)
    if (req.chart === 'mr') runs.runs_signal = false
    const runsSignal = runsSignalOf(kept.subarray(0, m), keptIndex, centre, runsRule(runs))
    // multiply after computing (SPEC 3.3); infinite lines (zero denominators) are undefined
    let signals = 0
    for (let k = start; k < end; k++) {
      const value = finite(out.value[k] * multiply)
      const lcl = finite(out.lcl[k] * multiply)
      const ucl = finite(out.ucl[k] * multiply)
      out.value[k] = value
      out.lcl[k] = lcl
      out.ucl[k] = ucl
      out.lcl2[k] = finite(out.lcl2[k] * multiply)
      out.ucl2[k] = finite(out.ucl2[k] * multiply)
      if (value > ucl || value < lcl) {
        signal[k] = 1
        signals++
      }
    }
    periods.push({ start, end, centre: finite(centre * multiply), signals, runs, runsSignal })
  }
  return { method: 'anhoej', req, ...out, signal, baselineEnd, periods }
}

/** Which runs rule fired (SPEC 3.4 step 6), or null. */
function runsRule(runs: RunsAnalysis): RunsSignal['rule'] | null {
  if (!runs.runs_signal || runs.longest_run === null) return null
  const long = runs.longest_run > (runs.longest_run_max as number)
  const few = (runs.n_crossings as number) < (runs.n_crossings_min as number)
  return long && few ? 'longest_run_and_too_few_crossings' : long ? 'longest_run' : 'too_few_crossings'
}

function finite(v: number): number {
  return v - v === 0 ? v : NaN
}

/** Period summaries of the result (SPEC 1.2). */
export function anhoejPeriods(comp: AnhoejComputation): AnhoejPeriod[] {
  const { xs } = comp.req
  return comp.periods.map((p, i) => ({
    period: i + 1,
    first_x: xs[p.start],
    last_x: xs[p.end - 1],
    n_points: p.end - p.start,
    centre: orNull(p.centre),
    sigma_signal_count: p.signals,
    runs: p.runs,
    signal: p.runsSignal,
  }))
}

/** The result object of method `anhoej` (SPEC 1.2), one plain object per point. */
export function anhoejResult(comp: AnhoejComputation): AnhoejResult {
  const { xs, size, excluded } = comp.req
  const points: AnhoejPoint[] = new Array<AnhoejPoint>(size)
  for (let p = 0; p < comp.periods.length; p++) {
    const { start, end } = comp.periods[p]
    const centre = orNull(comp.periods[p].centre)
    for (let k = start; k < end; k++) {
      points[k] = {
        x: xs[k],
        value: orNull(comp.value[k]),
        centre,
        lcl: orNull(comp.lcl[k]),
        ucl: orNull(comp.ucl[k]),
        lcl_2sigma: orNull(comp.lcl2[k]),
        ucl_2sigma: orNull(comp.ucl2[k]),
        period: p + 1,
        baseline: k < comp.baselineEnd,
        excluded: excluded !== null && excluded[k] === 1,
        sigma_signal: comp.signal[k] === 1,
        signal:
          comp.signal[k] === 1
            ? { rule: comp.value[k] > comp.ucl[k] ? 'above_ucl' : 'below_lcl', from: k, to: k }
            : null,
      }
    }
  }
  return {
    ok: true,
    method: 'anhoej',
    chart: comp.req.chart as ChartType,
    points,
    periods: anhoejPeriods(comp),
    target: comp.req.target,
    target_trajectory: trajectoryEcho(comp.req.trajectory),
    rule_set: RULE_SET,
  }
}
