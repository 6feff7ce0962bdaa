import type { FastifyRequest } from 'fastify'
import type { MeasureService } from './service.js'
import { requestMeta } from '../web/plugin.js'
import { guard } from '../web/guard.js'

/** The services these routes use: app.ts passes only these. */
export interface MeasuresRouteServices {
  measures: MeasureService
}

export const idOf = (request: FastifyRequest) => (request.params as { id: string }).id
export const ip = (request: FastifyRequest) => requestMeta(request).ip

/** Permission first: the right to change the measure (or the project) before the form is read. */
export function measureGuards(measures: MeasureService) {
  return {
    canEditMeasure: guard((user, request) => measures.context(user, idOf(request), 'edit')),
    canEditProject: guard((user, request) => measures.projectContext(user, idOf(request), 'edit')),
  }
}

/** Radio or checkbox items from `{ value: text }`, the chosen one checked. */
export const items = (options: Record<string, string>, selected?: string) =>
  Object.entries(options).map(([value, text]) => ({ value, text, checked: value === selected }))
