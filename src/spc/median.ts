/**
 * Median of the non-missing values: the middle value, or the mean of the two middle values
 * (R's `median(x, na.rm = TRUE)`). NaN when there are no values. Runs in linear time
 * (quickselect), so a run chart of a million points does not pay for a full sort.
 * @example median([5, 1, NaN, 3]) // 3
 * @example median([4, 1, 3, 2]) // 2.5
 */
export function median(values: ArrayLike<number>): number {
  let n = 0
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++
  if (n === 0) return NaN
  const a = new Float64Array(n)
  let j = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v === v) a[j++] = v
  }
  const half = n >> 1
  if (n % 2 === 1) return select(a, half)
  const lo = select(a, half - 1)
  // after selecting index half-1, every value to its right is ≥ it: the upper middle is their minimum
  let hi = Infinity
  for (let i = half; i < n; i++) if (a[i] < hi) hi = a[i]
  // R: mean(c(lo, hi)). Halving is exact in binary, so (lo + hi) / 2 is the correctly rounded midpoint
  const mid = (lo + hi) / 2
  return Number.isFinite(mid) ? mid : lo / 2 + hi / 2
}

/** Rearranges `a` so that a[k] is the k-th smallest value, smaller ones before it (Hoare's quickselect). */
function select(a: Float64Array, k: number): number {
  let left = 0
  let right = a.length - 1
  while (right > left) {
    // median of three as pivot keeps sorted and constant input linear
    const mid = (left + right) >>> 1
    if (a[mid] < a[left]) swap(a, mid, left)
    if (a[right] < a[left]) swap(a, right, left)
    if (a[right] < a[mid]) swap(a, right, mid)
    const pivot = a[mid]
    let i = left
    let j = right
    while (i <= j) {
      while (a[i] < pivot) i++
      while (a[j] > pivot) j--
      if (i <= j) {
        swap(a, i, j)
        i++
        j--
      }
    }
    if (k <= j) right = j
    else if (k >= i) left = i
    else return a[k]
  }
  return a[k]
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]
  a[i] = a[j]
  a[j] = t
}
