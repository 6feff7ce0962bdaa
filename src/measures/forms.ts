import { z } from 'zod'
import { checkbox, optionalText, requiredPlainText, requiredText } from '../web/forms.js'
import { CHART_CHOICES, DATA_KINDS, DIRECTIONS, MEASURE_TYPES } from './policy.js'

const choice = <T extends Record<string, string>>(options: T, message: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v : ''),
    z.string().refine((v) => Object.hasOwn(options, v), { error: message }),
  ) as unknown as z.ZodType<keyof T & string>

/** A number typed in a text box: '' is null; "1,234" and "85%" are read as numbers. */
const optionalNumber = (label: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().replace(/,/g, '').replace(/%$/, '') : ''),
    z
      .string()
      .refine((v) => v === '' || /^[+-]?(\d+(\.\d+)?|\.\d+)$/.test(v), {
        error: `${label} must be a number, like 85 or 4.5`,
      })
      .transform((v) => (v === '' ? null : Number(v))),
  ) as unknown as z.ZodType<number | null>

const version = z.preprocess((v) => Number(v ?? 0), z.number().int().min(0))

export const measureForm = z.object({
  type: choice(MEASURE_TYPES, 'Select the type of measure'),
  name: requiredText('the name of the measure', 200),
  unit: optionalText('the unit', 60),
  numerator: optionalText('the numerator', 1000),
  denominator: optionalText('the denominator', 1000),
  inclusions: optionalText('the inclusions', 2000),
  exclusions: optionalText('the exclusions', 2000),
  source: optionalText('the data source', 1000),
  sampling: optionalText('the sampling', 1000),
  frequency: optionalText('the frequency', 200),
  collector: optionalText('who collects the data', 200),
  direction: choice(DIRECTIONS, 'Select which direction is an improvement'),
  target: optionalNumber('The target'),
  dataKind: choice(DATA_KINDS, 'Select the kind of data'),
  chartType: z.preprocess(
    (v) => (typeof v === 'string' ? v : 'auto'),
    z
      .string()
      .refine((v) => v === 'auto' || Object.hasOwn(CHART_CHOICES, v), { error: 'Select a chart type' }),
  ),
  multiplier: z.preprocess(
    (v) => (v === undefined || v === '' ? 1 : Number(v)),
    z
      .number({ error: 'Select how to show the values' })
      .refine((n) => [1, 100, 1000, 10000, 100000].includes(n), {
        error: 'Select how to show the values',
      }),
  ),
  version,
})
export type MeasureInput = z.infer<typeof measureForm>

export const MEASURE_FIELD_ORDER = [
  'type',
  'name',
  'unit',
  'dataKind',
  'numerator',
  'denominator',
  'inclusions',
  'exclusions',
  'source',
  'sampling',
  'frequency',
  'collector',
  'direction',
  'target',
  'chartType',
  'multiplier',
]

/** One data point typed into the form: the period and the numbers, as text (checked by the service). */
export const pointForm = z.object({
  // A date, checked by checkPeriod (which refuses dates before 2000 as possible dates of birth).
  period: requiredPlainText('the date of the period', 30),
  value: optionalText('the value', 40),
  numerator: optionalText('the numerator', 40),
  denominator: optionalText('the denominator', 40),
  excluded: checkbox,
  exclusionReason: optionalText('the reason', 500),
  version,
})
export type PointFormInput = z.infer<typeof pointForm>

export const pasteForm = z.object({
  // A table: the service screens it cell by cell (screenTable), naming each row and column.
  data: requiredPlainText('the data to paste', 250_000),
  replace: checkbox,
})

export const mappingQuery = z.object({
  header: z.preprocess(
    (v) => (v === undefined ? undefined : v === '1' || v === 'on' || v === 'true'),
    z.boolean().optional(),
  ),
  date: z.coerce.number().int().min(0).max(60).optional(),
  first: z.coerce.number().int().min(0).max(60).optional(),
  second: z.coerce.number().int().min(0).max(60).optional(),
})

export const annotationForm = z.object({
  date: requiredText('the date', 30),
  text: requiredText('what happened', 300),
  pdsaId: optionalText('the PDSA cycle', 100),
  isRebase: checkbox,
})
export type AnnotationInput = z.infer<typeof annotationForm>

export const deleteForm = z.object({ confirm: z.literal('yes', { error: 'Select yes to delete it' }) })
