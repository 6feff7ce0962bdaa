import { ForbiddenError } from '../core/errors.js'
import { guard } from '../web/guard.js'
import { paramOf } from '../web/route-schemas.js'
import type { EventServices } from './index.js'
import { canCreateEvents, canManageEvent } from './policy.js'

/** Permission first for events (web/guard.ts): who asks is checked before the form is read. */
export function eventGuards(e: EventServices) {
  return {
    eventCreator: guard((user) => {
      if (!canCreateEvents(user))
        throw new ForbiddenError('Only QI specialists, the Steering Group and programme leads create events')
    }),
    /** The organiser, the event's programme leads and the facilitation team (edit, check-in). */
    eventManager: guard(async (user, request) => {
      const event = await e.events.get(paramOf(request, 'id'))
      if (!canManageEvent(user, event))
        throw new ForbiddenError('Only the organiser and the facilitation team can change this event')
    }),
  }
}
