import { z } from 'zod'
import { CHART_CHOICES, DATA_KINDS, DIRECTIONS, MEASURE_TYPES } from '../measures/policy.js'
import { VISIBILITIES } from '../projects/policy.js'
import { idParam, pageNumber } from '../web/route-schemas.js'

/**
 * The JSON API's schemas: routes.ts declares them on each route (so Fastify checks params,
 * query and body, and the handlers' answers are typed), openapi.ts turns them into the OpenAPI
 * document, and api-contract.db.test.ts checks every answer against them. Named schemas become
 * `#/components/schemas/<id>`.
 */
export const apiComponents = z.registry<{ id: string; description?: string }>()

const named = <S extends z.ZodType>(id: string, schema: S, description?: string) => {
  apiComponents.add(schema, { id, description })
  return schema
}

const links = (...names: string[]) =>
  z
    .strictObject(Object.fromEntries(names.map((n) => [n, z.string()])))
    .meta({ description: 'Related addresses' })

export const problem = named(
  'Problem',
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    errors: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: 'Validation messages by field name (`period`, `points.3.value`)' }),
  }),
  'A problem (RFC 9457)',
)

const timestamp = z.string().meta({ format: 'date-time' })
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
// The database keeps visibility as text: checked against the ladder, typed as the string it is.
const visibility = z
  .string()
  .refine((v) => (VISIBILITIES as readonly string[]).includes(v))
  .meta({ enum: [...VISIBILITIES] })

export const projectSummary = named(
  'ProjectSummary',
  z.strictObject({
    id: z.string(),
    title: z.string(),
    status: z.string(),
    visibility,
    updatedAt: timestamp,
    lastActivityAt: timestamp,
    links: links('self', 'measures', 'page'),
  }),
)

export const projectList = named(
  'ProjectList',
  z.strictObject({
    items: z.array(projectSummary),
    page: z.int(),
    pageSize: z.int(),
    total: z.int(),
  }),
)

export const project = named(
  'Project',
  z.strictObject({
    id: z.string(),
    title: z.string(),
    problem: z.string(),
    status: z.string(),
    visibility,
    programmeId: z.string().nullable(),
    qsirStage: z.string(),
    progressScore: z.number().nullable(),
    isDemo: z.boolean(),
    organisations: z.array(z.strictObject({ id: z.string(), name: z.string() })),
    createdAt: timestamp,
    updatedAt: timestamp,
    lastActivityAt: timestamp,
    canEdit: z.boolean(),
    links: links('self', 'measures', 'page'),
  }),
)

const chart = z.enum(Object.keys(CHART_CHOICES) as [keyof typeof CHART_CHOICES])

export const spcSummary = named(
  'SpcSummary',
  z.strictObject({
    chart,
    method: z.enum(['mdc', 'anhoej']),
    points: z.int(),
    centre: z.number().nullable(),
    lowerLimit: z.number().nullable(),
    upperLimit: z.number().nullable(),
    variation: z.string().nullable(),
    variationIcon: z.string().nullable(),
    assurance: z.string().nullable(),
    assuranceIcon: z.string().nullable(),
    runsSignal: z.boolean().nullable(),
    latest: z
      .strictObject({ period: isoDate, value: z.number().nullable(), suppressed: z.boolean() })
      .nullable(),
  }),
)

const measureFields = {
  id: z.string(),
  projectId: z.string(),
  type: z.enum(Object.keys(MEASURE_TYPES) as [keyof typeof MEASURE_TYPES]),
  name: z.string(),
  unit: z.string(),
  direction: z.enum(Object.keys(DIRECTIONS) as [keyof typeof DIRECTIONS]),
  target: z.number().nullable(),
  dataKind: z.enum(Object.keys(DATA_KINDS) as [keyof typeof DATA_KINDS]),
  chartType: chart,
  chartChosen: z.boolean().meta({ description: 'Whether the team chose the chart (else the suggested one)' }),
  multiplier: z.number(),
  updatedAt: timestamp,
  spc: spcSummary,
  links: links('self', 'dataPoints', 'page'),
}

export const measure = named('Measure', z.strictObject(measureFields))

export const measureList = named('MeasureList', z.strictObject({ items: z.array(measure) }))

export const measureDetail = named(
  'MeasureDetail',
  z.strictObject({
    ...measureFields,
    operationalDefinition: z.strictObject({
      numerator: z.string(),
      denominator: z.string(),
      inclusions: z.string(),
      exclusions: z.string(),
      source: z.string(),
      sampling: z.string(),
      frequency: z.string(),
      collector: z.string(),
    }),
    description: z.string(),
    suppressedPoints: z.int(),
    annotations: z.array(
      z.strictObject({
        date: isoDate,
        text: z.string(),
        isRebase: z.boolean(),
        pdsaId: z.string().nullable(),
      }),
    ),
    pdsaMarks: z.array(z.strictObject({ date: isoDate, label: z.string(), pdsaId: z.string() })),
  }),
)

export const dataPoint = named(
  'DataPoint',
  z.strictObject({
    period: isoDate,
    value: z.number().nullable().meta({ description: 'Continuous data and counts; null when suppressed' }),
    numerator: z.number().nullable(),
    denominator: z.number().nullable(),
    plotted: z
      .number()
      .nullable()
      .meta({ description: 'The value on the chart (numerator ÷ denominator × multiplier)' }),
    excluded: z.boolean(),
    exclusionReason: z.string().nullable(),
    suppressed: z
      .boolean()
      .meta({ description: 'True when a count from 1 to 4 is hidden from you (small numbers)' }),
  }),
)

export const dataPointList = named(
  'DataPointList',
  z.strictObject({
    measureId: z.string(),
    dataKind: measureFields.dataKind,
    items: z.array(dataPoint),
  }),
)

