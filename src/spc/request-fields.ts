/**
 * The names a request may use, the message for one it may not (with a suggestion when the name
 * is a slip of the keyboard away), and the calendar-date check every dated point goes through.
 * Kept apart from validate.ts, which checks what the fields hold.
 */

/** Fields a request may have: SPEC 1.1, the options of docs/spc.md, and `qi chart`'s annotations. */
export const REQUEST_FIELDS: readonly string[] = [
  'method',
  'chart',
  'points',
  'improvement_direction',
  'target',
  'rebase',
  'baseline',
  'exclude',
  'screen_mr',
  'multiply',
  'shift_n',
  'trend_n',
  'annotations',
]
/** Fields a point may have (SPEC 1.1). */
export const POINT_FIELDS: readonly string[] = ['x', 'y', 'n', 'values']

/**
 * The message for a field nobody reads: names it and, when one of the known fields is a slip of
 * the keyboard away, suggests it (`trnd_n` → `trend_n`).
 */
export function unknownFieldMessage(path: string, key: string, known: readonly string[]): string {
  let best = ''
  let bestDistance = 3
  for (const k of known) {
    const d = editDistance(key, k)
    if (d < bestDistance) {
      best = k
      bestDistance = d
    }
  }
  const hint = best ? ` (did you mean "${best}"?)` : ''
  return `${path}: unknown field${hint}; allowed fields are ${known.join(', ')}`
}

/** Levenshtein distance, for short field names only. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 40) return 99
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[b.length]
}

export function fieldPath(prefix: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && key.length <= 40
    ? `${prefix}${key}`
    : `${prefix}${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}`
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** The digit at `i` of `s` (0–9), or −1 when it is not a digit. */
function digitAt(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48
  return d >= 0 && d <= 9 ? d : -1
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false
  // digits read by char code: this runs once per point, so no slices, arrays or closures
  const y0 = digitAt(s, 0)
  const y1 = digitAt(s, 1)
  const y2 = digitAt(s, 2)
  const y3 = digitAt(s, 3)
  const m0 = digitAt(s, 5)
  const m1 = digitAt(s, 6)
  const d0 = digitAt(s, 8)
  const d1 = digitAt(s, 9)
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return false
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
  const month = m0 * 10 + m1
  const day = d0 * 10 + d1
  if (month < 1 || month > 12 || day < 1) return false
  if (month === 2 && day === 29) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return day <= DAYS_IN_MONTH[month - 1]
}
