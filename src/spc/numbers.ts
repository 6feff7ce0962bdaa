/**
 * A number for the JSON result: NaN and ±Infinity become null (SPEC 1: never NaN or infinities).
 * @example orNull(NaN) // null
 * @example orNull(2.5) // 2.5
 */
export function orNull(v: number): number | null {
  return v - v === 0 ? v : null
}
