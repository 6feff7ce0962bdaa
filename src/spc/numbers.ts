/**
 * A number for the JSON result: NaN and ±Infinity become null (SPEC 1: never NaN or infinities).
 * @example orNull(NaN) // null
 * @example orNull(2.5) // 2.5
 */
export function orNull(v: number): number | null {
  return v - v === 0 ? v : null
}

/**
 * A target trajectory as the request gave it: numbers, and null where it had null (NaN here).
 * @example trajectoryEcho(Float64Array.of(1, NaN)) // [1, null]
 */
export function trajectoryEcho(trajectory: Float64Array | null): (number | null)[] | null {
  return trajectory === null ? null : Array.from(trajectory, (v) => orNull(v))
}
