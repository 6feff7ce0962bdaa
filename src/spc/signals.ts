import type { PointSignal, RuleSet, RunsSignal, RunsSignalRule } from './types.js'

/** What `signalSpans` reads of one `mdc` period (indices local to the period). */
export interface SpanInput {
  values: ArrayLike<number>
  /** +1 above the centre, −1 below, 0 on it or missing. */
  sides: ArrayLike<number>
  /** 1 where the point is in the 2–3 sigma band. */
  near: ArrayLike<number>
  /** Index into the special causes (0 none, 1–2 outside, 3–4 trend, 5–6 two-in-three, 7–8 shift). */
  cause: ArrayLike<number>
  trendN: number
  /** Index of the period's first point in the series: spans are written as series indices. */
  offset: number
}

/**
 * For each point of one `mdc` period with a special cause, the first and last index of the block
 * of points that makes that signal (written into `from` / `to` at offset + k):
 * * beyond a limit: the point itself;
 * * trend: the maximal run of points each strictly above (below) the one before that contains it,
 *   in the direction of its cause (where the peak of two trends is labelled by the one after it,
 *   the reference quirk of SPEC 2.2, and no such run of `trendN` exists, the other run);
 * * two-in-three: the qualifying windows of three that contain it (their union: they overlap);
 * * shift: the maximal run of points on its side of the centre that contains it.
 * Missing values break every rule, so each block is contiguous. Linear in the period's length.
 * @example
 * // values 1..8 with a trend of 7: every point's block is 0..7
 */
export function signalSpans(input: SpanInput, from: Int32Array, to: Int32Array): void {
  const { values, sides, near, cause, trendN, offset } = input
  const n = values.length
  // only flagged points are visited, and each run is walked once for all its points with that cause
  for (let k = 0; k < n; k++) {
    const c = cause[k]
    if (c === 0 || from[offset + k] >= 0) continue
    let a = k
    let b = k
    if (c === 3 || c === 4) {
      ;[a, b] = monotoneRun(values, k, c === 3 ? 1 : -1)
      if (b - a + 1 < trendN) {
        // the peak of two trends, labelled by the one after it (SPEC 2.2): the other run makes it
        ;[a, b] = monotoneRun(values, k, c === 3 ? -1 : 1)
        from[offset + k] = offset + a
        to[offset + k] = offset + b
        continue
      }
    } else if (c === 5 || c === 6) {
      a = -1
      for (let w = Math.max(0, k - 2); w <= k && w + 2 < n; w++) {
        const s = sides[w]
        if (s === 0 || sides[w + 1] !== s || sides[w + 2] !== s) continue
        if (near[w] + near[w + 1] + near[w + 2] < 2) continue
        if (a < 0) a = w
        b = w + 2
      }
    } else if (c === 7 || c === 8) {
      while (a > 0 && sides[a - 1] === sides[k]) a--
      while (b + 1 < n && sides[b + 1] === sides[k]) b++
    }
    const whole = c >= 3 && c !== 5 && c !== 6 // runs: every point of it with this cause shares it
    for (let j = whole ? a : k; j <= (whole ? b : k); j++) {
      if (cause[j] !== c) continue
      from[offset + j] = offset + a
      to[offset + j] = offset + b
    }
  }
}

/** First and last index of the maximal run through k of values each above (dir 1) or below the one before. */
function monotoneRun(values: ArrayLike<number>, k: number, dir: number): [number, number] {
  let a = k
  let b = k
  while (a > 0 && (dir > 0 ? values[a] > values[a - 1] : values[a] < values[a - 1])) a--
  while (b + 1 < values.length && (dir > 0 ? values[b + 1] > values[b] : values[b + 1] < values[b])) b++
  return [a, b]
}

/**
 * The indices of the points that make a signal (0-based, into the result's `points`).
 * @example signalPoints({ rule: 'shift_above', from: 3, to: 9 }) // [3, 4, 5, 6, 7, 8, 9]
 */
export function signalPoints(signal: PointSignal | RunsSignal | null): number[] {
  if (signal === null) return []
  if ('points' in signal) return [...signal.points]
  return Array.from({ length: signal.to - signal.from + 1 }, (_, i) => signal.from + i)
}

/**
 * The Anhøj runs signal of one period with the points of its first longest run: `values` are the
 * period's points that are not excluded, `indices` their indices in the series. Values that are
 * missing or on the centre are skipped (SPEC 3.4). Null when there is no signal.
 * @example runsSignalOf([1, 5, 5, 5], [0, 1, 2, 3], 2, 'longest_run')
 * // { rule: 'longest_run', points: [1, 2, 3] }
 */
export function runsSignalOf(
  values: ArrayLike<number>,
  indices: ArrayLike<number>,
  centre: number,
  rule: RunsSignalRule | null,
): RunsSignal | null {
  if (rule === null) return null
  let bestStart = -1
  let bestLength = 0
  let start = -1
  let length = 0
  let side = 0
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - centre
    const s = d > 0 ? 1 : d < 0 ? -1 : 0
    if (s === 0) continue
    if (s === side) length++
    else {
      side = s
      start = i
      length = 1
    }
    if (length > bestLength) {
      bestLength = length
      bestStart = start
    }
  }
  const points: number[] = []
  for (let i = bestStart, m = 0; i >= 0 && m < bestLength; i++) {
    const d = values[i] - centre
    if (d > 0 || d < 0) {
      points.push(indices[i])
      m++
    }
  }
  return { rule, points }
}

/**
 * The rule set in words, for a chart's caption or text alternative.
 * @example describeRuleSet({ name: 'mdc', shift_n: 7, trend_n: 7 }) // 'Making Data Count rules: shift 7, trend 7'
 * @example describeRuleSet({ name: 'anhoej' }) // 'Anhøj rules: 3-sigma limits, longest run and number of crossings'
 */
export function describeRuleSet(ruleSet: RuleSet): string {
  if (ruleSet.name === 'mdc')
    return `Making Data Count rules: shift ${ruleSet.shift_n}, trend ${ruleSet.trend_n}`
  return 'Anhøj rules: 3-sigma limits, longest run and number of crossings'
}
