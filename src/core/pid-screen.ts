/**
 * Screening for patient-identifiable data (DOMAIN.md §5.1). Measures hold aggregate data only,
 * so any text that looks like an NHS number, a date of birth or a postcode is refused, with the
 * row and column named (and the value itself never repeated back).
 *
 * What counts, precisely:
 * - **NHS number**: 10 digits on their own (not part of a longer number or a decimal), written
 *   together or spaced 3-3-4 with spaces or hyphens, whose 10th digit is the modulus-11 check
 *   digit of the first nine.
 * - **Date of birth**: (1) a column heading that names one (DOB, D.O.B., date of birth, birth
 *   date, birthdate, born); (2) any full date (day, month and year) before 1 January 2000,
 *   `BIRTH_DATE_BEFORE`: measurement periods on this platform are recent, so an older full date
 *   is treated as somebody's birth date; (3) text that puts "DOB", "d.o.b.", "date of birth" or
 *   "born" within `BIRTH_NEAR` characters of a full date.
 * - **Postcode**: a UK postcode, with or without the space, in capitals or not
 *   (`GL1 1AA`, `gl11aa`, `SW1A 1AA`), standing on its own. A ward name such as "GL1 ward" is
 *   not one: a full postcode needs its inward code (a digit and two letters).
 * - **Hospital number**: any of the patterns an IG lead configured (see `hospital-patterns.ts`),
 *   passed in by the caller.
 * - **Patient's name**: a title (Mr, Mrs, Ms, Miss, Mx, Master) or the word "patient" followed
 *   by a capitalised name, within `NAME_NEAR` characters of any full date or of one of the
 *   identifiers above. "Patient Safety Week on 12/03/2026" is not one: common words after
 *   "patient" (safety, experience, flow…) are not names.
 */

import type { HospitalPattern } from './hospital-patterns.js'

export type PidKind = 'nhs_number' | 'date_of_birth' | 'postcode' | 'hospital_number' | 'patient_name'

/** Full dates before this day are treated as possible dates of birth (and are never periods). */
export const BIRTH_DATE_BEFORE = '2000-01-01'

export const PID_MESSAGES: Record<PidKind, string> = {
  nhs_number: 'looks like an NHS number',
  date_of_birth: 'looks like a date of birth',
  postcode: 'looks like a postcode',
  hospital_number: 'looks like a hospital number',
  patient_name: "looks like a patient's name next to a date or an identifier",
}

/** What a form field's message says was found: "this looks like it contains an NHS number". */
export const PID_FOUND: Record<PidKind, string> = {
  nhs_number: 'an NHS number',
  date_of_birth: 'a date of birth',
  postcode: 'a postcode',
  hospital_number: 'a hospital number',
  patient_name: "a patient's name next to a date or an identifier",
}

/**
 * True when the 10 digits pass the NHS number modulus-11 check: weights 10 down to 2 on the
 * first nine digits; 11 minus the remainder of the sum by 11 is the check digit (11 means 0;
 * 10 means the number is invalid).
 * @example isValidNhsNumber('9434765919') // true
 */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i)
  const check = 11 - (sum % 11)
  const expected = check === 11 ? 0 : check
  return expected !== 10 && expected === Number(digits[9])
}

// 10 digits, or 3-3-4 separated by one space or hyphen, not touching other digits or a decimal mark.
const NHS_CANDIDATE = /(?<![\d.,])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d]|[.,]\d)/g

interface Span {
  start: number
  end: number
}

function nhsNumberSpans(text: string): Span[] {
  const spans: Span[] = []
  for (const m of text.matchAll(NHS_CANDIDATE)) {
    if (isValidNhsNumber(`${m[1]}${m[3]}${m[4]}`)) spans.push({ start: m.index, end: m.index + m[0].length })
  }
  return spans
}

export function containsNhsNumber(text: string): boolean {
  return nhsNumberSpans(text).length > 0
}

// Outward code (area letters that exist, a district digit and an optional digit or letter), an
// optional space, then the inward code (a digit and two letters that postcodes use).
const POSTCODE =
  /(?<![A-Z0-9])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![A-Z0-9])/g

function postcodeSpans(text: string): Span[] {
  // Upper-casing keeps every index: postcodes are ASCII, and other letters keep their length here.
  return [...text.toUpperCase().matchAll(POSTCODE)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
  }))
}

export function containsPostcode(text: string): boolean {
  return postcodeSpans(text).length > 0
}

