import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { CurrentUser } from '../core/identity.js'
import type { SpcSuccess } from '../spc/index.js'
import { NotFoundError } from '../core/errors.js'
import type { MeasureService } from './service.js'
import { requestMeta } from '../web/plugin.js'
import { guard } from '../web/guard.js'
import { idParam, idParams } from '../web/route-schemas.js'

/** The services these routes use: app.ts passes only these. */
export interface MeasuresRouteServices {
  measures: MeasureService
  /** The built-in QI coach (coach/ CoachService): a measure's advice, and why chart points are flagged. */
  coach?: {
    forMeasure(user: CurrentUser | null, measureId: string): Promise<unknown[]>
    whyFlagged(result: SpcSuccess | null): readonly { from: number; to: number; sentence: string }[]
  }
}

/** The params of the routes about one data point, import or annotation of a measure (`:id`). */
export const pointParams = z.object({ id: idParam, period: idParam })
export const importParams = z.object({ id: idParam, importId: idParam })
export const annotationParams = z.object({ id: idParam, annotationId: idParam })

/** What the context helpers of a route file read: a request whose `:id` its schema checked. */
export interface MeasureRequest {
  user: CurrentUser | null
  params: { id: string }
}

export const ip = (request: FastifyRequest) => requestMeta(request).ip

/**
 * Permission first: the right to change the measure (or the project) before the form is read.
 * The route's schema has already checked `:id` (preHandlers run after validation).
 */
export function measureGuards(measures: MeasureService) {
  const idOf = (request: FastifyRequest) => {
    const params = idParams.safeParse(request.params)
    if (!params.success) throw new NotFoundError()
    return params.data.id
  }
  return {
    canEditMeasure: guard((user, request) => measures.context(user, idOf(request), 'edit')),
    canEditProject: guard((user, request) => measures.projectContext(user, idOf(request), 'edit')),
  }
}

/** Radio or checkbox items from `{ value: text }`, the chosen one checked. */
export const items = (options: Record<string, string>, selected?: string) =>
  Object.entries(options).map(([value, text]) => ({ value, text, checked: value === selected }))
