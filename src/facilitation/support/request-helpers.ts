import type { Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import { newId } from '../../core/ids.js'
import type { MailService } from '../../mail/service.js'
import { NotFoundError } from '../../core/errors.js'
import { insertAssignment } from '../capacity/repository.js'
import { isPostgres } from '../../db/dialect.js'
import type { AssignmentInput } from '../forms.js'
import type { RequestStatus } from './lifecycle.js'
import { findRequest, type SupportRequest } from './repository.js'
import { statusMail } from './mail.js'

/** Loads a request for a change, locking its row on PostgreSQL so decisions on it queue up. */
export async function lockRequest(trx: Transaction<DB>, id: string): Promise<SupportRequest> {
  let q = trx.selectFrom('support_requests').select('id').where('id', '=', id)
  if (isPostgres(trx)) q = q.forUpdate()
  if (!(await q.executeTakeFirst())) throw new NotFoundError()
  return (await findRequest(trx, id))!
}

/** E-mails the requester a decision, through the outbox in the caller's transaction. */
export async function notifyRequester(
  trx: Transaction<DB>,
  mail: MailService,
  link: string,
  request: SupportRequest,
  status: RequestStatus,
  reason: string,
  facultyName: string | null,
  outcome: string | null,
): Promise<void> {
  if (!request.requesterEmail) return
  const message = statusMail({
    requesterName: request.requesterName ?? 'there',
    title: request.title,
    status,
    reason,
    facultyName,
    outcome,
    link,
  })
  await mail.enqueue(trx, { kind: 'support_request_status', to: request.requesterEmail, ...message })
}

/** Adds QI specialists' hours to a request, copying what capacity sums need from it. */
export async function insertAssignments(
  trx: Transaction<DB>,
  request: { id: string; status: RequestStatus; programmeId: string | null; organisationId: string | null },
  rows: AssignmentInput[],
  overrideReason: string,
  now: string,
): Promise<void> {
  for (const a of rows) {
    await insertAssignment(trx, {
      id: newId(),
      requestId: request.id,
      coachId: a.coachId,
      month: a.month,
      hours: a.hours,
      overrideReason: overrideReason || null,
      request,
      now,
    })
  }
}
