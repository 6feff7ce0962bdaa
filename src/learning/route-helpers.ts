import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import { guard } from '../web/guard.js'
import { paramOf, slugParam } from '../web/route-schemas.js'
import type { LearningObject } from './access-repository.js'
import type { LearningService } from './service.js'

/** Form fields that may arrive once (a string) or repeated (an array): always a list, so templates can test membership. */
export function withLists(body: unknown, keys: string[]): Record<string, unknown> {
  const values = { ...(typeof body === 'object' && body ? (body as Record<string, unknown>) : {}) }
  for (const k of keys) values[k] = values[k] === undefined ? [] : ([] as unknown[]).concat(values[k])
  return values
}

/** A file to download, never cached by shared caches. */
export function sendFile(reply: FastifyReply, type: string, filename: string, body: string | Buffer) {
  return reply
    .header('content-type', type)
    .header('content-disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`)
    .header('cache-control', 'private, no-store')
    .send(body)
}

/** `{ slug }`: a faculty's or course's address. */
export const slugParams = z.object({ slug: slugParam })

/**
 * Route guards (permission first): who may use a route, checked before its form is read. The
 * route's schema has already checked the param (preHandlers run after validation).
 */
export function learningGuards(learning: LearningService) {
  const { access } = learning
  return {
    /** The faculty's admins for the faculty, course (`:slug`), cohort, session, enrolment or certificate (`:id`). */
    manager: (kind: LearningObject) =>
      guard((user, r) =>
        access.requireManager(
          user,
          kind,
          paramOf(r, kind === 'faculty' || kind === 'course' ? 'slug' : 'id'),
        ),
      ),
    learnerOrManager: guard((user, r) => access.requireLearnerOrManager(user, paramOf(r, 'id'))),
    learner: guard((user, r) => access.requireLearner(user, paramOf(r, 'id'))),
    externalReviewer: guard((user, r) => access.requireExternalReviewer(user, paramOf(r, 'id'))),
  }
}
