import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  FastifyTypeProvider,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify'
import { z } from 'zod'
import { ValidationError, type FieldErrors } from '../core/errors.js'

/**
 * Schemas at the edge: a route declares zod schemas for its params, query (and, on the API,
 * body and answers) under `{ schema: { params, querystring } }`; Fastify checks them before the
 * handler runs, and `request.params` / `request.query` are typed from them. A failure is a
 * `ValidationError` naming the field, which the error handler turns into a 400: the NHS.UK
 * error page, or a JSON problem with `errors` for the API and downloads.
 *
 * Our own type provider (a few lines) rather than fastify-type-provider-zod: that package
 * needs @fastify/swagger and openapi-types as peers, and the API builds its OpenAPI document
 * from the same schemas with zod's own `z.toJSONSchema` (src/api/openapi.ts).
 */
export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown
  serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown
}

/** A route plugin's `app`, with params and query typed from its zod schemas. */
export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>

const PART_NAMES: Record<string, string> = { params: 'address', querystring: 'query', body: 'body' }

/** Fastify checks every route schema with zod; answers are sent as JSON.stringify would. */
export function registerRouteSchemas(app: FastifyInstance) {
  app.setValidatorCompiler(({ schema, httpPart, url }) => {
    if (!(schema instanceof z.ZodType)) throw new TypeError(`${url}: route schemas are zod schemas`)
    return (data: unknown) => {
      const parsed = schema.safeParse(data)
      if (parsed.success) return { value: parsed.data }
      return {
        error: new ValidationError(
          issueFields(parsed.error.issues, data, PART_NAMES[httpPart ?? ''] ?? '_form'),
        ),
      }
    }
  })
  // Every route, with a schema or not yet: a param with a control character (NUL, which
  // PostgreSQL refuses in text) or past any id's length names nothing, so it is a 400.
  app.addHook('preValidation', async (request) => {
    const params = (request.params ?? {}) as Record<string, unknown>
    for (const [name, value] of Object.entries(params))
      if (typeof value === 'string' && (value.length > 1000 || /\p{Cc}/u.test(value)))
        throw new ValidationError({
          [name === '*' ? 'path' : name]: 'This address does not name anything we know',
        })
  })
  // Response schemas document the API and type its handlers; the answer itself is not reshaped.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data))
}

/**
 * Field messages by dotted path (`page`, `points.3.period`). For a union that matched no branch,
 * the branch that failed on a key the input has (else with the fewest issues) speaks.
 */
export function issueFields(issues: readonly z.core.$ZodIssue[], input: unknown, root: string): FieldErrors {
  const out: FieldErrors = {}
  for (const issue of flatten(issues, input)) {
    const key = issue.path.map(String).join('.') || root
    if (!(key in out)) out[key] = issue.message
  }
  return out
}

function flatten(issues: readonly z.core.$ZodIssue[], input: unknown): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue]
    const has = (branch: z.core.$ZodIssue[]) =>
      branch.some(
        (i) =>
          typeof input === 'object' && input !== null && i.path.length > 0 && Object.hasOwn(input, i.path[0]),
      )
    const best = [...issue.errors].sort((a, b) => Number(has(b)) - Number(has(a)) || a.length - b.length)[0]
    return best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }))
  })
}

/**
 * An id in an address: uuids, and the demo data's readable ids (`demo-project-discharge`,
 * `org-ghft`). Anything longer, or with spaces, slashes or control characters, is refused.
 */
export const idParam = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:~-]{0,127}$/, { error: 'This address does not name anything we know' })

/** A slug in an address (`what-is-qi`, `qsir-practitioner`). */
export const slugParam = idParam

/** `{ id }`: the params of most routes. */
export const idParams = z.object({ id: idParam })

/** `?page=`: a page number from 1, absent meaning the first. */
export const pageNumber = z.coerce
  .number({ error: 'The page must be a whole number' })
  .int({ error: 'The page must be a whole number' })
  .min(1, { error: 'The page must be 1 or more' })
  .max(100000, { error: 'The page must be 100,000 or less' })

/**
 * A query value a page reads as plain text, absent or repeated (`?kind=a&kind=b`) meaning none:
 * a hand-edited address is ignored rather than refused, as before schemas.
 */
export const queryText = z.string().optional().catch(undefined)

/**
 * A form post's fields, as sent: every key kept (the CSRF and once hooks read `_csrf` and `_once`),
 * never a failure. The form's own zod schema checks the fields inside the handler (`handleForm`),
 * because a bad form is shown again with the NHS.UK error summary, and the hospital-number
 * patterns of the free-text screen are read there, not here.
 */
export const formBody = z.record(z.string(), z.unknown()).catch({})

/** `?next=`: where a sign-in page goes afterwards, made safe by `safeNext` (web/safe-path.ts). */
export const nextQuery = z.object({ next: queryText })

/** `?email=`: the address a "check your e-mail" page names. */
export const emailQuery = z.object({ email: queryText })

const anyParams = z.record(z.string(), z.string())

/**
 * A param read by a guard or hook shared between routes (web/guard.ts), which the route's own
 * schema has already checked; '' when the route has no such param.
 */
export function paramOf(request: FastifyRequest, name: string): string {
  const params = anyParams.safeParse(request.params)
  return (params.success ? params.data[name] : undefined) ?? ''
}

const anyQuery = z.record(z.string(), z.unknown())

/**
 * A query value read by a hook every route runs (CSRF, once), unchecked: a string, a list when
 * repeated, undefined when absent.
 */
export function queryOf(request: FastifyRequest, name: string): unknown {
  const query = anyQuery.safeParse(request.query)
  return query.success ? query.data[name] : undefined
}

/** What a helper shared by several routes reads of a request: who asks, and the params its schema checked. */
export type RequestWithParams<P extends z.ZodType> = FastifyRequest & { params: z.output<P> }
