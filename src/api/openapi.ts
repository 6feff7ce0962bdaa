import { z } from 'zod'
import { API_BASE } from './service.js'
import { apiComponents, apiEndpoints, problem, type ApiEndpoint } from './schemas.js'

type JsonSchema = Record<string, unknown>

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` })
const idOf = (schema: z.ZodType) => apiComponents.get(schema)?.id

/** A schema as JSON Schema 2020-12: a $ref when it is a named component. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const id = idOf(schema)
  if (id) return ref(id)
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema
  return rest
}

/** `/projects/:projectId` → `/api/v1/projects/{projectId}`. */
export const openApiPath = (path: string) => API_BASE + path.replace(/:([A-Za-z]+)/g, '{$1}')

function parameters(e: ApiEndpoint) {
  const out: JsonSchema[] = []
  for (const [where, schema] of [
    ['path', e.schema.params],
    ['query', e.schema.querystring],
  ] as const) {
    if (!schema) continue
    for (const [name, field] of Object.entries(schema.shape)) {
      const { description, ...fieldSchema } = jsonSchema(field, 'input')
      out.push({
        name,
        in: where,
        ...(where === 'path' || !field.safeParse(undefined).success ? { required: true } : {}),
        ...(description ? { description } : {}),
        schema: fieldSchema,
      })
    }
  }
  return out
}

const problemResponse = {
  description: apiComponents.get(problem)?.description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
}

function operation(operationId: string, e: ApiEndpoint) {
  const responses: Record<string, unknown> = {}
  for (const [status, schema] of Object.entries(e.schema.response))
    responses[status] = {
      description: status === '201' ? 'Added' : 'OK',
      content: { 'application/json': { schema: jsonSchema(schema, 'output') } },
    }
  for (const status of e.problems) responses[String(status)] = problemResponse
  return {
    operationId,
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    ...(e.writes ? { security: [{ bearerToken: [] }] } : {}),
    parameters: parameters(e),
    ...(e.schema.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(e.schema.body, 'input') } },
          },
        }
      : {}),
    responses,
  }
}

function components() {
  const { schemas } = z.toJSONSchema(apiComponents, {
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  }) as { schemas: Record<string, JsonSchema> }
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]),
  )
}

function buildDocument() {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const [operationId, e] of Object.entries(apiEndpoints) as [string, ApiEndpoint][]) {
    const path = openApiPath(e.path)
    paths[path] = { ...paths[path], [e.method.toLowerCase()]: operation(operationId, e) }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Improvement community API',
      version: '1.0.0',
      description:
        'Projects, measures and their data points, as the signed-in person would see them on the website. Authenticate with a personal API token (`Authorization: Bearer qi_…`), created at /account/tokens. Without a token, only published public projects are visible. Counts from 1 to 4 are suppressed (value null, `suppressed: true`) for people outside a project team. Errors are problem details (`application/problem+json`); validation problems list the failing fields in `errors`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerToken: [] }, {}],
    paths,
    components: {
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A personal API token from /account/tokens',
        },
      },
      schemas: components(),
    },
  }
}

/**
 * The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json and listed on
 * /api/docs, generated from the schemas the routes declare (schemas.ts), so it cannot drift.
 */
export const openApiDocument = buildDocument()

/** The endpoints, for the HTML page at /api/docs. */
export function endpointList(): { method: string; path: string; summary: string }[] {
  return Object.values(apiEndpoints as Record<string, ApiEndpoint>).map((e) => ({
    method: e.method,
    path: openApiPath(e.path),
    summary: e.summary,
  }))
}
