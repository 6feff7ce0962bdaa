import type { RunsAnalysis } from './types.js'
import { lnGamma } from './subgroups.js'

const LN_2PI = Math.log(2 * Math.PI)
const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI)
/** R's qbinom fuzz for left continuity (lower tail, not log scale): p × (1 − 8ε). */
const QBINOM_FUZZ = 1 - 8 * Number.EPSILON

/**
 * Anhøj runs analysis of the values of one period around its centre line (SPEC 3.4; Anhøj &
 * Olesen 2014). Missing values (NaN) and values exactly on the centre are not useful.
 * longest_run_max = round(log2(n_useful)) + 3 (Schilling 2012);
 * n_crossings_min = qbinom(0.05, n_useful − 1, 0.5) (Chen 2010);
 * signal = longest_run > longest_run_max or n_crossings < n_crossings_min.
 * @example runsAnalysis([1, 2, 3, 4], 2.5)
 * // { n_obs: 4, n_useful: 4, longest_run: 2, longest_run_max: 5, n_crossings: 1, n_crossings_min: 0, runs_signal: false }
 */
export function runsAnalysis(values: ArrayLike<number>, centre: number): RunsAnalysis {
  const nObs = values.length
  let nUseful = 0
  let runs = 0
  let longest = 0
  let current = 0
  let side = 0
  for (let i = 0; i < nObs; i++) {
    const d = values[i] - centre
    const s = d > 0 ? 1 : d < 0 ? -1 : 0 // NaN gives 0: not useful
    if (s === 0) continue
    nUseful++
    if (s === side) {
      current++
    } else {
      runs++
      side = s
      current = 1
    }
    if (current > longest) longest = current
  }
  if (nUseful === 0) {
    return {
      n_obs: nObs,
      n_useful: 0,
      longest_run: null,
      longest_run_max: null,
      n_crossings: null,
      n_crossings_min: null,
      runs_signal: false,
    }
  }
  const longestMax = longestRunMax(nUseful)
  const crossings = runs - 1
  const crossingsMin = crossingsMinimum(nUseful)
  return {
    n_obs: nObs,
    n_useful: nUseful,
    longest_run: longest,
    longest_run_max: longestMax,
    n_crossings: crossings,
    n_crossings_min: crossingsMin,
    runs_signal: longest > longestMax || crossings < crossingsMin,
  }
}

/**
 * Upper limit for the longest run: round(log2(n)) + 3 (Schilling 2012). n ≥ 1.
 * @example longestRunMax(16) // 7
 * @example longestRunMax(1000) // 13
 */
export function longestRunMax(nUseful: number): number {
  if (!(nUseful >= 1)) throw new RangeError(`longestRunMax: n must be ≥ 1, got ${nUseful}`)
  return Math.round(Math.log2(nUseful)) + 3
}

/**
 * Lower limit for the number of crossings: the smallest c with P(X ≤ c) ≥ 0.05 for
 * X ~ Binomial(n − 1, ½), R's qbinom(0.05, n − 1, 0.5) (Chen 2010). Exact for any n: binomial
 * terms come from Loader's saddle-point formula (as R's dbinom), summed downwards from a normal
 * guess, so a million points costs a few thousand terms.
 * @example crossingsMinimum(16) // 4
 * @example crossingsMinimum(1000) // 474
 */
export function crossingsMinimum(nUseful: number): number {
  if (!(nUseful >= 1) || !Number.isInteger(nUseful)) {
    throw new RangeError(`crossingsMinimum: n must be a positive integer, got ${nUseful}`)
  }
  return qbinomHalf(0.05, nUseful - 1)
}

/**
 * Quantile of Binomial(size, ½): the smallest c with P(X ≤ c) ≥ p (R's qbinom(p, size, 0.5)).
 * @example qbinomHalf(0.05, 15) // 4
 */
export function qbinomHalf(p: number, size: number): number {
  if (!(p > 0 && p < 1) || !(size >= 0) || !Number.isInteger(size)) {
    throw new RangeError(`qbinomHalf: need 0 < p < 1 and an integer size ≥ 0, got ${p}, ${size}`)
  }
  if (size === 0) return 0
  const target = p * QBINOM_FUZZ
  const z = normalQuantile(p)
  let c = Math.floor(size / 2 + (z * Math.sqrt(size)) / 2)
  c = Math.min(size, Math.max(0, c))
  let cdf = pbinomHalf(c, size)
  if (cdf >= target) {
    while (c > 0) {
      const below = cdf - dbinomHalf(c, size)
      if (below < target) break
      cdf = below
      c--
    }
  } else {
    while (c < size && cdf < target) {
      c++
      cdf += dbinomHalf(c, size)
    }
  }
  return c
}

/**
 * P(X ≤ c) for X ~ Binomial(size, ½), summing terms downwards from c with
 * f(k − 1) = f(k) · k / (size − k + 1) until they no longer change the sum.
 * @example pbinomHalf(1, 2) // 0.75
 */
export function pbinomHalf(c: number, size: number): number {
  if (c < 0) return 0
  if (c >= size) return 1
  let term = dbinomHalf(c, size)
  let total = term
  for (let k = c; k > 0; k--) {
    term = (term * k) / (size - k + 1)
    total += term
    if (term < total * 1e-17) break
  }
  return Math.min(1, total)
}

/**
 * P(X = x) for X ~ Binomial(n, ½), by Loader's (2000) saddle-point expansion as in R's dbinom:
 * exp(stirlerr(n) − stirlerr(x) − stirlerr(n − x) − bd0(x, n/2) − bd0(n − x, n/2)) / √(2π x (n − x)/n).
 * @example dbinomHalf(2, 4) // 0.375
 */
export function dbinomHalf(x: number, n: number): number {
  if (x < 0 || x > n) return 0
  if (x === 0 || x === n) return Math.exp(n * Math.log(0.5))
  const np = n * 0.5
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, np) - bd0(n - x, np)
  const lf = LN_2PI + Math.log(x) + Math.log1p(-x / n)
  return Math.exp(lc - 0.5 * lf)
}

/** Error of Stirling's formula: lnΓ(n + 1) − [(n + ½) ln n − n + ln √(2π)]. */
function stirlerr(n: number): number {
  if (n <= 15) return lnGamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI
  const nn = n * n
  const S0 = 1 / 12
  const S1 = 1 / 360
  const S2 = 1 / 1260
  const S3 = 1 / 1680
  const S4 = 1 / 1188
  if (n > 500) return (S0 - S1 / nn) / n
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
}

/** Deviance term bd0(x, np) = x ln(x/np) + np − x, computed stably when x ≈ np. */
function bd0(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np)
    let s = (x - np) * v
    let ej = 2 * x * v
    v = v * v
    for (let j = 1; j < 1000; j++) {
      ej *= v
      const s1 = s + ej / (2 * j + 1)
      if (s1 === s) return s1
      s = s1
    }
    return s
  }
  return x * Math.log(x / np) + np - x
}

/** Standard normal quantile (Acklam's rational approximation; only used for a starting guess). */
function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ]
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const pl = 0.02425
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    )
  }
  if (p > 1 - pl) return -normalQuantile(1 - p)
  const q = p - 0.5
  const r = q * q
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  )
}
