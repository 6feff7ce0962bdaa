/**
 * Bias-correction constants of subgroup charts (Montgomery, Introduction to Statistical Quality
 * Control, ch. 6), computed from the gamma function as qicharts2 does, so any subgroup size works.
 * Every function returns NaN for n ≤ 1, where the constant is undefined.
 */

const LANCZOS_G = 7
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]
const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI)

/**
 * Natural log of the gamma function, lnΓ(x), for x > 0 (Lanczos approximation, g = 7, about 15
 * significant digits; reflection below 0.5).
 * @example lnGamma(5) // ln(4!) = ln 24 ≈ 3.1780538303479458
 * @example lnGamma(0.5) // ln √π ≈ 0.5723649429247001
 */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x)
  const z = x - 1
  let a = LANCZOS[0]
  const t = z + LANCZOS_G + 0.5
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i)
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a)
}

/**
 * c4(n) = √(2/(n − 1)) · exp(lnΓ(n/2) − lnΓ((n − 1)/2)), the bias of the sample SD: E[s] = c4·σ.
 * @example c4(2) // √(2/π) ≈ 0.7978845608
 * @example c4(5) // ≈ 0.9399856
 */
export function c4(n: number): number {
  if (!(n > 1)) return NaN
  return Math.sqrt(2 / (n - 1)) * Math.exp(lnGamma(n / 2) - lnGamma((n - 1) / 2))
}

/**
 * c5(n) = √(1 − c4(n)²), so that SD(s) = c5·σ.
 * @example c5(2) // ≈ 0.6028102
 */
export function c5(n: number): number {
  if (!(n > 1)) return NaN
  const c = c4(n)
  return Math.sqrt(1 - c * c)
}

/**
 * A3(n) = k / (c4(n)·√n): x̄ chart limits are centre ± A3·s̄ (k = 3 sigma, or 2 for the inner lines).
 * @example a3(5) // ≈ 1.4274
 * @example a3(5, 2) // ≈ 0.9516
 */
export function a3(n: number, k = 3): number {
  if (!(n > 1)) return NaN
  return k / (c4(n) * Math.sqrt(n))
}

/**
 * B3(n) = max(0, 1 − k·c5(n)/c4(n)): lower S chart limit = B3 · s̄.
 * @example b3(5) // 0 (1 − 3 × 0.6413 < 0)
 * @example b3(10) // ≈ 0.2842
 */
export function b3(n: number, k = 3): number {
  if (!(n > 1)) return NaN
  return Math.max(0, 1 - (k * c5(n)) / c4(n))
}

/**
 * B4(n) = 1 + k·c5(n)/c4(n): upper S chart limit = B4 · s̄.
 * @example b4(5) // ≈ 2.0889
 */
export function b4(n: number, k = 3): number {
  if (!(n > 1)) return NaN
  return 1 + (k * c5(n)) / c4(n)
}
