import { z } from 'zod'
import { dateField, dateParts, partsOf } from '../../core/dates.js'
import { optionalText, requiredText, stringList } from '../../web/forms.js'
import { versionField } from '../forms.js'
import { PDSA_DECISIONS, PREDICTION_MET } from '../policy.js'

export const LONG_TEXT = 4000
export const PLAN_TEXT = 1000

/** An NHS.UK date input that may be left empty: null, or 'YYYY-MM-DD'. */
function optionalDate(label: string) {
  const date = dateField(label)
  return z
    .object({ day: z.string(), month: z.string(), year: z.string() })
    .transform((parts, ctx): string | null => {
      if (!parts.day && !parts.month && !parts.year) return null
      const parsed = date.safeParse(parts)
      if (parsed.success) return parsed.data
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message })
      return z.NEVER
    })
}

export const planForm = z.object({
  title: requiredText('a short title for the cycle', 120),
  changeIdeaId: z
    .string({ error: 'Select the change idea this cycle tests' })
    .min(1, { error: 'Select the change idea this cycle tests' }),
  objective: requiredText('the objective of this test', PLAN_TEXT),
  prediction: requiredText('your prediction: what do you expect to happen?', PLAN_TEXT),
  planWho: optionalText('who', 500),
  planWhat: optionalText('what', 500),
  planWhen: optionalText('when', 500),
  planWhere: optionalText('where', 500),
  plannedDate: optionalDate('planned start date'),
  dataToCollect: optionalText('data to collect', PLAN_TEXT),
  measureIds: stringList,
})
export type PlanInput = z.infer<typeof planForm>

export const planEditForm = planForm.extend({ version: versionField })
export type PlanEditInput = z.infer<typeof planEditForm>

export const doForm = z
  .object({
    doNotes: optionalText('what happened', LONG_TEXT),
    doStart: dateField('date the test started'),
    doEnd: optionalDate('date the test ended'),
    version: versionField,
  })
  .refine((f) => !f.doEnd || f.doEnd >= f.doStart, {
    error: 'The end date must be the same as or after the start date',
    path: ['doEnd'],
  })
export type DoInput = z.infer<typeof doForm>

export const studyForm = z.object({
  findings: requiredText('what you found', LONG_TEXT),
  predictionMet: z.enum(PREDICTION_MET, { error: 'Select whether the prediction was met' }),
  version: versionField,
})
export type StudyInput = z.infer<typeof studyForm>

export const actForm = z.object({
  decision: z.enum(PDSA_DECISIONS, { error: 'Select adopt, adapt or abandon' }),
  decisionReason: requiredText('the reason for your decision', 2000),
  version: versionField,
})
export type ActInput = z.infer<typeof actForm>

export const closeForm = z.object({ version: versionField })

/** The form body with its date boxes gathered for the schemas. */
export function pdsaBody(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>
  return {
    ...b,
    plannedDate: dateParts(b, 'planned'),
    doStart: dateParts(b, 'doStart'),
    doEnd: dateParts(b, 'doEnd'),
  }
}

/** A cycle's dates split back into the date boxes, for editing. */
export function datesAsParts(cycle: {
  plannedDate: string | null
  doStart: string | null
  doEnd: string | null
}): Record<string, string> {
  return {
    ...partsOf(cycle.plannedDate, 'planned'),
    ...partsOf(cycle.doStart, 'doStart'),
    ...partsOf(cycle.doEnd, 'doEnd'),
  }
}
