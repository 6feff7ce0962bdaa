import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import { ReportCache } from '../report-cache.js'
import { writeAudit } from '../../audit/service.js'
import { actorLabel, type CurrentUser } from '../../core/identity.js'
import { newId } from '../../core/ids.js'
import type { MailService } from '../../mail/service.js'
import { ConflictError, ForbiddenError, ValidationError } from '../../core/errors.js'
import type { CapacityService } from '../capacity/service.js'
import { findAssignment, listAssignments, setActualHours } from '../capacity/repository.js'
import type { AssignmentInput, DecisionInput } from '../forms.js'
import { ENDED_STATUSES, REASON_REQUIRED, refusal, type RequestStatus } from './lifecycle.js'
import { canOverridePriority, canTriage } from '../policy.js'
import { insertDecision, setPriorityOverride, updateStatus } from './repository.js'
import { insertAssignments, lockRequest, notifyRequester } from './request-helpers.js'

/**
 * The triage team's side of a support request: lifecycle decisions (checked against the
 * transition table, with reasons, audited and e-mailed through the outbox in the same
 * transaction), priority overrides, and QI specialists' hours.
 */
export class TriageService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly mail: MailService,
    private readonly baseUrl: string,
    private readonly capacity: CapacityService,
    private readonly cache: ReportCache = new ReportCache(0),
  ) {}

  /** Runs a write in a transaction, then drops the cached reports it may change. */
  private async write<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction().execute(fn)
    } finally {
      this.cache.invalidate()
    }
  }

  private link(id: string): string {
    return `${this.baseUrl}/support/requests/${id}`
  }

  /** A triage decision: checked against the lifecycle, recorded with its reason, audited and e-mailed. */
  async decide(user: CurrentUser, id: string, input: DecisionInput, ip?: string): Promise<RequestStatus> {
    if (!canTriage(user))
      throw new ForbiddenError('Only the Steering Group, QI specialists and admins triage support requests')
    const to = input.decision as RequestStatus
    if (to === 'withdrawn')
      throw new ValidationError({ decision: 'Only the requester can withdraw a request' })
    const now = this.clock().toISOString()
    await this.write(async (trx) => {
      const request = await lockRequest(trx, id)
      const refused = refusal(request.status, to)
      if (refused) throw new ValidationError({ decision: refused })
      if (request.version !== input.version)
        throw new ConflictError(
          'Someone else changed this request after you opened it. Reload the page and decide again.',
        )
      if (REASON_REQUIRED.includes(to) && !input.reason)
        throw new ValidationError({ reason: 'Enter the reason for your decision' })
      let faculty: string | null = null
      if (to === 'declined') {
        if (!input.facultyId)
          throw new ValidationError({ facultyId: 'Select the faculty to signpost the requester to' })
        const found = await trx
          .selectFrom('faculties')
          .select('name')
          .where('id', '=', input.facultyId)
          .executeTakeFirst()
        if (!found) throw new ValidationError({ facultyId: 'Select a faculty from the list' })
        faculty = found.name
      }
      if (to === 'closed' && !input.outcome)
        throw new ValidationError({ outcome: 'Enter the outcome of the work' })
      if (to === 'accepted') {
        if (input.assignments.length === 0)
          throw new ValidationError({ coach1: 'Add at least one QI specialist with their estimated hours' })
        await this.capacity.checkAssignments(trx, input.assignments, input.overrideReason)
      }
      const ok = await updateStatus(trx, id, request.version, {
        status: to,
        now,
        ...(to === 'declined' ? { signpostFacultyId: input.facultyId } : {}),
        ...(to === 'closed' ? { outcome: input.outcome } : {}),
      })
      if (!ok)
        throw new ConflictError(
          'Someone else changed this request after you opened it. Reload the page and decide again.',
        )
      if (to === 'accepted')
        await insertAssignments(
          trx,
          { ...request, status: 'accepted' },
          input.assignments,
          input.overrideReason,
          now,
        )
      await insertDecision(trx, {
        id: newId(),
        requestId: id,
        at: now,
        actorId: user.id,
        actorName: user.name,
        fromStatus: request.status,
        toStatus: to,
        reason: input.reason,
      })
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: `support_request.${to}`,
        entityType: 'support_request',
        entityId: id,
        ip,
        before: { status: request.status },
        after: {
          status: to,
          reason: input.reason,
          facultyId: to === 'declined' ? input.facultyId : undefined,
          outcome: to === 'closed' ? input.outcome : undefined,
          assignments: to === 'accepted' ? input.assignments : undefined,
          overrideReason: input.overrideReason || undefined,
        },
      })
      await notifyRequester(
        trx,
        this.mail,
        this.link(id),
        request,
        to,
        input.reason,
        faculty,
        to === 'closed' ? input.outcome : null,
      )
    })
    return to
  }

  /** The Steering Group sets (or clears, with null) the priority used to order the queue, saying why. */
  async overridePriority(
    user: CurrentUser,
    id: string,
    input: { score: number | null; reason: string },
    ip?: string,
  ): Promise<void> {
    if (!canOverridePriority(user))
      throw new ForbiddenError('Only the Steering Group can change a request’s priority')
    const now = this.clock().toISOString()
    await this.write(async (trx) => {
      const request = await lockRequest(trx, id)
      if (ENDED_STATUSES.includes(request.status))
        throw new ValidationError({ score: 'This request has ended; its priority can no longer change' })
      await setPriorityOverride(trx, id, input.score, input.score === null ? null : input.reason, now)
      await insertDecision(trx, {
        id: newId(),
        requestId: id,
        at: now,
        actorId: user.id,
        actorName: user.name,
        fromStatus: request.status,
        toStatus: request.status,
        reason:
          input.score === null
            ? `Priority override removed: ${input.reason}`
            : `Priority set to ${input.score}: ${input.reason}`,
      })
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'support_request.priority_override',
        entityType: 'support_request',
        entityId: id,
        ip,
        before: { score: request.priorityOverride, reason: request.priorityOverrideReason },
        after: input,
      })
    })
  }

  /** More QI specialists' hours for work already accepted. */
  async addAssignments(
    user: CurrentUser,
    id: string,
    input: { assignments: AssignmentInput[]; overrideReason: string },
    ip?: string,
  ): Promise<void> {
    if (!canTriage(user)) throw new ForbiddenError()
    const now = this.clock().toISOString()
    await this.write(async (trx) => {
      const request = await lockRequest(trx, id)
      if (!['accepted', 'scoping', 'in_delivery'].includes(request.status))
        throw new ValidationError({ coach1: 'Hours can only be added to accepted work that has not ended' })
      for (const a of input.assignments) {
        if (await findAssignment(trx, id, a.coachId, a.month))
          throw new ValidationError({
            [`month${a.row}`]: 'This QI specialist already has hours on this request that month',
          })
      }
      await this.capacity.checkAssignments(trx, input.assignments, input.overrideReason)
      await insertAssignments(trx, request, input.assignments, input.overrideReason, now)
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'support_request.hours_added',
        entityType: 'support_request',
        entityId: id,
        ip,
        after: input,
      })
    })
  }

  /** Actual hours spent, per assignment (blank clears); never negative. */
  async recordActualHours(
    user: CurrentUser,
    id: string,
    values: Record<string, number | null>,
    ip?: string,
  ): Promise<void> {
    if (!canTriage(user)) throw new ForbiddenError()
    const now = this.clock().toISOString()
    await this.write(async (trx) => {
      const request = await lockRequest(trx, id)
      if (!['accepted', 'scoping', 'in_delivery', 'closed', 'withdrawn'].includes(request.status))
        throw new ValidationError({ _form: 'This request has no accepted work to record hours against' })
      const before = await listAssignments(trx, id)
      for (const [assignmentId, hours] of Object.entries(values)) {
        if (hours !== null && hours < 0)
          throw new ValidationError({ [`actual-${assignmentId}`]: 'Actual hours cannot be negative' })
        if (!(await setActualHours(trx, assignmentId, id, hours, now)))
          throw new ValidationError({ _form: 'Reload the page: an assignment was not found' })
      }
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'support_request.actual_hours',
        entityType: 'support_request',
        entityId: id,
        ip,
        before: before.map((a) => ({ id: a.id, actual: a.actualHours })),
        after: values,
      })
    })
  }
}