const BIRTH_HEADING =
  /(^|[^a-z])(d\.?\s?o\.?\s?b\.?|date[\s_-]*of[\s_-]*birth|birth[\s_-]*date|birthdate|born)([^a-z]|$)/i
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/** True when a column heading names a date of birth ("DOB", "Date of birth", "birth_date"). */
export function isBirthDateHeading(text: string): boolean {
  return BIRTH_HEADING.test(text.trim())
}

function isoOf(year: number, month: number, day: number): string | null {
  if (year < 1000 || month < 1 || month > 12 || day < 1) return null
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCMonth() !== month - 1) return null
  return date.toISOString().slice(0, 10)
}

interface DateSpan extends Span {
  iso: string
}

function dateSpans(text: string): DateSpan[] {
  const found: DateSpan[] = []
  const add = (m: RegExpExecArray | RegExpMatchArray, iso: string | null) => {
    if (iso) found.push({ iso, start: m.index ?? 0, end: (m.index ?? 0) + m[0].length })
  }
  for (const m of text.matchAll(/(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g))
    add(m, isoOf(Number(m[1]), Number(m[2]), Number(m[3])))
  for (const m of text.matchAll(/(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)/g))
    add(m, isoOf(Number(m[3]), Number(m[2]), Number(m[1])))
  for (const m of text.matchAll(/(?<!\d)(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]{3,9})[ ,-]*(\d{4})(?!\d)/g)) {
    const month = MONTHS.indexOf(m[2].slice(0, 3).toLowerCase())
    if (month >= 0) add(m, isoOf(Number(m[3]), month + 1, Number(m[1])))
  }
  return found.sort((a, b) => a.start - b.start)
}

/** Every full date (day, month, year) written in the text, as YYYY-MM-DD, in the order written. */
export function fullDatesIn(text: string): string[] {
  return dateSpans(text).map((d) => d.iso)
}

/** How close (in characters) a name and a date or identifier must be. */
export const NAME_NEAR = 40
/** How close a birth word ("born", "DOB") and a date must be: "born on 1 May 2015", not a sentence away. */
export const BIRTH_NEAR = 20

const BIRTH_WORD = /(?<![a-z])(?:d\.?\s?o\.?\s?b|date\s+of\s+birth|born|birth\s*date|birthdate)(?![a-z])/gi

// Words that follow "patient" in ordinary QI writing and are not anybody's name.
const NOT_NAMES = new Set(
  `safety experience experiences flow flows first care centred centered voice voices story stories
  partner partners participation panel panels group groups forum council leaders leader leadership
  engagement liaison advice advisory reported records record portal transport journey journeys
  pathway pathways outcome outcomes feedback satisfaction involvement representative representatives
  and or of the a an on in at to for with from by is was were are be been list lists numbers number
  information info data admin administration access demand discharge discharges safe services
  service survey surveys education support level management tracking`.split(/\s+/),
)

