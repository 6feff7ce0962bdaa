import { z } from 'zod'
import { dateField, dateParts } from '../core/dates.js'
import { requiredText } from '../web/forms.js'

/** Amounts: one entry claims at most £1,000 (100,000 pence). */
export const MAX_PENCE = 100_000
export const READING_AGE_MIN = 7
export const READING_AGE_MAX = 18

export const INVOLVEMENT_STATUSES = ['claimed', 'approved', 'paid'] as const
export type InvolvementStatus = (typeof INVOLVEMENT_STATUSES)[number]
export const INVOLVEMENT_STATUS_LABELS: Record<InvolvementStatus, string> = {
  claimed: 'Claimed',
  approved: 'Approved',
  paid: 'Paid',
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:~-]{0,127}$/

/** Pounds and pence as typed ("12.50", "£12", "") into integer pence; refuses negatives and absurd amounts. */
export const poundsField = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().replace(/,/g, '') : (v ?? '')),
  z.string({ error: 'Enter the amount in pounds and pence, like 12.50' }).transform((s, ctx) => {
    if (s === '') return 0
    if (/^-/.test(s) || /^£\s*-/.test(s)) {
      ctx.addIssue({ code: 'custom', message: 'Expenses must be £0 or more' })
      return z.NEVER
    }
    const m = /^£?\s*(\d{1,9})(?:\.(\d{1,2}))?$/.exec(s)
    if (!m) {
      ctx.addIssue({ code: 'custom', message: 'Enter the amount in pounds and pence, like 12.50' })
      return z.NEVER
    }
    const pence = Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'))
    if (pence > MAX_PENCE) {
      ctx.addIssue({
        code: 'custom',
        message: 'One entry can claim up to £1,000. Check the amount, or split a bigger claim',
      })
      return z.NEVER
    }
    return pence
  }),
)

/** Hours as typed ("1.5", "2") into whole minutes, up to 24 hours. */
const hoursField = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() : (v ?? '')),
  z.string().transform((s, ctx) => {
    if (s === '') return 0
    if (!/^\d{1,2}(\.\d{1,2})?$/.test(s) || Number(s) > 24) {
      ctx.addIssue({ code: 'custom', message: 'Enter the time in hours, like 1.5, up to 24' })
      return z.NEVER
    }
    return Math.round(Number(s) * 60)
  }),
)

export const involvementForm = z.object({
  projectId: z.string({ error: 'Choose the project' }).regex(ID, { error: 'Choose the project' }),
  involvedOn: dateField('date you took part'),
  sessions: z.coerce
    .number({ error: 'Enter the number of sessions as a whole number, like 1' })
    .int({ error: 'Enter the number of sessions as a whole number, like 1' })
    .min(0, { error: 'Enter 0 sessions or more' })
    .max(20, { error: 'Enter 20 sessions or fewer for one entry' }),
  hours: hoursField,
  whatFor: requiredText('what you did', 500),
  expenses: poundsField,
})
export type InvolvementInput = z.infer<typeof involvementForm>
export const INVOLVEMENT_ORDER = ['projectId', 'involvedOn', 'sessions', 'hours', 'whatFor', 'expenses']

export function involvementBody(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>
  return { ...b, involvedOn: dateParts(b, 'involvedOn') }
}

export const involvementStatusForm = z.object({
  status: z.enum(['approved', 'paid'], { error: 'Choose approved or paid' }),
})

export const youSaidForm = z.object({
  youSaid: requiredText('what partners said', 2000),
  weDid: requiredText('what the team did', 2000),
  saidOn: dateField('date'),
})
export type YouSaidInput = z.infer<typeof youSaidForm>
export const YOU_SAID_ORDER = ['youSaid', 'weDid', 'saidOn']

export function youSaidBody(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>
  return { ...b, saidOn: dateParts(b, 'saidOn') }
}

export const settingsForm = z.object({
  maxReadingAge: z.coerce
    .number({ error: 'Enter the reading age as a whole number of years, like 11' })
    .int({ error: 'Enter the reading age as a whole number of years, like 11' })
    .min(READING_AGE_MIN, { error: `Enter ${READING_AGE_MIN} years or more` })
    .max(READING_AGE_MAX, { error: `Enter ${READING_AGE_MAX} years or fewer` }),
})
