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
 *   is treated as somebody's birth date; (3) text that puts "DOB" or "born" next to a date.
 * - **Postcode**: a UK postcode, with or without the space, in capitals or not
 *   (`GL1 1AA`, `gl11aa`, `SW1A 1AA`), standing on its own.
 */

export type PidKind = 'nhs_number' | 'date_of_birth' | 'postcode'

/** Full dates before this day are treated as possible dates of birth (and are never periods). */
export const BIRTH_DATE_BEFORE = '2000-01-01'

export const PID_MESSAGES: Record<PidKind, string> = {
  nhs_number: 'looks like an NHS number',
  date_of_birth: 'looks like a date of birth',
  postcode: 'looks like a postcode',
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

export function containsNhsNumber(text: string): boolean {
  for (const m of text.matchAll(NHS_CANDIDATE)) {
    if (isValidNhsNumber(`${m[1]}${m[3]}${m[4]}`)) return true
  }
  return false
}

// Outward code (area letters that exist, a district digit and an optional digit or letter), an
// optional space, then the inward code (a digit and two letters that postcodes use).
const POSTCODE = /(?<![A-Z0-9])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![A-Z0-9])/

export function containsPostcode(text: string): boolean {
  return POSTCODE.test(text.toUpperCase())
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

/** Every full date (day, month, year) written in the text, as YYYY-MM-DD. */
export function fullDatesIn(text: string): string[] {
  const found: string[] = []
  for (const m of text.matchAll(/(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g)) {
    const iso = isoOf(Number(m[1]), Number(m[2]), Number(m[3]))
    if (iso) found.push(iso)
  }
  for (const m of text.matchAll(/(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)/g)) {
    const iso = isoOf(Number(m[3]), Number(m[2]), Number(m[1]))
    if (iso) found.push(iso)
  }
  for (const m of text.matchAll(/(?<!\d)(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]{3,9})[ ,-]*(\d{4})(?!\d)/g)) {
    const month = MONTHS.indexOf(m[2].slice(0, 3).toLowerCase())
    if (month < 0) continue
    const iso = isoOf(Number(m[3]), month + 1, Number(m[1]))
    if (iso) found.push(iso)
  }
  return found
}

/** Which kind of patient-identifiable data the text looks like, or null. */
export function screenText(text: string): PidKind | null {
  if (!text) return null
  if (containsNhsNumber(text)) return 'nhs_number'
  const dates = fullDatesIn(text)
  if (dates.some((d) => d < BIRTH_DATE_BEFORE)) return 'date_of_birth'
  if (dates.length && /\b(d\.?o\.?b\.?|born|birth)\b/i.test(text)) return 'date_of_birth'
  if (containsPostcode(text)) return 'postcode'
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
export function screenTable(cells: readonly (readonly string[])[], limit = 200): PidFinding[] {
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
      else kind = screenText(text)
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

/** The message for a single form field, or null: "The text looks like an NHS number…". */
export function screenField(text: string): string | null {
  const kind = screenText(text)
  return kind
    ? `The text ${PID_MESSAGES[kind]}. Enter aggregate information only: no patient details (NHS numbers, dates of birth, postcodes)`
    : null
}
