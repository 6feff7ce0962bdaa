import type { DataKind } from './policy.js'
import { DATE_FORMAT_EXAMPLES, parseNumber, parsePeriod, periodLabel, type DateFormat } from './periods.js'
import { checkPeriod, checkValues, fieldsFor, type PointInput } from './points.js'
import { columnLetter } from '../core/pid-screen.js'

/** Which column holds what (0-based), and whether the first row is a heading. */
export interface ImportMapping {
  hasHeader: boolean
  date: number
  /** The value (continuous data, counts) or the numerator (proportions, rates). */
  first: number
  /** The denominator (proportions, rates); ignored otherwise. */
  second: number
}

export interface RowError {
  /** 1-based row of the file. */
  row: number
  message: string
}

export interface ImportRow extends PointInput {
  row: number
  /** True when it replaces a value already entered for the period. */
  replaces: boolean
}

export interface ImportCheck {
  rows: ImportRow[]
  errors: RowError[]
  /** Problems with the whole file (mixed date formats): nothing can be imported. */
  fileErrors: string[]
  columns: { index: number; label: string }[]
}

const DATE_HEADING = /date|month|week|period|day|year|quarter/i

/** Is the first row a heading? Yes when its date cell is not a date. */
export function detectHeader(cells: readonly (readonly string[])[]): boolean {
  const first = cells[0] ?? []
  return !first.some((c) => parsePeriod(c).ok)
}

/** The columns as the preview offers them: "A: month", "B: n"… */
export function columnsOf(
  cells: readonly (readonly string[])[],
  hasHeader: boolean,
): { index: number; label: string }[] {
  const width = Math.max(0, ...cells.slice(0, 50).map((r) => r.length))
  return Array.from({ length: width }, (_, i) => ({
    index: i,
    label:
      hasHeader && cells[0]?.[i]
        ? `${columnLetter(i + 1)}: ${cells[0][i].slice(0, 40)}`
        : `Column ${columnLetter(i + 1)}`,
  }))
}

/**
 * A first guess at the mapping: a heading row when the first row has no date; the date in the
 * first column whose heading says date/month/week/period (else the first column); the value, or
 * numerator and denominator, in the next columns that hold numbers.
 */
export function defaultMapping(cells: readonly (readonly string[])[], _kind?: DataKind): ImportMapping {
  const hasHeader = detectHeader(cells)
  const header = hasHeader ? cells[0] : []
  const sample = cells.slice(hasHeader ? 1 : 0, (hasHeader ? 1 : 0) + 20)
  const width = Math.max(0, ...cells.slice(0, 50).map((r) => r.length))
  let date = header.findIndex((h) => DATE_HEADING.test(h))
  if (date < 0) date = 0
  const numeric: number[] = []
  for (let c = 0; c < width; c++) {
    if (c === date) continue
    // A column of numbers (a few bad cells are the preview's business, not the guess's).
    const numbers = sample.filter((r) => parseNumber(r[c] ?? '').ok).length
    if (sample.length && numbers * 2 >= sample.length) numeric.push(c)
  }
  const others = Array.from({ length: width }, (_, i) => i).filter((i) => i !== date)
  const first = numeric[0] ?? others[0] ?? 1
  const second = numeric[1] ?? others.find((i) => i !== first) ?? 2
  return { hasHeader, date, first, second }
}

/**
 * Checks every row of an import against the measure, without storing anything: each row's date
 * (a real date, one format for the whole file), its numbers (by the kind of data), duplicate
 * periods in the file, and periods already entered (refused unless `replace`).
 * All-or-nothing: the caller imports only when `errors` and `fileErrors` are both empty.
 */
export function checkImport(
  cells: readonly (readonly string[])[],
  kind: DataKind,
  mapping: ImportMapping,
  options: { existingPeriods: ReadonlySet<string>; replace: boolean; today: string },
): ImportCheck {
  const rows: ImportRow[] = []
  const errors: RowError[] = []
  const fileErrors: string[] = []
  const firstFormatRow = new Map<DateFormat, number>()
  const seen = new Map<string, number>()
  const two = fieldsFor(kind).length > 1
  const start = mapping.hasHeader ? 1 : 0
  if (cells.length - start === 0) fileErrors.push('There are no rows of data below the heading.')
  for (let r = start; r < cells.length; r++) {
    const row = cells[r]
    const n = r + 1
    const problems: string[] = []
    const dateText = row[mapping.date] ?? ''
    const period = checkPeriod(dateText, options.today)
    let date: string | null = null
    if (!period.ok) problems.push(`the date "${dateText.slice(0, 30)}" ${period.message}`)
    else {
      date = period.date
      if (!firstFormatRow.has(period.format)) firstFormatRow.set(period.format, n)
      const earlier = seen.get(date)
      if (earlier !== undefined)
        problems.push(`${periodLabel(date)} is already in row ${earlier} (each period once)`)
      else seen.set(date, n)
      if (options.existingPeriods.has(date) && !options.replace)
        problems.push(
          `this measure already has a value for ${periodLabel(date)} (tick "replace" to update it, or leave the row out)`,
        )
    }
    const read = (index: number, name: string): number | null => {
      const text = row[index] ?? ''
      const parsed = parseNumber(text)
      if (!parsed.ok) {
        problems.push(`the ${name} "${text.slice(0, 30)}" ${parsed.message}`)
        return null
      }
      return parsed.value
    }
    const values = two
      ? {
          value: null,
          numerator: read(mapping.first, 'numerator'),
          denominator: read(mapping.second, 'denominator'),
        }
      : {
          value: read(mapping.first, kind === 'count' ? 'count' : 'value'),
          numerator: null,
          denominator: null,
        }
    const readable = two ? values.numerator !== null && values.denominator !== null : values.value !== null
    if (readable)
      for (const message of Object.values(checkValues(kind, values))) problems.push(lowerFirst(message))
    if (problems.length) errors.push({ row: n, message: `Row ${n}: ${problems.join('; ')}` })
    else if (date) rows.push({ row: n, period: date, ...values, replaces: options.existingPeriods.has(date) })
  }
  if (firstFormatRow.size > 1) {
    const used = [...firstFormatRow.entries()].sort((a, b) => a[1] - b[1])
    fileErrors.push(
      `The dates are written in more than one format (${used
        .map(([format, row]) => `like ${DATE_FORMAT_EXAMPLES[format]} from row ${row}`)
        .join(', ')}). Write every date the same way, then upload the file again: nothing has been imported.`,
    )
  }
  return { rows, errors, fileErrors, columns: columnsOf(cells, mapping.hasHeader) }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1)
}
