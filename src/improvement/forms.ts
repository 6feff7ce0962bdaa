import { z } from 'zod'
import { optionalText, requiredText, stringList } from '../web/forms.js'
import { CHANGE_IDEA_STATUSES } from './policy.js'

export const TITLE_MAX = 200
export const DESCRIPTION_MAX = 2000

/** The version the form was opened at, for the optimistic check. */
export const versionField = z.preprocess(
  (v) => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v),
  z.number({ error: 'The form is missing its version. Reload the page and try again.' }).int().min(0),
)

export const driverForm = z.object({
  title: requiredText('the driver', TITLE_MAX),
  parentIds: stringList,
})
export type DriverInput = z.infer<typeof driverForm>

export const driverEditForm = driverForm.extend({ version: versionField })
export type DriverEditInput = z.infer<typeof driverEditForm>

export const changeIdeaForm = z.object({
  title: requiredText('the change idea', TITLE_MAX),
  description: optionalText('description', DESCRIPTION_MAX),
  status: z.enum(CHANGE_IDEA_STATUSES, { error: 'Select the status of the change idea' }),
  driverIds: stringList,
})
export type ChangeIdeaInput = z.infer<typeof changeIdeaForm>

export const changeIdeaEditForm = changeIdeaForm.extend({ version: versionField })
export type ChangeIdeaEditInput = z.infer<typeof changeIdeaEditForm>

export const deleteForm = z.object({ version: versionField })

export const moveForm = z.object({
  direction: z.enum(['up', 'down'], { error: 'Choose up or down' }),
})
