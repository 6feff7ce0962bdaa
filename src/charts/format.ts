import type { XValue } from '../spc/index.js'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const MONTHS_LONG = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

/** Milliseconds since the epoch of a `YYYY-MM-DD` date (UTC), or the number itself. */
export function xPosition(x: XValue): number {
  if (typeof x === 'number') return x
  return Date.UTC(Number(x.slice(0, 4)), Number(x.slice(5, 7)) - 1, Number(x.slice(8, 10)))
}

/**
 * How to label x values: months ("Mar 2024") when every date is the first of a month, days
 * ("22 Mar 2021") for other dates, plain numbers otherwise.
 */
export type XStyle = 'month' | 'day' | 'number'

export function xStyleOf(xs: readonly XValue[]): XStyle {
  if (xs.length === 0 || typeof xs[0] === 'number') return 'number'
  return xs.every((x) => typeof x === 'string' && x.endsWith('-01')) ? 'month' : 'day'
}

/**
 * Short label of an x value.
 * @example formatX('2024-03-01', 'month') // 'Mar 2024'
 * @example formatX('2021-03-22', 'day') // '22 Mar 2021'
 */
export function formatX(x: XValue, style: XStyle): string {
  if (typeof x === 'number') return formatNumber(x)
  const month = MONTHS[Number(x.slice(5, 7)) - 1]
  if (style === 'month') return `${month} ${x.slice(0, 4)}`
  return `${Number(x.slice(8, 10))} ${month} ${x.slice(0, 4)}`
}

/**
 * Long label of an x value for sentences.
 * @example formatXLong('2024-03-01', 'month') // 'March 2024'
 */
export function formatXLong(x: XValue, style: XStyle): string {
  if (typeof x === 'number') return `point ${formatNumber(x)}`
  const month = MONTHS_LONG[Number(x.slice(5, 7)) - 1]
  if (style === 'month') return `${month} ${x.slice(0, 4)}`
  return `${Number(x.slice(8, 10))} ${month} ${x.slice(0, 4)}`
}

/**
 * A number for people: up to 4 significant digits, no trailing zeros, thousands separated.
 * @example formatNumber(1234.5678) // '1,235'
 * @example formatNumber(0.0904109589) // '0.09041'
 */
export function formatNumber(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '–'
  if (v === 0) return '0'
  const abs = Math.abs(v)
  const digits = abs >= 1000 ? 0 : Math.max(0, 3 - Math.floor(Math.log10(abs)))
  return v.toLocaleString('en-GB', { maximumFractionDigits: Math.min(digits, 6), useGrouping: true })
}

/**
 * "Nice" axis ticks covering [min, max] with steps of 1, 2, 2.5 or 5 × 10^k (about `count` ticks).
 * @example niceTicks(0, 10, 5) // [0, 2, 4, 6, 8, 10]
 */
export function niceTicks(min: number, max: number, count = 6): number[] {
  if (!(max > min)) return [min]
  const raw = (max - min) / Math.max(1, count - 1)
  const power = Math.pow(10, Math.floor(Math.log10(raw)))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power
  const first = Math.ceil(min / step - 1e-9) * step
  const ticks: number[] = []
  for (let v = first; v <= max + step * 1e-9; v += step)
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)))
  return ticks
}
