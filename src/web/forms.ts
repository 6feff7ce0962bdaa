import { z, type ZodError } from 'zod'
import type { FieldErrors } from './errors.js'

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

/** A required single-line text field with a length limit; messages follow the NHS.UK style. */
export function requiredText(label: string, max: number, min = 1) {
  return z.preprocess(
    trimmed,
    z
      .string({ error: `Enter ${label}` })
      .min(min, {
        error: min > 1 ? `${capitalise(label)} must be ${min} characters or more` : `Enter ${label}`,
      })
      .max(max, { error: `${capitalise(label)} must be ${max} characters or fewer` }),
  )
}

export function optionalText(label: string, max: number) {
  return z.preprocess(
    (v) => (v === undefined || v === null ? '' : trimmed(v)),
    z.string().max(max, { error: `${capitalise(label)} must be ${max} characters or fewer` }),
  )
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