const TITLED_NAME = /(?<![A-Za-z])(?:Mr|Mrs|Ms|Miss|Mx|Master)\.?\s+[A-Z][A-Za-z'’-]+/g
const PATIENT_NAME = /(?<![A-Za-z])[Pp]atient:?\s+(?:(?:Mr|Mrs|Ms|Miss|Mx|Master)\.?\s+)?([A-Z][A-Za-z'’-]+)/g

function nameSpans(text: string): Span[] {
  const spans: Span[] = []
  for (const m of text.matchAll(TITLED_NAME)) spans.push({ start: m.index, end: m.index + m[0].length })
  for (const m of text.matchAll(PATIENT_NAME)) {
    if (!NOT_NAMES.has(m[1].toLowerCase())) spans.push({ start: m.index, end: m.index + m[0].length })
  }
  return spans
}

const near = (a: Span, b: Span, distance = NAME_NEAR) =>
  a.start - b.end <= distance && b.start - a.end <= distance

function hospitalNumberSpans(text: string, patterns: readonly HospitalPattern[]): Span[] {
  const spans: Span[] = []
  for (const p of patterns) {
    for (const m of text.matchAll(p.regex)) spans.push({ start: m.index, end: m.index + m[0].length })
  }
  return spans
}

/**
 * Which kind of patient-identifiable data the text looks like, or null. `patterns` are the
 * hospital-number patterns an IG lead configured (none when left out).
 * @example screenText('Patient Mr Smith NHS number 943 476 5919') // 'nhs_number'
 * @example screenText('Team meeting on 12/03/2026') // null
 */
export function screenText(text: string, patterns: readonly HospitalPattern[] = []): PidKind | null {
  if (!text) return null
  const nhs = nhsNumberSpans(text)
  if (nhs.length) return 'nhs_number'
  const hospital = hospitalNumberSpans(text, patterns)
  if (hospital.length) return 'hospital_number'
  const dates = dateSpans(text)
  if (dates.some((d) => d.iso < BIRTH_DATE_BEFORE)) return 'date_of_birth'
  if (dates.length) {
    const births = [...text.matchAll(BIRTH_WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length }))
    if (births.some((b) => dates.some((d) => near(b, d, BIRTH_NEAR)))) return 'date_of_birth'
  }
  const postcodes = postcodeSpans(text)
  if (postcodes.length) return 'postcode'
  const names = nameSpans(text)
  if (names.length && names.some((n) => [...dates, ...postcodes].some((d) => near(n, d))))
    return 'patient_name'
  return null
}

export interface PidFinding {
  kind: PidKind
  /** 1-based row of the file (the heading row is row 1 when there is one). */
  row: number
  /** 1-based column. */
  column: number
  /** "Row 4, column B looks like an NHS number": never the value itself. */
  message: string
}

/** A, B, …, Z, AA, AB… as in a spreadsheet. */
export function columnLetter(column: number): string {
  let n = column
  let out = ''
  while (n > 0) {
    const r = (n - 1) % 26
    out = String.fromCharCode(65 + r) + out
    n = Math.floor((n - 1) / 26)
  }
  return out
}

/**
 * Screens every cell of a table (rows of text cells, as read from a file or a paste). A heading
 * that names a date of birth refuses its column. Returns every finding, in row order.
 * @example screenTable([['month', 'count'], ['2024-01-01', '943 476 5919']])[0].message
 * // 'Row 2, column B looks like an NHS number'
 */
export function screenTable(
  cells: readonly (readonly string[])[],
  limit = 200,
  patterns: readonly HospitalPattern[] = [],
): PidFinding[] {
  const findings: PidFinding[] = []
  const birthColumns = new Set<number>()
  const first = cells[0] ?? []
  first.forEach((cell, c) => {
    if (isBirthDateHeading(cell)) birthColumns.add(c)
  })
  for (let r = 0; r < cells.length && findings.length < limit; r++) {
    const row = cells[r]
    for (let c = 0; c < row.length; c++) {
      const text = row[c]
      let kind: PidKind | null = null
      if (r === 0 && birthColumns.has(c)) {
        findings.push({
          kind: 'date_of_birth',
          row: 1,
          column: c + 1,
          message: `Row 1, column ${columnLetter(c + 1)}: the heading names dates of birth`,
        })
        continue
      }
      if (r > 0 && birthColumns.has(c) && text.trim() !== '') kind = 'date_of_birth'
      else kind = screenText(text, patterns)
      if (kind)
        findings.push({
          kind,
          row: r + 1,
          column: c + 1,
          message: `Row ${r + 1}, column ${columnLetter(c + 1)} ${PID_MESSAGES[kind]}`,
        })
    }
  }
  return findings
}

/**
 * The message for a form field, or null. It names the field and what was found, never the value:
 * "Problem statement: this looks like it contains an NHS number. Remove patient details…".
 */
export function pidMessage(fieldLabel: string, kind: PidKind): string {
  return `${fieldLabel}: this looks like it contains ${PID_FOUND[kind]}. Remove patient details (NHS numbers, hospital numbers, dates of birth, postcodes and patient names): this platform holds no patient data`
}

/** The message for a single form field, or null. */
export function screenField(
  text: string,
  fieldLabel = 'The text',
  patterns: readonly HospitalPattern[] = [],
): string | null {
  const kind = screenText(text, patterns)
  return kind ? pidMessage(fieldLabel, kind) : null
}

/**
 * The first string anywhere in a parsed JSON body that screening refuses, with its path
 * ("points.2.period"), or null. For API routes, whose bodies are not read through the form helpers.
 */
export function findPidIn(
  value: unknown,
  patterns: readonly HospitalPattern[] = [],
  path: string[] = [],
): { path: string; kind: PidKind } | null {
  if (typeof value === 'string') {
    const kind = screenText(value, patterns)
    return kind ? { path: path.join('.'), kind } : null
  }
  if (path.length > 10 || value === null || typeof value !== 'object') return null
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value)
  for (const [k, v] of entries) {
    const found = findPidIn(v, patterns, [...path, k])
    if (found) return found
  }
  return null
}
