import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import { ReportCache } from '../report-cache.js'
import { writeAudit } from '../../audit/service.js'
import { actorLabel, type CurrentUser } from '../../core/identity.js'
import { newId } from '../../core/ids.js'
import type { MailService } from '../../mail/service.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.js'
import { londonToday } from '../../core/dates.js'
import type { SupportRequestInput } from '../forms.js'
import { DECISION_LABELS, ENDED_STATUSES, refusal, staffDecisions, type RequestStatus } from './lifecycle.js'
import { canOverridePriority, canSeeRequest, canTriage, canWithdraw, ledProgrammes } from '../policy.js'
import { suggestedPriority, type ScoreBreakdown } from '../capacity/priority-score.js'
import {
  existingAimCodes,
  existingIds,
  organisationOf,
  steeringGroupEmails,
} from '../programmes/repository.js'
import { listAssignments, type Assignment } from '../capacity/repository.js'
import {
  findRequest,
  insertDecision,
  insertRequest,
  listDecisions,
  updateStatus,
  type Decision,
  type SupportRequest,
} from './repository.js'
import { listVisibleTo, type RequestSummary } from './request-lists.js'
import { newRequestMail, statusMail } from './mail.js'
import { lockRequest, notifyRequester } from './request-helpers.js'

export interface RequestView {
  request: SupportRequest
  decisions: Decision[]
  assignments: Assignment[]
  score: ScoreBreakdown
  effectiveScore: number
  can: {
    triage: boolean
    withdraw: boolean
    override: boolean
    decisions: { value: RequestStatus; text: string }[]
  }
}

/** Support requests: submission, the lifecycle decisions, hours, and the requester's view. */
export class SupportService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly mail: MailService,
    private readonly baseUrl: string,
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

  today(): string {
    return londonToday(this.clock())
  }

  private link(id: string): string {
    return `${this.baseUrl}/support/requests/${id}`
  }

  async submit(user: CurrentUser, input: SupportRequestInput, ip?: string): Promise<string> {
    if (input.startDate < this.today())
      throw new ValidationError({ startDate: 'Start date must be today or in the future' })
    if (input.endDate < input.startDate)
      throw new ValidationError({ endDate: 'End date must be the same as or after the start date' })
    const id = newId()
    const now = this.clock().toISOString()
    const priorityIds = [...new Set(input.priorityIds)]
    const aimCodes = [...new Set(input.aimCodes)]
    await this.write(async (trx) => {
      if (input.programmeId && (await existingIds(trx, 'programmes', [input.programmeId])).length === 0) {
        throw new ValidationError({ programmeId: 'Select a programme from the list' })
      }
      if ((await existingIds(trx, 'system_priorities', priorityIds)).length !== priorityIds.length) {
        throw new ValidationError({ priorityIds: 'Select system priorities from the list' })
      }
      if ((await existingAimCodes(trx, aimCodes)).length !== aimCodes.length)
        throw new ValidationError({ aimCodes: 'Select aims from the list' })
      await insertRequest(
        trx,
        {
          id,
          requesterId: user.id,
          organisationId: await organisationOf(trx, user.id),
          programmeId: input.programmeId || null,
          title: input.title,
          need: input.need,
          scale: input.scale,
          stakeholders: input.stakeholders,
          startDate: input.startDate,
          endDate: input.endDate,
          helpWanted: input.helpWanted,
          aimCodes,
          now,
        },
        priorityIds,
      )
      await insertDecision(trx, {
        id: newId(),
        requestId: id,
        at: now,
        actorId: user.id,
        actorName: user.name,
        fromStatus: null,
        toStatus: 'submitted',
        reason: '',
      })
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'support_request.submit',
        entityType: 'support_request',
        entityId: id,
        ip,
        after: { ...input, priorityIds, aimCodes },
      })
      const mail = statusMail({
        requesterName: user.name,
        title: input.title,
        status: 'submitted',
        reason: '',
        link: this.link(id),
      })
      await this.mail.enqueue(trx, { kind: 'support_request_status', to: user.email, ...mail })
      const notice = newRequestMail({ title: input.title, requesterName: user.name, link: this.link(id) })
      for (const to of await steeringGroupEmails(trx))
        await this.mail.enqueue(trx, { kind: 'support_request_new', to, ...notice })
    })
    return id
  }

  /** Who a request belongs to (for route guards), or "not found". */
  async parties(id: string): Promise<{ requesterId: string | null; programmeId: string | null }> {
    const request = await findRequest(this.db, id)
    if (!request) throw new NotFoundError()
    return { requesterId: request.requesterId, programmeId: request.programmeId }
  }

  async view(user: CurrentUser, id: string): Promise<RequestView> {
    const request = await findRequest(this.db, id)
    if (!request) throw new NotFoundError()
    if (!canSeeRequest(user, request))
      throw new ForbiddenError(
        'Only the requester, their programme’s leads and the triage team can see this request',
      )
    const [decisions, assignments] = await Promise.all([
      listDecisions(this.db, id),
      listAssignments(this.db, id),
    ])
    const score = suggestedPriority(
      { priorityCount: request.priorities.length, scale: request.scale, startDate: request.startDate },
      this.today(),
    )
    const triage = canTriage(user)
    return {
      request,
      decisions,
      assignments,
      score,
      effectiveScore: request.priorityOverride ?? score.total,
      can: {
        triage,
        withdraw: canWithdraw(user, request) && !ENDED_STATUSES.includes(request.status),
        override: canOverridePriority(user) && !ENDED_STATUSES.includes(request.status),
        decisions: triage
          ? staffDecisions(request.status).map((s) => ({ value: s, text: DECISION_LABELS[s] ?? s }))
          : [],
      },
    }
  }

  /** The person's own requests, and those of the programmes they lead. */
  async listFor(user: CurrentUser): Promise<{ mine: RequestSummary[]; programmes: RequestSummary[] }> {
    const all = await listVisibleTo(this.db, user.id, ledProgrammes(user))
    return {
      mine: all.filter((r) => r.requesterId === user.id),
      programmes: all.filter((r) => r.requesterId !== user.id),
    }
  }

  async withdraw(
    user: CurrentUser,
    id: string,
    input: { reason: string; version: number },
    ip?: string,
  ): Promise<void> {
    const now = this.clock().toISOString()
    await this.write(async (trx) => {
      const request = await lockRequest(trx, id)
      if (!canWithdraw(user, request))
        throw new ForbiddenError('Only the person who asked for support can withdraw the request')
      const refused = refusal(request.status, 'withdrawn')
      if (refused) throw new ValidationError({ reason: refused })
      if (!(await updateStatus(trx, id, request.version, { status: 'withdrawn', now })))
        throw new ConflictError('This request changed after you opened it. Reload the page and try again.')
      await insertDecision(trx, {
        id: newId(),
        requestId: id,
        at: now,
        actorId: user.id,
        actorName: user.name,
        fromStatus: request.status,
        toStatus: 'withdrawn',
        reason: input.reason,
      })
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'support_request.withdrawn',
        entityType: 'support_request',
        entityId: id,
        ip,
        before: { status: request.status },
        after: { status: 'withdrawn', reason: input.reason },
      })
      await notifyRequester(trx, this.mail, this.link(id), request, 'withdrawn', input.reason, null, null)
    })
  }
}
