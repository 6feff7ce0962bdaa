import { z } from 'zod'
import { emailField, optionalText, requiredText } from '../web/forms.js'

export const ENQUIRY_TOPICS = {
  join: 'Joining the community',
  facilitation: 'Asking for facilitation or support',
  training: 'Training and learning',
  showcase: 'Sharing our improvement work',
  other: 'Something else',
} as const

export const enquiryForm = z.object({
  name: requiredText('your name', 120),
  email: emailField,
  organisation: optionalText('organisation', 200),
  topic: z.enum(Object.keys(ENQUIRY_TOPICS) as [keyof typeof ENQUIRY_TOPICS], {
    error: 'Select what your enquiry is about',
  }),
  message: requiredText('your message', 5000),
})

export const pageEditForm = z.object({
  title: requiredText('a title', 150),
  summary: optionalText('summary', 300),
  body: requiredText('the page content', 50000),
  version: z.coerce.number({ error: 'The page version is missing: reload the page' }).int().min(0),
})

export type EnquiryInput = z.infer<typeof enquiryForm>
export type PageEditInput = z.infer<typeof pageEditForm>
