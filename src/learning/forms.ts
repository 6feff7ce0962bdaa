import { z } from 'zod'
import { checkbox, optionalText, requiredText, stringList } from '../web/forms.js'
import { LADDER_LEVELS, MODE_VALUES } from './levels.js'
import { isIsoDate, isTime } from '../core/dates.js'

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : v)

/** A required date typed as YYYY-MM-DD (the browser's date picker sends this). */
const dateField = (label: string) =>
  z.preprocess(
    trimmed,
    z
      .string()
      .min(1, { error: `Enter ${label}` })
      .refine(isIsoDate, { error: `${cap(label)} must be a real date, for example 2027-03-15` }),
  )

const timeField = (label: string) =>
  z.preprocess(
    trimmed,
    z
      .string()
      .min(1, { error: `Enter ${label}` })
      .refine(isTime, { error: `${cap(label)} must be a 24-hour time, for example 09:30` }),
  )

/** An optional web address: http or https only (no javascript: links in the pages). */
const optionalUrl = (label: string) =>
  z.preprocess(
    trimmed,
    z
      .string()
      .max(500, { error: `${cap(label)} must be 500 characters or fewer` })
      .refine((v) => v === '' || /^https?:\/\/[^\s<>"]+$/i.test(v), {
        error: `${cap(label)} must start with https:// or http://`,
      }),
  )

const wholeNumber = (label: string, min: number, max: number, example: string) =>
  z.preprocess(
    trimmed,
    z
      .string()
      .min(1, { error: `Enter ${label}` })
      .regex(/^\d+$/, { error: `${cap(label)} must be a whole number, like ${example}` })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(min, { error: `${cap(label)} must be ${min} or more` })
          .max(max, { error: `${cap(label)} must be ${max} or fewer` }),
      ),
  )

const optionalWholeNumber = (label: string, min: number, max: number, example: string) =>
  z.preprocess(trimmed, z.union([z.literal('').transform(() => null), wholeNumber(label, min, max, example)]))

const version = z.preprocess(
  (v) => (v === undefined || v === '' ? 0 : v),
  z.coerce.number({ error: 'Reload the page and try again' }).int().min(0),
)

