import { z } from 'zod'
import { dateField, dateParts, timeField } from '../core/dates.js'
import {
  checkbox,
  emailField,
  optionalPlainText,
  optionalText,
  requiredText,
  stringList,
} from '../web/forms.js'
import { APPEARS_AS, CONSENT_METHODS } from './policy.js'

const version = z.coerce.number().int().min(0).catch(0)

/** A Steering Group member names an occasion: an event with dates (and maybe a vote) or an open collection. */
export const occasionForm = z
  .object({
    title: requiredText('the occasion’s title', 150),
    summary: optionalText('summary', 1000),
    kind: z.enum(['event', 'collection'], { error: 'Select whether this is an event or an open collection' }),
    startsOn: z.union([dateField('date it starts'), z.null()]),
    endsOn: z.union([dateField('date it ends'), z.null()]),
    votingOpensOn: z.union([dateField('date voting opens'), z.null()]),
    votingClosesOn: z.union([dateField('date voting closes'), z.null()]),
    votingClosesAt: z.union([timeField('time voting closes'), z.literal('')]),
    categories: optionalText('voting categories', 1000),
  })
  .superRefine((f, ctx) => {
    if (f.kind === 'event' && !f.startsOn)
      ctx.addIssue({ code: 'custom', message: 'Enter the date it starts', path: ['startsOn'] })
    if (f.startsOn && f.endsOn && f.endsOn < f.startsOn)
      ctx.addIssue({
        code: 'custom',
        message: 'The end date must be on or after the start date',
        path: ['endsOn'],
      })
    const voting = f.votingOpensOn || f.votingClosesOn
    if (voting && !(f.votingOpensOn && f.votingClosesOn))
      ctx.addIssue({
        code: 'custom',
        message: 'Enter both the date voting opens and the date it closes, or neither',
        path: [f.votingOpensOn ? 'votingClosesOn' : 'votingOpensOn'],
      })
    if (f.votingOpensOn && f.votingClosesOn && f.votingClosesOn < f.votingOpensOn)
      ctx.addIssue({
        code: 'custom',
        message: 'Voting must close on or after the day it opens',
        path: ['votingClosesOn'],
      })
    if (voting && categoryNames(f.categories).length === 0)
      ctx.addIssue({ code: 'custom', message: 'Enter at least one voting category', path: ['categories'] })
  })
export type OccasionInput = z.infer<typeof occasionForm>

/** Categories typed one a line (or comma-separated), without repeats. */
export function categoryNames(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].slice(0, 10)
}

export function occasionBody(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>
  const date = (prefix: string) => {
    const p = dateParts(b, prefix)
    return p.day || p.month || p.year ? p : null
  }
  return {
    ...b,
    startsOn: date('startsOn'),
    endsOn: date('endsOn'),
    votingOpensOn: date('votingOpensOn'),
    votingClosesOn: date('votingClosesOn'),
    votingClosesAt: typeof b.votingClosesAt === 'string' ? b.votingClosesAt.trim() : '',
  }
}

/** A poster's details (the file comes in the same multipart form when it is new). */
export const posterForm = z.object({
  title: requiredText('the poster’s title', 200),
  summary: requiredText('a summary', 3000, 20),
  occasionId: optionalText('occasion', 100),
  projectId: optionalText('project', 100),
  programmeId: optionalText('programme', 100),
  organisationIds: stringList,
  aimCodes: stringList,
  funder: optionalText('funder', 200),
  visibility: z.enum(['public', 'community'], { error: 'Select who may see the poster once it is approved' }),
  version,
})
export type PosterInput = z.infer<typeof posterForm>

export const POSTER_FIELD_ORDER = [
  'file',
  'title',
  'summary',
  'occasionId',
  'projectId',
  'programmeId',
  'organisationIds',
  'aimCodes',
  'funder',
  'visibility',
]

export const consentForm = z.object({
  personName: requiredText('the name of the person', 120),
  appearsAs: z.enum(Object.keys(APPEARS_AS) as [keyof typeof APPEARS_AS], {
    error: 'Select whether the person is shown, quoted or both',
  }),
  method: z.enum(Object.keys(CONSENT_METHODS) as [keyof typeof CONSENT_METHODS], {
    error: 'Select how the person gave consent',
  }),
  givenOn: dateField('date consent was given'),
})
export type ConsentInput = z.infer<typeof consentForm>

export function consentBody(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>
  return { ...b, givenOn: dateParts(b, 'givenOn') }
}

export const confirmConsentForm = z.object({
  nobodyIdentifiable: checkbox,
  confirmed: checkbox,
})

export const decisionForm = z
  .object({
    decision: z.enum(['approve', 'return', 'withdraw'], { error: 'Select a decision' }),
    comment: optionalText('comments', 2000),
  })
  .superRefine((f, ctx) => {
    if (f.decision !== 'approve' && !f.comment)
      ctx.addIssue({
        code: 'custom',
        message: 'Enter comments for the team: say what to change, or why the poster is withdrawn',
        path: ['comment'],
      })
  })

export const voteForm = z.object({
  categoryId: optionalText('category', 100),
  itemId: optionalText('poster', 100),
})

/** The gallery's filters: ids from lists and a search box (nothing typed here is stored). */
export const galleryQuery = z.object({
  occasion: optionalPlainText('occasion', 100).catch(''),
  programme: optionalPlainText('programme', 100).catch(''),
  organisation: optionalPlainText('organisation', 100).catch(''),
  aim: optionalPlainText('aim', 10).catch(''),
  year: optionalPlainText('year', 4).catch(''),
  q: optionalPlainText('search', 200).catch(''),
  page: z.coerce.number().int().min(1).max(10000).catch(1),
})

/** The Steering Group names a judge by their e-mail address. */
export const judgeForm = z.object({ email: emailField })

/** A judging criterion and the highest score it can be given. */
export const criterionForm = z.object({
  name: requiredText('the criterion', 100),
  maxScore: z.coerce
    .number({ error: 'Enter the highest score, a whole number from 1 to 100' })
    .int({ error: 'Enter the highest score, a whole number from 1 to 100' })
    .min(1, { error: 'Enter the highest score, a whole number from 1 to 100' })
    .max(100, { error: 'Enter the highest score, a whole number from 1 to 100' }),
})
export type CriterionInput = z.infer<typeof criterionForm>

/** The archive's filters, like the gallery's (ids from lists and a search box). */
export const archiveQuery = z.object({
  status: z.enum(['completed', 'sustaining', 'archived', 'abandoned', '']).catch(''),
  programme: optionalPlainText('programme', 100).catch(''),
  organisation: optionalPlainText('organisation', 100).catch(''),
  aim: optionalPlainText('aim', 10).catch(''),
  q: optionalPlainText('search', 200).catch(''),
  page: z.coerce.number().int().min(1).max(10000).catch(1),
})
