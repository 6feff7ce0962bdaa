import assert from 'node:assert/strict'
import type { AnhoejResult, MdcResult, SpcResult } from './types.js'

/** Asserts |actual − expected| ≤ 1e-9 or ≤ 1e-9 relative (hand-computed values carry more digits). */
export function near(actual: number | null | undefined, expected: number, message = ''): void {
  assert.ok(
    typeof actual === 'number',
    `${message} expected a number near ${expected}, got ${String(actual)}`,
  )
  const diff = Math.abs(actual - expected)
  assert.ok(
    diff <= 1e-9 || diff <= 1e-9 * Math.abs(expected),
    `${message} expected ${expected}, got ${actual}`,
  )
}

export function asMdc(result: SpcResult): MdcResult {
  assert.ok(result.ok, `expected ok, got ${result.ok ? '' : result.error}`)
  assert.equal(result.method, 'mdc')
  return result
}

export function asAnhoej(result: SpcResult): AnhoejResult {
  assert.ok(result.ok, `expected ok, got ${result.ok ? '' : result.error}`)
  assert.equal(result.method, 'anhoej')
  return result
}

/** Points with x = 1, 2, … and the given y values (null = missing). */
export function series(ys: (number | null)[]): { x: number; y: number | null }[] {
  return ys.map((y, i) => ({ x: i + 1, y }))
}

/** Monthly dated points from 2020-01-01. */
export function monthly(ys: (number | null)[]): { x: string; y: number | null }[] {
  return ys.map((y, i) => ({
    x: `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`,
    y,
  }))
}

/** Asserts a point's five lines: centre, centre ∓ outer (lcl, ucl), centre ∓ inner (2-sigma lines). */
export function nearLines(
  point: {
    centre: number | null
    lcl: number | null
    ucl: number | null
    lcl_2sigma: number | null
    ucl_2sigma: number | null
  },
  centre: number,
  outer: number,
  inner: number,
): void {
  near(point.centre, centre, 'centre')
  near(point.lcl, centre - outer, 'lcl')
  near(point.ucl, centre + outer, 'ucl')
  near(point.lcl_2sigma, centre - inner, 'lcl_2sigma')
  near(point.ucl_2sigma, centre + inner, 'ucl_2sigma')
}