function cap(s: string): string {
  const words = s.replace(/^(your|a|an|the) /, '')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

export const catalogueQuery = z.object({
  faculty: optionalText('faculty', 100).catch(''),
  level: optionalText('level', 40).catch(''),
  mode: optionalText('mode', 40).catch(''),
  open: z.string().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
})

export const facultyForm = z.object({
  description: optionalText('the description', 4000),
  contactText: optionalText('how to contact the faculty', 500),
  levelMap: stringList.pipe(
    z.array(
      z.enum(['', ...LADDER_LEVELS], {
        error: 'Select a level on the ladder for each of the faculty’s level names',
      }),
    ),
  ),
})

export const courseForm = z
  .object({
    title: requiredText('the course title', 150),
    summary: requiredText('a summary', 1000),
    level: z.preprocess(trimmed, z.string().min(1, { error: 'Select the level' }).max(60)),
    mode: z.enum(MODE_VALUES, { error: 'Select how the course is taught' }),
    eligibility: z.enum(['all', 'restricted'], { error: 'Select who may join' }),
    eligibleOrgIds: stringList,
    eligibleRoles: stringList,
    prerequisites: stringList,
    minAttendancePct: wholeNumber('the share of sessions to attend', 0, 100, '80'),
    requiresProject: checkbox,
    requiresAssessment: checkbox,
    requiresApproval: checkbox,
    certificateValidMonths: optionalWholeNumber('how long the certificate is valid', 1, 120, '36'),
    published: checkbox,
    version,
  })
  .refine(
    (v) =>
      v.eligibility !== 'restricted' || (v.eligibleOrgIds?.length ?? 0) + (v.eligibleRoles?.length ?? 0) > 0,
    {
      error: 'Select at least one organisation or role, or make the course open to everyone',
      path: ['eligibleOrgIds'],
      when: () => true,
    },
  )

export const cohortForm = z.object({
  name: requiredText('the cohort name', 100),
  capacity: wholeNumber('the number of places', 1, 1000, '16'),
  closesDate: dateField('the date enrolment closes'),
  closesTime: z.preprocess(
    (v) => (v === undefined || v === '' ? '23:59' : v),
    timeField('the time enrolment closes'),
  ),
  venue: optionalText('the venue', 300),
  onlineUrl: optionalUrl('the online joining link'),
  facilitators: optionalText('the facilitators', 500),
  version,
})

export const sessionForm = z
  .object({
    title: requiredText('the session title', 150),
    date: dateField('the date of the session'),
    startTime: timeField('the start time'),
    endTime: timeField('the end time'),
    venue: optionalText('the venue', 300),
    onlineUrl: optionalUrl('the online joining link'),
  })
  .refine(
    (v) =>
      typeof v.startTime !== 'string' ||
      typeof v.endTime !== 'string' ||
      !isTime(v.startTime) ||
      !isTime(v.endTime) ||
      v.endTime > v.startTime,
    {
      error: 'The end time must be after the start time',
      path: ['endTime'],
      when: () => true,
    },
  )

export const registerForm = z.object({ present: stringList })
export const progressForm = z.object({ project: stringList, assessment: stringList })
export const completeForm = z.object({ close: checkbox })
/**
 * `link` is a project id from the learner's list, `elsewhere` (a project done outside the platform,
 * described in `projectRef`) or `none`. The service checks the project is one of the learner's own.
 */
export const projectLinkForm = z
  .object({
    link: z.preprocess(
      trimmed,
      z
        .string({ error: 'Select the project you did on this course, or No project' })
        .min(1, { error: 'Select the project you did on this course, or No project' })
        .max(100, { error: 'Select a project from the list' }),
    ),
    projectRef: optionalText('the project reference', 300),
  })
  .refine((v) => v.link !== 'elsewhere' || v.projectRef !== '', {
    error: 'Enter the web address, name or reference of your project',
    path: ['projectRef'],
    when: () => true,
  })
export type ProjectLinkInput = z.infer<typeof projectLinkForm>
export const revokeForm = z.object({ reason: requiredText('the reason for revoking the certificate', 300) })

export const externalForm = z
  .object({
    title: requiredText('the name of the training', 150),
    provider: requiredText('who provided it', 150),
    level: z.enum(LADDER_LEVELS, { error: 'Select the level it reached' }),
    completedOn: dateField('the date you completed it'),
    evidenceText: optionalText('the evidence', 2000),
    evidenceUrl: optionalUrl('the evidence link'),
    facultyId: z.preprocess(
      trimmed,
      z.string().min(1, { error: 'Select the faculty that should check it' }).max(100),
    ),
  })
  // Runs even when other fields are wrong, so every problem shows at once.
  .refine((v) => Boolean(v.evidenceText) || Boolean(v.evidenceUrl), {
    error: 'Give your evidence: describe it, or add a link to it',
    path: ['evidenceText'],
    when: () => true,
  })

export const reviewForm = z.object({
  decision: z.enum(['verified', 'rejected'], { error: 'Select whether the training is verified' }),
  note: optionalText('the note', 500),
})

export const dashboardQuery = z.object({
  from: z.string().refine(isIsoDate).optional().catch(undefined),
  to: z.string().refine(isIsoDate).optional().catch(undefined),
  organisation: optionalText('organisation', 100).catch(''),
})

export type CourseInput = z.infer<typeof courseForm>
export type CohortInput = z.infer<typeof cohortForm>
export type SessionInput = z.infer<typeof sessionForm>
export type ExternalInput = z.infer<typeof externalForm>
export type FacultyInput = z.infer<typeof facultyForm>
