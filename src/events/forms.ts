import { z } from 'zod'
import { optionalPlainText, optionalText, requiredText } from '../web/forms.js'
import { dateField, dateParts, timeField } from '../core/dates.js'

export const EVENT_FORMATS = {
  in_person: 'In person',
  virtual: 'Virtual (online)',
  hybrid: 'Hybrid (in person and online)',
} as const
export type EventFormat = keyof typeof EVENT_FORMATS

/** Enough for the seed's largest programme (nearly 200 participants) with room to spare. */
export const MAX_CAPACITY = 1000

export const eventForm = z
  .object({
    title: requiredText('the event’s title', 150),
    description: optionalText('description', 4000),
    format: z.enum(Object.keys(EVENT_FORMATS) as [EventFormat], {
      error: 'Select whether the event is in person, virtual or hybrid',
    }),
    venue: optionalText('venue', 300),
    joiningDetails: optionalText('joining details', 1000),
    date: dateField('date of the event'),
    startTime: timeField('start time'),
    endTime: timeField('end time'),
    capacity: z.preprocess(
      (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v.trim())) : v),
      z
        .number({ error: 'Enter how many places there are' })
        .int({ error: 'Places must be a whole number' })
        .min(1, { error: 'There must be at least 1 place' })
        .max(MAX_CAPACITY, { error: `Places must be ${MAX_CAPACITY} or fewer` }),
    ),
    programmeId: optionalText('programme', 100),
    version: z.coerce.number().int().min(0).catch(0),
  })
  .superRefine((f, ctx) => {
    if (f.format !== 'virtual' && !f.venue)
      ctx.addIssue({
        code: 'custom',
        message: 'Enter the venue for an in-person or hybrid event',
        path: ['venue'],
      })
    if (f.format !== 'in_person' && !f.joiningDetails)
      ctx.addIssue({ code: 'custom', message: 'Enter how people join online', path: ['joiningDetails'] })
    if (f.endTime <= f.startTime)
      ctx.addIssue({ code: 'custom', message: 'End time must be after the start time', path: ['endTime'] })
  })

export type EventInput = z.infer<typeof eventForm>

export function eventBody(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>
  return { ...b, date: dateParts(b, 'date') }
}

export const EVENT_FIELD_ORDER = [
  'title',
  'description',
  'format',
  'venue',
  'joiningDetails',
  'date',
  'startTime',
  'endTime',
  'capacity',
  'programmeId',
]

export const registerForm = z.object({ accessNeeds: optionalText('access needs', 1000) })

export const feedbackForm = z.object({
  rating: z.enum(['1', '2', '3', '4', '5'], { error: 'Select how useful the event was' }).transform(Number),
  wentWell: optionalText('what went well', 2000),
  evenBetter: optionalText('what would make it even better', 2000),
})

export type FeedbackInput = z.infer<typeof feedbackForm>

export const RATINGS: Record<number, string> = {
  5: 'Very useful',
  4: 'Useful',
  3: 'Somewhat useful',
  2: 'Not very useful',
  1: 'Not useful at all',
}

export const checkInQuery = z.object({ q: optionalPlainText('name', 100).catch('') })
