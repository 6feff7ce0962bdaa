import { z } from 'zod'
import { requiredPlainText, requiredText } from '../web/forms.js'

export const patternForm = z.object({
  label: requiredText('a name for the pattern', 100),
  kind: z.enum(['mask', 'regex'], { error: 'Select whether the pattern is a mask or a regular expression' }),
  // A pattern describes identifiers; it is not free text about anyone, and a mask such as
  // AB123456 is an example shape, so it is checked by checkPattern instead of screened.
  pattern: requiredPlainText('the pattern', 60),
})
export type PatternInput = z.infer<typeof patternForm>

export const confirmForm = z.object({
  confirm: z.literal('yes', { error: 'Select yes to confirm' }),
})