/*
 * A new point's numbers are checked by the measures service, which knows the measure (value,
 * or numerator and denominator) and reports every field of every point at once, duplicate
 * periods included. So the edge checks the shape and the period's type; the document still
 * says the numbers are numbers.
 */
const number = (description: string) => z.unknown().optional().meta({ type: 'number', description })

export const newDataPoint = named(
  'NewDataPoint',
  z.object({
    period: z
      .string({ error: 'Give the period as a date, like 2024-04-01' })
      .meta({ description: 'A date: 2024-04-01 (also 01/04/2024, Apr 2024)' }),
    value: number('Continuous data and counts'),
    numerator: number('Proportions and rates'),
    denominator: number('Proportions and rates'),
  }),
)

export const newDataPoints = named(
  'NewDataPoints',
  z.union([
    newDataPoint,
    z.object({
      points: z
        .array(newDataPoint)
        .min(1, { error: 'Send at least one data point' })
        .max(1000, { error: 'Send at most 1,000 data points at a time' }),
    }),
  ]),
  'One data point, or several at once (all or none)',
)

export const pointsAdded = named(
  'PointsAdded',
  z.strictObject({
    added: z.int(),
    periods: z.array(isoDate),
    links: links('dataPoints'),
  }),
)

export const posterSummary = named(
  'Poster',
  z.strictObject({
    id: z.string(),
    title: z.string(),
    summary: z.string().meta({ description: 'Plain text, as screen readers and search read it' }),
    occasion: z.strictObject({ id: z.string(), title: z.string() }).nullable(),
    year: z.int().nullable(),
    programme: z.strictObject({ id: z.string(), name: z.string() }).nullable(),
    funder: z.string().nullable(),
    approvedAt: timestamp.nullable(),
    links: links('self', 'page', 'file', 'thumbnail'),
  }),
  'A published poster of the showcase (approved, with consent)',
)

export const posterList = named(
  'PosterList',
  z.strictObject({ items: z.array(posterSummary), page: z.int(), pageSize: z.int(), total: z.int() }),
)

export const posterListQuery = z.object({
  q: z.string().trim().max(200).optional().meta({ description: 'Words in the title or summary' }),
  page: pageNumber.default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
})

export const posterParams = z.object({ posterId: idParam.meta({ description: 'The poster id' }) })

export const projectListQuery = z.object({
  q: z.string().trim().max(100).optional().meta({ description: 'Words in the title' }),
  status: z.string().trim().max(30).optional().meta({ description: 'Only projects in this state' }),
  page: pageNumber.default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
})

export const projectParams = z.object({ projectId: idParam.meta({ description: 'The project id' }) })
export const measureParams = z.object({ measureId: idParam.meta({ description: 'The measure id' }) })

/** Problems every API route may answer: no or a bad token, too many requests. */
const always = [401, 429]

/**
 * The API's routes, under API_BASE. routes.ts registers a handler for each, with this `schema`;
 * openapi.ts describes each from the same fields.
 */
export const apiEndpoints = {
  listProjects: {
    method: 'GET',
    path: '/projects',
    summary: 'List the projects you can see',
    schema: { querystring: projectListQuery, response: { 200: projectList } },
    problems: [400, ...always],
  },
  getProject: {
    method: 'GET',
    path: '/projects/:projectId',
    summary: 'Get one project',
    schema: { params: projectParams, response: { 200: project } },
    problems: [400, ...always, 404],
  },
  listMeasures: {
    method: 'GET',
    path: '/projects/:projectId/measures',
    summary: "List a project's measures, each with its SPC summary",
    schema: { params: projectParams, response: { 200: measureList } },
    problems: [400, ...always, 404],
  },
  getMeasure: {
    method: 'GET',
    path: '/measures/:measureId',
    summary: 'Get a measure with its operational definition, SPC summary and annotations',
    schema: { params: measureParams, response: { 200: measureDetail } },
    problems: [400, ...always, 404],
  },
  listDataPoints: {
    method: 'GET',
    path: '/measures/:measureId/data-points',
    summary: "List a measure's data points (small numbers suppressed outside the team)",
    schema: { params: measureParams, response: { 200: dataPointList } },
    problems: [400, ...always, 404],
  },
  listPosters: {
    method: 'GET',
    path: '/posters',
    summary: 'List the published posters you can see (public ones without a token)',
    schema: { querystring: posterListQuery, response: { 200: posterList } },
    problems: [400, ...always],
  },
  getPoster: {
    method: 'GET',
    path: '/posters/:posterId',
    summary: 'Get one published poster',
    schema: { params: posterParams, response: { 200: posterSummary } },
    problems: [400, ...always, 404],
  },
  addDataPoints: {
    method: 'POST',
    path: '/measures/:measureId/data-points',
    summary: 'Add one data point, or several at once (all or none)',
    description:
      'Needs a token with write access, held by a member of the project team. Send `value` for continuous data and counts, `numerator` and `denominator` for proportions and rates. Cookies are never accepted here.',
    writes: true,
    schema: { params: measureParams, body: newDataPoints, response: { 201: pointsAdded } },
    problems: [400, ...always, 403, 404],
  },
} as const satisfies Record<string, ApiEndpoint>

export interface ApiEndpoint {
  method: 'GET' | 'POST'
  path: string
  summary: string
  description?: string
  /** Needs a token with write access (no anonymous call). */
  writes?: boolean
  schema: {
    params?: z.ZodObject
    querystring?: z.ZodObject
    body?: z.ZodType
    response: Partial<Record<200 | 201, z.ZodType>>
  }
  problems: readonly number[]
}
