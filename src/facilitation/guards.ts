import { ForbiddenError, NotFoundError } from '../core/errors.js'
import { guard } from '../web/guard.js'
import { paramOf } from '../web/route-schemas.js'
import type { FacilitationServices } from './index.js'
import {
  canEditProgramme,
  canManagePriorities,
  canOverridePriority,
  canSeeRequest,
  canTriage,
  canWithdraw,
} from './policy.js'

const TRIAGE_ONLY = 'Only the Steering Group, QI specialists and admins triage support requests'

/**
 * Permission first for facilitation (web/guard.ts): each guard decides from the address
 * and the person alone, before the route reads or validates the form. A role check comes before
 * any lookup, so a refusal says nothing about whether the request or event exists.
 */
export function facilitationGuards(f: FacilitationServices) {
  const triage = (allowed: typeof canTriage, message: string) =>
    guard(async (user, request) => {
      if (!allowed(user)) throw new ForbiddenError(message)
      await f.support.parties(paramOf(request, 'id'))
    })
  return {
    /** The triage team, on an existing request (decide, hours, assignments). */
    triage: triage(canTriage, TRIAGE_ONLY),
    /** The Steering Group and platform admins (priority override). */
    priority: triage(canOverridePriority, 'Only the Steering Group and admins change a request’s priority'),
    /** The triage team (capacity; the service then checks whose hours). */
    triageTeam: guard((user) => {
      if (!canTriage(user)) throw new ForbiddenError(TRIAGE_ONLY)
    }),
    /** Only the requester withdraws; anyone who cannot see the request gets "not found". */
    requester: guard(async (user, request) => {
      const parties = await f.support.parties(paramOf(request, 'id'))
      if (!canSeeRequest(user, parties)) throw new NotFoundError()
      if (!canWithdraw(user, parties))
        throw new ForbiddenError('Only the person who asked for support can withdraw the request')
    }),
    steering: guard((user) => {
      if (!canManagePriorities(user))
        throw new ForbiddenError('Only the Steering Group and admins change the system priorities')
    }),
    programmeEditor: guard(async (user, request) => {
      const programme = await f.programmes.find(paramOf(request, 'slug'))
      if (!canEditProgramme(user, programme.id))
        throw new ForbiddenError('Only the programme’s leads and the Steering Group can edit this programme')
    }),
  }
}
