import type { DataKind } from './policy.js'
import { parseNumber, parsePeriod, type DateFormat } from './periods.js'
import { BIRTH_DATE_BEFORE } from '../core/pid-screen.js'

/** The numbers of one data point, by the measure's kind of data. */
export interface PointValues {
  value: number | null
  numerator: number | null
  denominator: number | null
}

export interface PointInput extends PointValues {
  period: string
}

export type FieldErrors = Record<string, string>

/** The fields a kind of data needs: a value, or a numerator and a denominator. */
export function fieldsFor(kind: DataKind): ('value' | 'numerator' | 'denominator')[] {
  return kind === 'proportion' || kind === 'rate' ? ['numerator', 'denominator'] : ['value']
}

/**
 * Business rules of a data point's numbers (the same for the form, imports and the API):
 * counts and numerators are whole numbers and not negative; denominators are above 0; a
 * proportion's numerator is not above its denominator. Returns the errors by field.
 * @example checkValues('proportion', { value: null, numerator: 12, denominator: 10 }).numerator
 * // 'The numerator (12) is more than the denominator (10)'
 */
export function checkValues(kind: DataKind, v: PointValues): FieldErrors {
  const errors: FieldErrors = {}
  if (kind === 'continuous') {
    if (v.value === null) errors.value = 'Enter a value'
    return errors
  }
  if (kind === 'count') {
    if (v.value === null) errors.value = 'Enter a count'
    else if (v.value < 0) errors.value = 'A count cannot be negative'
    else if (!Number.isInteger(v.value)) errors.value = 'A count must be a whole number'
    return errors
  }
  if (v.numerator === null) errors.numerator = 'Enter a numerator'
  else if (v.numerator < 0) errors.numerator = 'The numerator cannot be negative'
  else if (!Number.isInteger(v.numerator)) errors.numerator = 'The numerator must be a whole number (a count)'
  if (v.denominator === null) errors.denominator = 'Enter a denominator'
  else if (v.denominator < 0) errors.denominator = 'The denominator cannot be negative'
  else if (v.denominator === 0) errors.denominator = 'The denominator cannot be 0'
  else if (kind === 'proportion' && !Number.isInteger(v.denominator))
    errors.denominator = 'The denominator must be a whole number (a count)'
  if (
    kind === 'proportion' &&
    !errors.numerator &&
    !errors.denominator &&
    v.numerator !== null &&
    v.denominator !== null &&
    v.numerator > v.denominator
  )
    errors.numerator = `The numerator (${v.numerator}) is more than the denominator (${v.denominator})`
  return errors
}

/** The latest period accepted: a year ahead of today (plans, not mistakes, may be a little ahead). */
export function latestPeriod(today: string): string {
  const d = new Date(`${today}T00:00:00Z`)
  d.setUTCFullYear(d.getUTCFullYear() + 1)
  return d.toISOString().slice(0, 10)
}

/** Checks a period typed as text: a real date, not before 2000 (see pid-screen), not far ahead. */
export function checkPeriod(
  text: string,
  today: string,
): { ok: true; date: string; format: DateFormat } | { ok: false; message: string } {
  const parsed = parsePeriod(text)
  if (!parsed.ok) return parsed
  if (parsed.date < BIRTH_DATE_BEFORE)
    return {
      ok: false,
      message: `is before ${BIRTH_DATE_BEFORE.slice(0, 4)}: periods must be recent (older dates could be dates of birth)`,
    }
  if (parsed.date > latestPeriod(today)) return { ok: false, message: 'is more than a year in the future' }
  return parsed
}

/** Reads a number field typed as text ('' is null). */
export function numberOrNull(
  text: string | undefined,
): { ok: true; value: number | null } | { ok: false; message: string } {
  if (text === undefined || text.trim() === '') return { ok: true, value: null }
  const parsed = parseNumber(text)
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, message: parsed.message }
}

/** The plotted value of a point before any "show as" multiplier: y, or numerator ÷ denominator. */
export function rawValueOf(kind: DataKind, p: PointValues): number | null {
  if (kind === 'proportion' || kind === 'rate') {
    if (p.numerator === null || p.denominator === null || p.denominator === 0) return null
    return p.numerator / p.denominator
  }
  return p.value
}
