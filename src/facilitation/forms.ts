import { z } from 'zod'
import { optionalText, requiredText, stringList } from '../web/forms.js'
import { dateField, dateParts } from '../core/dates.js'
import { HELP_NAMES, SCALE_NAMES } from './capacity/priority-score.js'
import { STATUS_NAMES } from './support/lifecycle.js'

/** Whole or half hours, never negative. */
export function hoursField(label: string, options: { min?: number; max?: number } = {}) {
  const min = options.min ?? 0.5
  const max = options.max ?? 300
  const Label = label.charAt(0).toUpperCase() + label.slice(1)
  return z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v.trim())) : v),
    z
      .number({ error: `Enter the ${label} as a number` })
      .refine((n) => !Number.isNaN(n), { error: `${Label} must be a number, like 7.5` })
      .refine((n) => n >= min, {
        error: min > 0 ? `${Label} must be ${min} or more` : `${Label} cannot be negative`,
      })
      .refine((n) => n <= max, { error: `${Label} must be ${max} or fewer` })
      .refine((n) => Number.isInteger(n * 2), {
        error: `${Label} must be in whole or half hours, like 7 or 7.5`,
      }),
  )
}

const version = z.coerce.number({ error: 'Reload the page and try again' }).int().min(1)

export const supportRequestForm = z
  .object({
    title: requiredText('a short title for your request', 120),
    programmeId: optionalText('programme', 100),
    need: requiredText('what you need help with', 4000),
    scale: z.enum(SCALE_NAMES as [string, ...string[]], { error: 'Select how far the work reaches' }),
    stakeholders: optionalText('stakeholders', 2000),
    startDate: dateField('start date'),
    endDate: dateField('end date'),
    priorityIds: stringList,
    aimCodes: stringList,
    helpWanted: stringList.pipe(
      z
        .array(
          z.enum(HELP_NAMES as [string, ...string[]], { error: 'Select the help you want from the list' }),
        )
        .min(1, { error: 'Select the help you want' }),
    ),
  })
  .refine((f) => f.endDate >= f.startDate, {
    error: 'End date must be the same as or after the start date',
    path: ['endDate'],
  })

export type SupportRequestInput = z.infer<typeof supportRequestForm>

/** The form body with its date boxes gathered for the schema. */
export function supportRequestBody(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>
  return { ...b, startDate: dateParts(b, 'start'), endDate: dateParts(b, 'end') }
}

export const ASSIGNMENT_ROWS = 3

const assignmentFields: Record<string, z.ZodType> = {}
for (let i = 1; i <= ASSIGNMENT_ROWS; i++) {
  assignmentFields[`coach${i}`] = optionalText('QI specialist', 100)
  assignmentFields[`month${i}`] = optionalText('month', 7)
  assignmentFields[`hours${i}`] = optionalText('hours', 10)
}

export interface AssignmentInput {
  coachId: string
  month: string
  hours: number
  row: number
}

/** Up to three rows of QI specialist, month and estimated hours; a row left blank is ignored. */
export const assignmentRows = z.object(assignmentFields).transform((f, ctx) => {
  const rows: AssignmentInput[] = []
  for (let i = 1; i <= ASSIGNMENT_ROWS; i++) {
    const coachId = f[`coach${i}`] as string
    const month = f[`month${i}`] as string
    const raw = f[`hours${i}`] as string
    if (!coachId && !month && !raw) continue
    if (!coachId) ctx.addIssue({ code: 'custom', message: 'Select the QI specialist', path: [`coach${i}`] })
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
      ctx.addIssue({ code: 'custom', message: 'Select the month', path: [`month${i}`] })
    const hours = hoursField('estimated hours').safeParse(raw)
    if (!hours.success)
      ctx.addIssue({
        code: 'custom',
        message: hours.error.issues[0]?.message ?? 'Enter the estimated hours',
        path: [`hours${i}`],
      })
    else if (coachId && month) rows.push({ coachId, month, hours: hours.data, row: i })
  }
  return rows
})

export const decisionForm = z
  .object({
    decision: z.enum(STATUS_NAMES as [string, ...string[]], { error: 'Select a decision' }),
    reason: optionalText('reason', 2000),
    facultyId: optionalText('faculty', 100),
    outcome: optionalText('outcome', 4000),
    overrideReason: optionalText('reason for going over capacity', 1000),
    version,
  })
  .and(assignmentRows.transform((assignments) => ({ assignments })))

export type DecisionInput = z.infer<typeof decisionForm>

export const addAssignmentForm = z
  .object({ overrideReason: optionalText('reason for going over capacity', 1000) })
  .and(assignmentRows.transform((assignments) => ({ assignments })))
  .refine((f) => f.assignments.length > 0, { error: 'Select the QI specialist', path: ['coach1'] })

export const withdrawForm = z.object({ reason: optionalText('reason', 2000), version })

export const overrideForm = z.object({
  score: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? Number(v.trim()) : v),
    z
      .number({ error: 'Priority must be a whole number from 0 to 100' })
      .int({ error: 'Priority must be a whole number from 0 to 100' })
      .min(0, { error: 'Priority must be a whole number from 0 to 100' })
      .max(100, { error: 'Priority must be a whole number from 0 to 100' })
      .nullable(),
  ),
  reason: requiredText('why you are changing the priority', 1000),
})

export const priorityForm = z.object({
  name: requiredText('the name of the priority', 120),
  owner: requiredText('who owns the priority', 120),
  description: optionalText('description', 2000),
  version: z.coerce.number().int().min(0).catch(0),
})

export type PriorityInput = z.infer<typeof priorityForm>

export const capacityForm = z.object({
  coachId: requiredText('the QI specialist', 100),
  month: z
    .string({ error: 'Select the month' })
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'Select the month' }),
  hours: hoursField('available hours', { min: 0, max: 250 }),
})

export const programmeForm = z.object({ description: optionalText('description', 4000) })

export const triageQuery = z.object({
  status: z.enum(['', 'submitted', 'triage', 'waitlisted']).catch(''),
  page: z.coerce.number().int().min(1).max(10000).catch(1),
})

/** `actual-<assignment id>` fields: actual hours per assignment, blank to clear, never negative. */
export const actualHoursForm = z.record(z.string(), z.unknown()).transform((body, ctx) => {
  const out: Record<string, number | null> = {}
  const field = hoursField('actual hours', { min: 0, max: 1000 })
  for (const [key, raw] of Object.entries(body)) {
    if (!key.startsWith('actual-')) continue
    const id = key.slice('actual-'.length)
    if (typeof raw !== 'string' || raw.trim() === '') {
      out[id] = null
      continue
    }
    const parsed = field.safeParse(raw)
    if (parsed.success) out[id] = parsed.data
    else
      ctx.addIssue({
        code: 'custom',
        message: parsed.error.issues[0]?.message ?? 'Enter the actual hours',
        path: [key],
      })
  }
  return out
})
