import { API_BASE } from './service.js'

const problem = {
  description: 'A problem (RFC 9457)',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
}
const idParam = (name: string, what: string) => ({
  name,
  in: 'path',
  required: true,
  description: what,
  schema: { type: 'string' },
})

/**
 * The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json and listed on
 * /api/docs. Written by hand next to the routes it describes (src/api/routes.ts).
 */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Improvement community API',
    version: '1.0.0',
    description:
      'Projects, measures and their data points, as the signed-in person would see them on the website. Authenticate with a personal API token (`Authorization: Bearer qi_…`), created at /account/tokens. Without a token, only published public projects are visible. Counts from 1 to 4 are suppressed (value null, `suppressed: true`) for people outside a project team. Errors are problem details (`application/problem+json`); validation problems list the failing fields in `errors`.',
  },
  servers: [{ url: '/' }],
  security: [{ bearerToken: [] }, {}],
  paths: {
    [`${API_BASE}/projects`]: {
      get: {
        operationId: 'listProjects',
        summary: 'List the projects you can see',
        parameters: [
          {
            name: 'q',
            in: 'query',
            description: 'Words in the title',
            schema: { type: 'string', maxLength: 100 },
          },
          {
            name: 'status',
            in: 'query',
            description: 'Only projects in this state',
            schema: { type: 'string' },
          },
          { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
          {
            name: 'pageSize',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
          },
        ],
        responses: {
          '200': {
            description: 'A page of projects',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ProjectList' } } },
          },
          '400': problem,
          '401': problem,
          '429': problem,
        },
      },
    },
    [`${API_BASE}/projects/{projectId}`]: {
      get: {
        operationId: 'getProject',
        summary: 'Get one project',
        parameters: [idParam('projectId', 'The project id')],
        responses: {
          '200': {
            description: 'The project',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Project' } } },
          },
          '401': problem,
          '404': problem,
          '429': problem,
        },
      },
    },
    [`${API_BASE}/projects/{projectId}/measures`]: {
      get: {
        operationId: 'listMeasures',
        summary: "List a project's measures, each with its SPC summary",
        parameters: [idParam('projectId', 'The project id')],
        responses: {
          '200': {
            description: 'The measures',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Measure' } } },
                },
              },
            },
          },
          '401': problem,
          '404': problem,
          '429': problem,
        },
      },
    },
    [`${API_BASE}/measures/{measureId}`]: {
      get: {
        operationId: 'getMeasure',
        summary: 'Get a measure with its operational definition, SPC summary and annotations',
        parameters: [idParam('measureId', 'The measure id')],
        responses: {
          '200': {
            description: 'The measure',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/MeasureDetail' } } },
          },
          '401': problem,
          '404': problem,
          '429': problem,
        },
      },
    },
    [`${API_BASE}/measures/{measureId}/data-points`]: {
      get: {
        operationId: 'listDataPoints',
        summary: "List a measure's data points (small numbers suppressed outside the team)",
        parameters: [idParam('measureId', 'The measure id')],
        responses: {
          '200': {
            description: 'The data points in period order',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/DataPointList' } } },
          },
          '401': problem,
          '404': problem,
          '429': problem,
        },
      },
      post: {
        operationId: 'addDataPoints',
        summary: 'Add one data point, or several at once (all or none)',
        description:
          'Needs a token with write access, held by a member of the project team. Send `value` for continuous data and counts, `numerator` and `denominator` for proportions and rates. Cookies are never accepted here.',
        security: [{ bearerToken: [] }],
        parameters: [idParam('measureId', 'The measure id')],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { $ref: '#/components/schemas/NewDataPoint' },
                  {
                    type: 'object',
                    required: ['points'],
                    properties: {
                      points: {
                        type: 'array',
                        minItems: 1,
                        maxItems: 1000,
                        items: { $ref: '#/components/schemas/NewDataPoint' },
                      },
                    },
                  },
                ],
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'Added',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    added: { type: 'integer' },
                    periods: { type: 'array', items: { type: 'string', format: 'date' } },
                  },
                },
              },
            },
          },
          '400': problem,
          '401': problem,
          '403': problem,
          '404': problem,
          '429': problem,
        },
      },
    },
  },
  components: {
    securitySchemes: {
      bearerToken: {
        type: 'http',
        scheme: 'bearer',
        description: 'A personal API token from /account/tokens',
      },
    },
    schemas: {
      Problem: {
        type: 'object',
        required: ['title', 'status'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          errors: {
            type: 'object',
            additionalProperties: { type: 'string' },
            description: 'Validation messages by field name (`period`, `points.3.value`)',
          },
        },
      },
      ProjectSummary: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'string' },
          visibility: { type: 'string', enum: ['private', 'team', 'organisation', 'community', 'public'] },
          updatedAt: { type: 'string', format: 'date-time' },
          lastActivityAt: { type: 'string', format: 'date-time' },
          links: { type: 'object' },
        },
      },
      ProjectList: {
        type: 'object',
        properties: {
          items: { type: 'array', items: { $ref: '#/components/schemas/ProjectSummary' } },
          page: { type: 'integer' },
          pageSize: { type: 'integer' },
          total: { type: 'integer' },
        },
      },
      Project: {
        allOf: [
          { $ref: '#/components/schemas/ProjectSummary' },
          {
            type: 'object',
            properties: {
              problem: { type: 'string' },
              programmeId: { type: ['string', 'null'] },
              qsirStage: { type: 'string' },
              progressScore: { type: ['number', 'null'] },
              organisations: {
                type: 'array',
                items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
              },
              canEdit: { type: 'boolean' },
            },
          },
        ],
      },
      SpcSummary: {
        type: 'object',
        properties: {
          chart: { type: 'string', enum: ['run', 'i', 'p', 'u', 'c'] },
          method: { type: 'string', enum: ['mdc', 'anhoej'] },
          points: { type: 'integer' },
          centre: { type: ['number', 'null'] },
          lowerLimit: { type: ['number', 'null'] },
          upperLimit: { type: ['number', 'null'] },
          variation: { type: ['string', 'null'] },
          variationIcon: { type: ['string', 'null'] },
          assurance: { type: ['string', 'null'] },
          assuranceIcon: { type: ['string', 'null'] },
          runsSignal: { type: ['boolean', 'null'] },
          latest: {
            type: ['object', 'null'],
            properties: {
              period: { type: 'string', format: 'date' },
              value: { type: ['number', 'null'] },
              suppressed: { type: 'boolean' },
            },
          },
        },
      },
      Measure: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          projectId: { type: 'string' },
          type: { type: 'string', enum: ['outcome', 'process', 'balancing'] },
          name: { type: 'string' },
          unit: { type: 'string' },
          direction: { type: 'string', enum: ['increase', 'decrease', 'neutral'] },
          target: { type: ['number', 'null'] },
          dataKind: { type: 'string', enum: ['continuous', 'proportion', 'rate', 'count'] },
          chartType: { type: 'string' },
          chartChosen: { type: 'boolean' },
          multiplier: { type: 'number' },
          spc: { $ref: '#/components/schemas/SpcSummary' },
          links: { type: 'object' },
        },
      },
      MeasureDetail: {
        allOf: [
          { $ref: '#/components/schemas/Measure' },
          {
            type: 'object',
            properties: {
              operationalDefinition: { type: 'object', additionalProperties: { type: 'string' } },
              description: { type: 'string' },
              suppressedPoints: { type: 'integer' },
              annotations: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    date: { type: 'string', format: 'date' },
                    text: { type: 'string' },
                    isRebase: { type: 'boolean' },
                    pdsaId: { type: ['string', 'null'] },
                  },
                },
              },
              pdsaMarks: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    date: { type: 'string' },
                    label: { type: 'string' },
                    pdsaId: { type: 'string' },
                  },
                },
              },
            },
          },
        ],
      },
      DataPoint: {
        type: 'object',
        properties: {
          period: { type: 'string', format: 'date' },
          value: {
            type: ['number', 'null'],
            description: 'Continuous data and counts; null when suppressed',
          },
          numerator: { type: ['number', 'null'] },
          denominator: { type: ['number', 'null'] },
          plotted: {
            type: ['number', 'null'],
            description: 'The value on the chart (numerator ÷ denominator × multiplier)',
          },
          excluded: { type: 'boolean' },
          exclusionReason: { type: ['string', 'null'] },
          suppressed: {
            type: 'boolean',
            description: 'True when a count from 1 to 4 is hidden from you (small numbers)',
          },
        },
      },
      DataPointList: {
        type: 'object',
        properties: {
          measureId: { type: 'string' },
          dataKind: { type: 'string' },
          items: { type: 'array', items: { $ref: '#/components/schemas/DataPoint' } },
        },
      },
      NewDataPoint: {
        type: 'object',
        required: ['period'],
        properties: {
          period: { type: 'string', description: 'A date: 2024-04-01 (also 01/04/2024, Apr 2024)' },
          value: { type: 'number' },
          numerator: { type: 'number' },
          denominator: { type: 'number' },
        },
      },
    },
  },
} as const

/** The endpoints, for the HTML page at /api/docs. */
export function endpointList(): { method: string; path: string; summary: string }[] {
  const out: { method: string; path: string; summary: string }[] = []
  for (const [path, item] of Object.entries(openApiDocument.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, { summary: string }>))
      out.push({ method: method.toUpperCase(), path, summary: op.summary })
  }
  return out
}
