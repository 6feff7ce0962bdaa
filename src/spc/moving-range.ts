import { mean, meanBelow } from './mean.js'

/** Nelson's (1982) screening factor: moving ranges at or above 3.267 × AMR are left out. */
export const MR_SCREEN_FACTOR = 3.267

/** d2 for subgroups of two: σ̂ = AMR / 1.128 (qicharts2). */
export const D2 = 1.128

/**
 * Moving ranges |x_k − x_(k−1)| of consecutive values. A pair with a missing (NaN) value
 * gives NaN: a moving range never bridges a gap. The result has one fewer element.
 * @example movingRanges([1, 3, NaN, 4, 2]) // Float64Array [2, NaN, NaN, 2]
 */
export function movingRanges(values: ArrayLike<number>): Float64Array {
  const n = values.length
  const out = new Float64Array(n > 0 ? n - 1 : 0)
  for (let k = 1; k < n; k++) out[k - 1] = Math.abs(values[k] - values[k - 1])
  return out
}

/**
 * Average moving range AMR = mean of the moving ranges (NaN ones skipped). With `screen`, moving
 * ranges not strictly below 3.267 × AMR are dropped and AMR is recomputed once (SPEC 2.1 step 4,
 * 3.2). NaN when no moving range is left (too few values, or a constant series with screening).
 * @example averageMovingRange([1, 1, 1, 1, 1, 1, 1, 10], false) // 17 / 8 = 2.125
 * @example averageMovingRange([1, 1, 1, 1, 1, 1, 1, 10], true) // 10 ≥ 3.267 × 2.125 = 6.94 is dropped: 1
 */
export function averageMovingRange(ranges: ArrayLike<number>, screen: boolean): number {
  const amr = mean(ranges)
  if (!screen || amr !== amr) return amr
  return meanBelow(ranges, MR_SCREEN_FACTOR * amr)
}
