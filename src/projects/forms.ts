import { z } from 'zod'
import {
  checkbox,
  emailField,
  optionalPlainText,
  optionalText,
  requiredText,
  stringList,
} from '../web/forms.js'
import { PROGRESS_SCORES, QSIR_STAGES, RESEARCH_ANSWERS } from './lifecycle.js'
import { PROJECT_STATUSES, TEAM_ROLES, VISIBILITIES } from './policy.js'

const title = requiredText('a project title', 200).pipe(
  z.string().min(5, { error: 'Project title must be 5 characters or more' }),
)
const version = z.coerce.number({ error: 'Reload the page and try again' }).int().min(0)
const ids = (label: string) =>
  stringList.pipe(z.array(z.string().max(100, { error: `Select ${label} from the list` })).max(50))
const organisations = stringList.pipe(
  z
    .array(z.string().max(100))
    .min(1, { error: 'Select at least one organisation' })
    .max(20, { error: 'Select 20 organisations or fewer' }),
)

export const newProjectForm = z.object({
  title,
  problem: optionalText('problem statement', 5000),
  organisationIds: organisations,
})
export type NewProjectInput = z.infer<typeof newProjectForm>

/** What "similar projects" reads of a project not yet started: its title and problem (nothing is stored). */
export const similarDraftForm = z.object({
  title: optionalText('project title', 200),
  problem: optionalText('problem statement', 5000),
})

export const detailsForm = z.object({
  title,
  problem: optionalText('problem statement', 5000),
  organisationIds: organisations,
  programmeId: optionalText('programme', 100),
  priorityIds: ids('system priorities'),
  aimCodes: ids('aims'),
  qsirStage: z.enum(Object.keys(QSIR_STAGES) as [keyof typeof QSIR_STAGES], {
    error: 'Select the QSIR stage',
  }),
  version,
})
export type DetailsInput = z.infer<typeof detailsForm>

export const teamAddForm = z.object({
  email: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    emailField.optional(),
  ),
  userId: optionalText('person', 100),
  role: z.enum(TEAM_ROLES, { error: 'Select a role on the team' }),
  version,
})
export type TeamAddInput = z.infer<typeof teamAddForm>

export const teamRoleForm = z.object({
  role: z.enum(TEAM_ROLES, { error: 'Select a role on the team' }),
  version,
})

export const versionForm = z.object({ version })

export const visibilityForm = z.object({
  visibility: z.enum(VISIBILITIES, { error: 'Select who can see the project' }),
  consent: checkbox,
  version,
})
export type VisibilityInput = z.infer<typeof visibilityForm>

export const transitionForm = z.object({
  note: optionalText('note', 3000),
  lessons: optionalText('lessons learnt', 5000),
  version,
})
export type TransitionInput = z.infer<typeof transitionForm>

export const aimForm = z.object({
  what: requiredText('what you want to improve', 300),
  measure: requiredText('how you will measure it', 300),
  baseline: optionalText('baseline', 200),
  target: requiredText('how much (the target)', 200),
  forWhom: requiredText('who it is for', 300),
  byWhen: requiredText('by when', 60).pipe(
    z
      .string()
      .regex(/\b(19|20)\d{2}\b/, { error: 'Enter by when, including the year, for example 31 March 2027' }),
  ),
  aimVersion: version,
  intent: z.enum(['preview', 'save']).catch('save'),
})
export type AimInput = z.infer<typeof aimForm>

export const progressForm = z.object({
  score: z.coerce
    .number({ error: 'Select a progress score' })
    .refine((n) => PROGRESS_SCORES.some((s) => s.value === n), { error: 'Select a progress score' }),
  note: optionalText('note', 1000),
  version,
})
export type ProgressInput = z.infer<typeof progressForm>

export const researchForm = z.object({
  answer: z.enum(Object.keys(RESEARCH_ANSWERS) as [keyof typeof RESEARCH_ANSWERS], {
    error: 'Select the answer the HRA decision tool gave',
  }),
  notes: optionalText('notes', 3000),
  version,
})
export type ResearchInput = z.infer<typeof researchForm>

export const commentForm = z.object({
  body: requiredText('your comment', 5000),
  targetType: z
    .string()
    .regex(/^[a-z_]{1,30}$/)
    .catch('project'),
  targetId: optionalText('target', 100),
  returnTo: optionalText('return address', 500),
})
export type CommentInput = z.infer<typeof commentForm>

export const publicationForm = z.object({
  decision: z.enum(['approve', 'decline'], { error: 'Select whether to approve publication' }),
  note: optionalText('note', 2000),
  version,
})
export type PublicationInput = z.infer<typeof publicationForm>

export const listQuery = z.object({
  q: optionalPlainText('search', 100).catch(''),
  status: z.enum(PROJECT_STATUSES).or(z.literal('')).catch(''),
  organisation: optionalText('organisation', 100).catch(''),
  programme: optionalText('programme', 100).catch(''),
  aim: optionalText('aim', 10).catch(''),
  priority: optionalText('priority', 100).catch(''),
  mine: z.preprocess((v) => v === '1' || v === 'on', z.boolean()).catch(false),
  page: z.coerce.number().int().min(1).max(10000).catch(1),
})
export type ListQuery = z.infer<typeof listQuery>

export const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10000).catch(1) })
