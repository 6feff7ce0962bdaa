import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { CurrentUser } from '../core/identity.js'
import { UnauthenticatedError } from '../core/errors.js'

/**
 * Permission first: a route-level preHandler that checks who asks (resolving the object the
 * route is about) before the handler reads or validates the body, so a person without the right
 * gets 401, 403 or 404 whatever they send. A page (GET) sends the visitor to sign in; a form
 * (POST) answers 401. `check` throws ForbiddenError or NotFoundError to refuse.
 *
 * @example app.post('/x/:id', { preHandler: guard((user, r) => service.requireManager(user, idOf(r))) }, handler)
 */
export function guard(
  check: (user: CurrentUser, request: FastifyRequest) => unknown,
): preHandlerAsyncHookHandler {
  return async (request) => {
    // The error handler sends a page's visitor to sign in and answers a form with 401.
    if (!request.user) throw new UnauthenticatedError()
    await check(request.user, request)
  }
}

/** Any signed-in member may use the route; what they send is then checked against their own records. */
export const signedIn: preHandlerAsyncHookHandler = guard(() => undefined)
