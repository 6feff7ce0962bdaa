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
  shiftN: number
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
  const { values, sides, near, cause, trendN, shiftN, offset } = input
  const n = values.length
  const set = (k: number, a: number, b: number): void => {
    from[offset + k] = offset + a
    to[offset + k] = offset + b
  }
  for (let k = 0; k < n; k++) if (cause[k] === 1 || cause[k] === 2) set(k, k, k)

  // trends: maximal strictly monotone runs, first in the labelled direction, then the other
  for (const pass of [0, 1]) {
    for (const dir of [1, -1]) {
      let a = 0
      for (let k = 1; k <= n; k++) {
        const step = k < n && (dir > 0 ? values[k] > values[k - 1] : values[k] < values[k - 1])
        if (step) continue
        if (k - a >= trendN) {
          const label = dir > 0 ? 3 : 4
          for (let j = a; j < k; j++) {
            const c = cause[j]
            const wanted = pass === 0 ? c === label : (c === 3 || c === 4) && from[offset + j] < 0
            if (wanted) set(j, a, k - 1)
          }
        }
        a = k
      }
    }
  }

  // two-in-three: union of the qualifying windows that contain the point
  for (let w = 0; w + 2 < n; w++) {
    const s = sides[w]
    if (s === 0 || sides[w + 1] !== s || sides[w + 2] !== s) continue
    if (near[w] + near[w + 1] + near[w + 2] < 2) continue
    for (let j = w; j < w + 3; j++) {
      if (cause[j] !== 5 && cause[j] !== 6) continue
      if (from[offset + j] < 0) set(j, w, w + 2)
      else to[offset + j] = offset + w + 2
    }
  }

  // shifts: maximal runs on one side of the centre
  let a = 0
  for (let k = 1; k <= n; k++) {
    if (k < n && sides[k] !== 0 && sides[k] === sides[k - 1]) continue
    if (k - a >= shiftN && sides[a] !== 0) {
      for (let j = a; j < k; j++) if (cause[j] === 7 || cause[j] === 8) set(j, a, k - 1)
    }
    a = k
  }
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
