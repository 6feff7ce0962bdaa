import { z, type ZodError } from 'zod'
import { pidMessage, screenText } from '../core/pid-screen.js'
import { screeningPatterns } from '../core/screening-context.js'
import type { FieldErrors } from '../core/errors.js'

/** First message for each field, keyed by the field's name (dots for nested paths). */
export function fieldErrors(error: ZodError): FieldErrors {
  const out: FieldErrors = {}
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_form'
    if (!(key in out)) out[key] = issue.message
  }
  return out
}

/** NHS.UK error summary items, in form order, linking to each field by id. */
export function errorList(errors: FieldErrors, order: string[] = []): { text: string; href: string }[] {
  const keys = [...order.filter((k) => k in errors), ...Object.keys(errors).filter((k) => !order.includes(k))]
  return keys.map((k) => ({ text: errors[k], href: `#${k.replace(/\./g, '-')}` }))
}

const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value)

/**
 * Refuses text that looks like patient-identifiable data (DOMAIN.md §5.1), naming the field
 * and what was found, never the value. The hospital-number patterns are the ones the IG lead
 * configured, loaded for this request (see core/screening-context.ts).
 */
function screened(label: string) {
  return (value: string, ctx: z.RefinementCtx) => {
    const kind = screenText(value, screeningPatterns())
    if (kind) ctx.addIssue({ code: 'custom', message: pidMessage(capitalise(label), kind) })
  }
}

function required(label: string, max: number, min: number) {
  return z
    .string({ error: `Enter ${label}` })
    .min(min, {
      error: min > 1 ? `${capitalise(label)} must be ${min} characters or more` : `Enter ${label}`,
    })
    .max(max, { error: `${capitalise(label)} must be ${max} characters or fewer` })
}

function optional(label: string, max: number) {
  return z.string().max(max, { error: `${capitalise(label)} must be ${max} characters or fewer` })
}

const orEmpty = (v: unknown) => (v === undefined || v === null ? '' : trimmed(v))

/**
 * A required text field with a length limit; messages follow the NHS.UK style. It is free
 * text, so it is screened for patient data: every form field a person types into uses this
 * or `optionalText` unless it is listed in forms-coverage.test.ts as not free text.
 */
export function requiredText(label: string, max: number, min = 1) {
  return z.preprocess(trimmed, required(label, max, min).superRefine(screened(label)))
}

/** An optional free-text field (empty when left out), screened for patient data like `requiredText`. */
export function optionalText(label: string, max: number) {
  return z.preprocess(orEmpty, optional(label, max).superRefine(screened(label)))
}

/**
 * A required text field that is NOT screened: only for values that are not free text and
 * are never stored as typed (an id chosen from a list, a search box). Never for anything a
 * person writes about their work.
 */
export function requiredPlainText(label: string, max: number, min = 1) {
  return z.preprocess(trimmed, required(label, max, min))
}

/** An optional text field that is NOT screened: search boxes, ids from a list (see `requiredPlainText`). */
export function optionalPlainText(label: string, max: number) {
  return z.preprocess(orEmpty, optional(label, max))
}

export const emailField = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z
    .string({ error: 'Enter your e-mail address' })
    .min(1, { error: 'Enter your e-mail address' })
    .max(254, { error: 'E-mail address must be 254 characters or fewer' })
    .regex(
      /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$|^[^\s@<>()[\]\\,;:"]+@localhost$/,
      {
        error: 'Enter an e-mail address in the correct format, like name@example.com',
      },
    ),
)

/** A checkbox: present ("on"/"true"/"1") or absent. */
export const checkbox = z.preprocess(
  (v) => v === 'on' || v === 'true' || v === '1' || v === true,
  z.boolean(),
)

/** A form field that may arrive as a string or an array of strings (repeated checkboxes). */
export const stringList = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string()),
)

function capitalise(s: string): string {
  const words = s.replace(/^(your|a|an|the) /, '')
  return words.charAt(0).toUpperCase() + words.slice(1)
}
