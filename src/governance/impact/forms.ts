import { z } from 'zod'
import { checkbox, optionalPlainText, optionalText, requiredText } from '../../web/forms.js'
import { IMPACT_AREAS } from './framework.js'

/** A part of a date input (periodDay, periodMonth, periodYear): digits only, checked by the route. */
const datePart = z
  .string()
  .regex(/^\s*\d{0,4}\s*$/, { error: 'Enter the date as numbers, like 31 3 2027' })
  .catch('')

const period = { periodDay: datePart, periodMonth: datePart, periodYear: datePart }

/** A new self-assessment: of the system or of an organisation (from a select), for a period. */
export const impactNewForm = z.object({
  scope: optionalPlainText('what you are assessing', 128),
  ...period,
})

/** The value each area's radios send: a level 1 to 5, or "na" (not assessed). */
export const LEVEL_VALUES = ['na', '1', '2', '3', '4', '5'] as const
const levelField = (question: string) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? 'na' : v),
    z.enum(LEVEL_VALUES, { error: `Choose a level from 1 to 5, or not assessed, for “${question}”` }),
  )

/** The ratings: `level_<area>` and `note_<area>` per question area of the framework. */
export const impactRatingsForm = z.object({
  ...period,
  ...Object.fromEntries(
    IMPACT_AREAS.flatMap((a) => [
      [`level_${a.id}`, levelField(a.question)],
      [`note_${a.id}`, optionalText(`note on “${a.question}”`, 500)],
    ]),
  ),
}) as z.ZodObject<Record<string, z.ZodType<string>>>

export const impactShareForm = z.object({ shared: checkbox })

export const LINK_TYPES = ['project', 'course', 'programme'] as const

/** An action for an area, optionally linked to a project (its id), a course or a programme (its slug). */
export const impactActionForm = z.object({
  area: z.string({ error: 'Choose a question area from the list' }).max(100).catch(''),
  text: requiredText('action', 300),
  linkType: z
    .enum(['', ...LINK_TYPES], {
      error: 'Choose what the link points at: a project, a course or a programme',
    })
    .catch(''),
  linkRef: optionalPlainText('project id, course or programme address', 128),
})

export const actionParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:~-]{0,127}$/),
  actionId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:~-]{0,127}$/),
})
