/**
 * Sums and means that agree with R's to the last bit in practice. R accumulates in long double
 * and corrects the mean with a second pass; a compensated (Neumaier) sum plus the same second
 * pass gives the correctly rounded result in double precision, so a value that R finds exactly
 * on the mean is on the mean here too (that matters for the "side of the centre" rules).
 * Missing values are NaN and are skipped.
 */

/**
 * Compensated sum Σx_i of the non-missing values (Neumaier 1974); 0 when there are none.
 * @example sum([0.1, 0.2, 0.3]) // 0.6
 */
export function sum(values: ArrayLike<number>): number {
  let s = 0
  let c = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v !== v) continue
    const t = s + v
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s
    s = t
  }
  return s + c
}

/** Number of non-missing (non-NaN) values. */
export function countPresent(values: ArrayLike<number>): number {
  let n = 0
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++
  return n
}

/**
 * Arithmetic mean x̄ = Σx_i / n of the non-missing values, refined as R does:
 * x̄ ← x̄ + Σ(x_i − x̄) / n. NaN when there are no values (a data problem, not misuse).
 * @example mean([1, 2, NaN, 3]) // 2
 */
export function mean(values: ArrayLike<number>): number {
  return meanBelow(values, NaN)
}

/**
 * The same mean over the values strictly below `limit` only (every value when `limit` is NaN):
 * the screened average moving range without copying the kept ranges into an array of their own.
 * @example meanBelow([1, 1, 10], 5) // 1
 */
export function meanBelow(values: ArrayLike<number>, limit: number): number {
  let n = 0
  let s = 0
  let c = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v !== v || v >= limit) continue
    n++
    const t = s + v
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s
    s = t
  }
  if (n === 0) return NaN
  let m = (s + c) / n
  if (!Number.isFinite(m)) return m
  s = 0
  c = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v !== v || v >= limit) continue
    const d = v - m
    const t = s + d
    c += Math.abs(s) >= Math.abs(d) ? s - t + d : d - t + s
    s = t
  }
  m += (s + c) / n
  return m
}
