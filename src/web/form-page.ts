import type { FastifyReply } from 'fastify'
import type { ZodType } from 'zod'
import { ValidationError, type FieldErrors } from '../core/errors.js'
import { errorList, fieldErrors } from './forms.js'

/** Re-renders a form with the NHS.UK error summary, each field's message and the user's input. */
export function formErrorPage(
  reply: FastifyReply,
  template: string,
  errors: FieldErrors,
  values: unknown,
  context: Record<string, unknown> = {},
  order: string[] = [],
) {
  const safeValues = { ...(typeof values === 'object' && values ? values : {}) } as Record<string, unknown>
  for (const secret of ['password', 'current', 'confirm', '_csrf']) delete safeValues[secret]
  return reply.page(
    template,
    { ...context, values: safeValues, errors, errorItems: errorList(errors, order) },
    400,
  )
}

/**
 * Parses a form with its schema, then runs the action. Bad input (from the schema,
 * or a ValidationError from the service) re-renders the form; anything else
 * propagates to the error handler.
 */
export async function handleForm<T>(
  reply: FastifyReply,
  options: {
    schema: ZodType<T>
    body: unknown
    template: string
    context?: () => Promise<Record<string, unknown>> | Record<string, unknown>
    order?: string[]
  },
  action: (data: T) => Promise<unknown>,
) {
  const parsed = options.schema.safeParse(options.body ?? {})
  const context = async () => (options.context ? await options.context() : {})
  if (!parsed.success)
    return formErrorPage(
      reply,
      options.template,
      fieldErrors(parsed.error),
      options.body,
      await context(),
      options.order,
    )
  try {
    return await action(parsed.data)
  } catch (error) {
    if (error instanceof ValidationError)
      return formErrorPage(
        reply,
        options.template,
        error.fields,
        options.body,
        await context(),
        options.order,
      )
    throw error
  }
}
