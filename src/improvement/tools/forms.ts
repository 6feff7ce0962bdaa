import { z } from 'zod'
import { dateField, dateParts } from '../../core/dates.js'
import { optionalText, requiredText } from '../../web/forms.js'
import { versionField } from '../forms.js'
import {
  LIMITS,
  SCORE_MAX,
  STEP_KINDS,
  STEP_VALUES,
  SUSTAINABILITY_FACTORS,
  TOOL_TYPES,
  type FactorKey,
  type ItemKind,
  type ToolType,
} from './definitions.js'

/** A whole number from 1 to max, chosen with radios or typed. */
export function scoreField(label: string, max: number) {
  const Label = label.charAt(0).toUpperCase() + label.slice(1)
  const range = `${Label} must be a whole number from 1 to ${max}`
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z
      .string({ error: `Select the ${label}` })
      .min(1, { error: `Select the ${label}` })
      .regex(/^-?\d+$/, { error: range })
      .transform(Number)
      .pipe(z.number().int().min(1, { error: range }).max(max, { error: range })),
  )
}

export const newToolForm = z.object({
  type: z.enum(TOOL_TYPES, { error: 'Select the kind of tool' }),
  title: requiredText('a title', LIMITS.title),
})
export type NewToolInput = z.infer<typeof newToolForm>

const whyFields = {
  why1: optionalText('why 1', LIMITS.why),
  why2: optionalText('why 2', LIMITS.why),
  why3: optionalText('why 3', LIMITS.why),
  why4: optionalText('why 4', LIMITS.why),
  why5: optionalText('why 5', LIMITS.why),
}

const HEAD_FORMS = {
  fishbone: z.object({
    title: requiredText('a title', LIMITS.title),
    problem: optionalText('problem', LIMITS.problem),
    version: versionField,
  }),
  five_whys: z
    .object({
      title: requiredText('a title', LIMITS.title),
      problem: requiredText('the problem', LIMITS.problem),
      ...whyFields,
      rootCause: optionalText('root cause', LIMITS.why),
      version: versionField,
    })
    .superRefine((f, ctx) => {
      const whys = [f.why1, f.why2, f.why3, f.why4, f.why5]
      const lastFilled = whys.map((w) => Boolean(w)).lastIndexOf(true)
      for (let i = 0; i < lastFilled; i++) {
        if (!whys[i])
          ctx.addIssue({
            code: 'custom',
            path: [`why${i + 1}`],
            message: `Answer why ${i + 1} before why ${i + 2}`,
          })
      }
    }),
  process_map: z.object({
    title: requiredText('a title', LIMITS.title),
    scope: optionalText('where the process starts and ends', LIMITS.problem),
    version: versionField,
  }),
  stakeholders: z.object({ title: requiredText('a title', LIMITS.title), version: versionField }),
  sustainability: z.object({ title: requiredText('a title', LIMITS.title), version: versionField }),
} satisfies Record<ToolType, z.ZodType>

export interface HeadInput {
  title: string
  version: number
  problem?: string
  why1?: string
  why2?: string
  why3?: string
  why4?: string
  why5?: string
  rootCause?: string
  scope?: string
}

export function headForm(type: ToolType): z.ZodType<HeadInput> {
  return HEAD_FORMS[type]
}

const scoreFields = Object.fromEntries(
  SUSTAINABILITY_FACTORS.map((f) => [`score_${f.key}`, scoreField(`score for “${f.label}”`, SCORE_MAX)]),
)

const ITEM_FORMS = {
  category: z.object({ name: requiredText('the category name', LIMITS.categoryName) }),
  cause: z.object({
    categoryId: z.string({ error: 'Select the category' }).min(1, { error: 'Select the category' }),
    text: requiredText('the cause', LIMITS.causeText),
  }),
  step: z.object({
    label: requiredText('what happens in this step', LIMITS.stepLabel),
    stepKind: z.enum(STEP_KINDS, { error: 'Select the kind of step' }),
    value: z.enum(STEP_VALUES, { error: 'Select whether the step adds value or is waste' }),
    lane: optionalText('who does it (swimlane)', LIMITS.lane),
  }),
  stakeholder: z.object({
    name: requiredText('the stakeholder', LIMITS.stakeholderName),
    group: requiredText('the group they belong to', LIMITS.group),
    interest: scoreField('interest', 5),
    influence: scoreField('influence', 5),
    notes: optionalText('notes', LIMITS.notes),
  }),
  scoring: z.object({
    date: dateField('date of the scoring'),
    scoredBy: optionalText('who took part', 200),
    ...scoreFields,
    note: optionalText('notes', LIMITS.scoringNote),
  }),
} satisfies Record<ItemKind, z.ZodType>

export type ItemInput = Record<string, unknown> & { rev?: number }

/** The form for adding an item of this kind (or editing one, with its revision). */
export function itemForm(kind: ItemKind, editing: boolean): z.ZodType<ItemInput> {
  const form = ITEM_FORMS[kind] as z.ZodObject
  return editing ? form.extend({ rev: versionField }) : form
}

/** The scores of a parsed scoring form, keyed by factor. */
export function scoresOf(input: ItemInput): Record<FactorKey, number> {
  return Object.fromEntries(
    SUSTAINABILITY_FACTORS.map((f) => [f.key, Number(input[`score_${f.key}`])]),
  ) as Record<FactorKey, number>
}

/** The form body with its date boxes gathered. */
export function toolBody(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>
  return { ...b, date: dateParts(b, 'date') }
}

/** Field order for the error summary. */
export const ITEM_ORDER: Record<ItemKind, string[]> = {
  category: ['name'],
  cause: ['categoryId', 'text'],
  step: ['label', 'stepKind', 'value', 'lane'],
  stakeholder: ['name', 'group', 'interest', 'influence', 'notes'],
  scoring: ['date', 'scoredBy', ...SUSTAINABILITY_FACTORS.map((f) => `score_${f.key}`), 'note'],
}
