/**
 * Reading the period (date) and the numbers of a data point from text, as typed into a form or
 * found in a CSV, a spreadsheet or a paste from Excel. Dates are UK style (day before month).
 */

/** The ways of writing a date that are accepted; a file must use one of them throughout. */
export type DateFormat = 'iso' | 'iso-month' | 'ymd-slash' | 'dmy' | 'day-month-name' | 'month-name'

export const DATE_FORMAT_EXAMPLES: Record<DateFormat, string> = {
  iso: '2024-04-01',
  'iso-month': '2024-04',
  'ymd-slash': '2024/04/01',
  dmy: '01/04/2024',
  'day-month-name': '1 Apr 2024',
  'month-name': 'Apr 2024',
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

export type PeriodParse = { ok: true; date: string; format: DateFormat } | { ok: false; message: string }

function build(year: number, month: number, day: number, format: DateFormat): PeriodParse {
  if (month < 1 || month > 12)
    return { ok: false, message: 'is not a real date (there is no month ' + month + ')' }
  const date = new Date(Date.UTC(year, month - 1, day))
  if (day < 1 || date.getUTCMonth() !== month - 1 || date.getUTCFullYear() !== year)
    return { ok: false, message: 'is not a real date' }
  return { ok: true, date: date.toISOString().slice(0, 10), format }
}

function monthIndex(name: string): number {
  const lower = name.toLowerCase()
  if (lower.length < 3) return -1
  const i = MONTHS.indexOf(lower.slice(0, 3))
  if (i < 0) return -1
  const full = [
    'january',
    'february',
    'march',
    'april',
    'may',
    'june',
    'july',
    'august',
    'september',
    'october',
    'november',
    'december',
  ][i]
  return full.startsWith(lower) || lower === 'sept' ? i : -1
}

/**
 * Reads a period: 2024-04-01, 2024-04 (first of the month), 2024/04/01, 01/04/2024 (day first),
 * 1 Apr 2024 or Apr 2024 (first of the month). Two-digit years are refused.
 * @example parsePeriod('01/04/2024') // { ok: true, date: '2024-04-01', format: 'dmy' }
 */
export function parsePeriod(input: string): PeriodParse {
  const text = input.trim()
  if (!text) return { ok: false, message: 'is empty: enter a date' }
  let m: RegExpExecArray | null
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?$/.exec(text)))
    return build(Number(m[1]), Number(m[2]), Number(m[3]), 'iso')
  if ((m = /^(\d{4})-(\d{1,2})$/.exec(text))) return build(Number(m[1]), Number(m[2]), 1, 'iso-month')
  if ((m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(text)))
    return build(Number(m[1]), Number(m[2]), Number(m[3]), 'ymd-slash')
  if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text)))
    return build(Number(m[3]), Number(m[2]), Number(m[1]), 'dmy')
  if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$/.test(text))
    return { ok: false, message: 'has a two-digit year: write the year in full, like 01/04/2024' }
  if ((m = /^(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]{3,9})\.?[ ,-]+(\d{4})$/.exec(text))) {
    const month = monthIndex(m[2])
    if (month < 0) return { ok: false, message: 'is not a date we recognise' }
    return build(Number(m[3]), month + 1, Number(m[1]), 'day-month-name')
  }
  if ((m = /^([A-Za-z]{3,9})\.?[ ,-]+(\d{4})$/.exec(text))) {
    const month = monthIndex(m[1])
    if (month < 0) return { ok: false, message: 'is not a date we recognise' }
    return build(Number(m[2]), month + 1, 1, 'month-name')
  }
  return { ok: false, message: 'is not a date we recognise: use a date like 2024-04-01 or 01/04/2024' }
}

export type NumberParse = { ok: true; value: number } | { ok: false; message: string }

/**
 * Reads a number as people type it: 12, -3.5, 1,234 (thousands separators), 85% (the number
 * 85), with spaces around. Formulas, errors (#DIV/0!) and words are refused.
 * @example parseNumber('1,234.5') // { ok: true, value: 1234.5 }
 */
export function parseNumber(input: string): NumberParse {
  const text = input.trim()
  if (!text) return { ok: false, message: 'is empty' }
  if (text.startsWith('=')) return { ok: false, message: 'is a formula: save or paste the values only' }
  if (text.startsWith('#'))
    return { ok: false, message: `is a spreadsheet error (${text.slice(0, 12)}), not a number` }
  const plain = text.replace(/%$/, '').trim()
  if (!/^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][+-]?\d+)?$/.test(plain) && !/^[+-]?\.\d+$/.test(plain))
    return { ok: false, message: 'is not a number' }
  const value = Number(plain.replace(/,/g, ''))
  if (!Number.isFinite(value) || Math.abs(value) > 1e12)
    return { ok: false, message: 'is not a number we can store' }
  return { ok: true, value }
}

// One formatter: toLocaleDateString with options builds a new one each call (about 70 µs).
const shortDay = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
})

/** "April 2024" style label of a YYYY-MM-DD date, for messages. */
export function periodLabel(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  return shortDay.format(new Date(Date.UTC(y, m - 1, d)))
}
