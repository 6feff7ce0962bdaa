import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { newId } from '../core/ids.js'
import type { MailService } from '../mail/service.js'
import { ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js'
import { takeQueueNo } from './cohort-repository.js'
import { cohortContext, type CohortContext } from './context.js'
import { cohortOpen, courseEligibility } from './eligibility.js'
import {
  activeInCourse,
  completedCourseIds,
  findEnrolment,
  firstWaitlisted,
  insertEnrolment,
  personContact,
  recount,
  renewEnrolment,
  setStatus,
  lockLearner,
} from './enrolment-repository.js'
import { ACTIVE_STATUSES, type EnrolmentStatus } from './levels.js'
import { declinedMail, enrolmentMail, promotedMail, withdrawnMail } from './messages.js'
import { canManageFaculty, requireFacultyManager } from './policy.js'
import { organisationNames } from './repository.js'

const ALREADY: Partial<Record<EnrolmentStatus, string>> = {
  enrolled: 'You already have a place on this cohort.',
  waitlisted: 'You are already on the waiting list for this cohort.',
  requested: 'You have already asked for a place on this cohort. The faculty has not decided yet.',
  completed: 'You have already taken part in this cohort.',
  not_completed: 'You have already taken part in this cohort.',
}

export interface Mailer {
  mail: MailService
  baseUrl: string
}

/** Mails a learner about their place, inside the caller's transaction. */
export async function mailLearner(
  trx: Transaction<DB>,
  m: Mailer,
  userId: string,
  ctx: CohortContext,
  kind: string,
  build: (place: { name: string; courseTitle: string; cohortName: string; courseUrl: string }) => {
    subject: string
    text: string
  },
) {
  const person = await personContact(trx, userId)
  const message = build({
    name: person.name,
    courseTitle: ctx.course.title,
    cohortName: ctx.cohort.name,
    courseUrl: `${m.baseUrl}/learning/courses/${ctx.course.slug}`,
  })
  await m.mail.enqueue(trx, { to: person.email, kind, ...message })
}

/**
 * Fills free places from the waiting list, longest-waiting first, and tells each
 * person promoted. Call while holding the cohort's lock.
 */
export async function promoteWaitlisted(
  trx: Transaction<DB>,
  m: Mailer,
  ctx: CohortContext,
  capacity: number,
  now: string,
): Promise<string[]> {
  let { placesTaken } = await recount(trx, ctx.cohort.id)
  const promoted: string[] = []
  while (placesTaken < capacity) {
    const next = await firstWaitlisted(trx, ctx.cohort.id)
    if (!next) break
    await setStatus(trx, next.id, 'enrolled', now)
    await mailLearner(trx, m, next.userId, ctx, 'learning_promoted', promotedMail)
    await writeAudit(trx, now, {
      actorId: null,
      actorLabel: 'system',
      action: 'enrolment.promote',
      entityType: 'enrolment',
      entityId: next.id,
      after: { cohortId: ctx.cohort.id, userId: next.userId },
    })
    promoted.push(next.userId)
    placesTaken++
  }
  await recount(trx, ctx.cohort.id)
  return promoted
}

/** Asking for a place, withdrawing, and the faculty's approvals. Every decision holds the cohort's lock. */
export class EnrolmentService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly m: Mailer,
  ) {}

  /** Enrolled, waitlisted or (when the course needs approval) requested; refused with the reason otherwise. */
  async request(user: CurrentUser, cohortId: string, ip?: string): Promise<EnrolmentStatus> {
    const now = this.clock()
    const at = now.toISOString()
    return this.db.transaction().execute(async (trx) => {
      await lockLearner(trx, user.id)
      const ctx = await cohortContext(trx, cohortId, { lock: true })
      const { cohort, course } = ctx
      if (!course.published) throw new NotFoundError()
      const open = cohortOpen(cohort, now)
      if (!open.eligible) throw new ValidationError({ cohort: open.reason })
      const existing = await findEnrolment(trx, { cohortId, userId: user.id })
      if (existing && ALREADY[existing.status])
        throw new ValidationError({ cohort: ALREADY[existing.status]! })
      const other = await activeInCourse(trx, user.id, course.id)
      if (other) {
        throw new ValidationError({
          cohort: `You already hold or wait for a place on ${other.cohortName} of this course. Withdraw from it first if you want this cohort instead.`,
        })
      }
      const eligibility = courseEligibility(
        user,
        course,
        await completedCourseIds(trx, user.id),
        await organisationNames(trx),
      )
      if (!eligibility.eligible) throw new ValidationError({ cohort: eligibility.reason })
      const { placesTaken } = await recount(trx, cohortId)
      const status: EnrolmentStatus = course.requiresApproval
        ? 'requested'
        : placesTaken < cohort.capacity
          ? 'enrolled'
          : 'waitlisted'
      const queueNo = await takeQueueNo(trx, cohort)
      const id = existing?.id ?? newId()
      if (existing) await renewEnrolment(trx, id, status, queueNo, at)
      else await insertEnrolment(trx, { id, cohortId, userId: user.id, status, queueNo, now: at })
      await recount(trx, cohortId)
      await mailLearner(trx, this.m, user.id, ctx, `learning_${status}`, (p) => enrolmentMail(status, p))
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'enrolment.request',
        entityType: 'enrolment',
        entityId: id,
        ip,
        after: { cohortId, status, queueNo },
      })
      return status
    })
  }

  /** The learner, or the faculty, gives up a place or a place in the queue; a freed place goes to the waiting list. */
  /** What withdrawing would end, for the confirmation page (the same checks as `withdraw`). */
  async withdrawal(user: CurrentUser, enrolmentId: string) {
    const enrolment = await findEnrolment(this.db, { id: enrolmentId })
    if (!enrolment) throw new NotFoundError()
    const ctx = await cohortContext(this.db, enrolment.cohortId, { prerequisites: false })
    const byFaculty = enrolment.userId !== user.id
    if (byFaculty && !canManageFaculty(user, ctx.course.facultyId))
      throw new ForbiddenError('You can only withdraw from your own places')
    const person = await this.db
      .selectFrom('users')
      .select('name')
      .where('id', '=', enrolment.userId)
      .executeTakeFirst()
    return {
      enrolment,
      ...ctx,
      byFaculty,
      personName: person?.name ?? '',
      active: ACTIVE_STATUSES.includes(enrolment.status),
    }
  }

  async withdraw(
    user: CurrentUser,
    enrolmentId: string,
    ip?: string,
  ): Promise<{ promoted: number; byFaculty: boolean; cohortId: string; courseSlug: string }> {
    const at = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const found = await findEnrolment(trx, { id: enrolmentId })
      if (!found) throw new NotFoundError()
      const ctx = await cohortContext(trx, found.cohortId, { lock: true, prerequisites: false })
      const byFaculty = found.userId !== user.id
      if (byFaculty && !canManageFaculty(user, ctx.course.facultyId))
        throw new ForbiddenError('You can only withdraw from your own places')
      const enrolment = (await findEnrolment(trx, { id: enrolmentId }))!
      if (!ACTIVE_STATUSES.includes(enrolment.status))
        throw new ValidationError({
          enrolment: 'There is no place or request to withdraw from: it has already ended.',
        })
      await setStatus(trx, enrolment.id, 'withdrawn', at, byFaculty ? user.id : null)
      const promoted =
        enrolment.status === 'enrolled'
          ? await promoteWaitlisted(trx, this.m, ctx, ctx.cohort.capacity, at)
          : []
      await recount(trx, ctx.cohort.id)
      await mailLearner(trx, this.m, enrolment.userId, ctx, 'learning_withdrawn', (p) =>
        withdrawnMail(p, byFaculty),
      )
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'enrolment.withdraw',
        entityType: 'enrolment',
        entityId: enrolment.id,
        ip,
        before: { status: enrolment.status },
        after: { status: 'withdrawn', promoted },
      })
      return { promoted: promoted.length, byFaculty, cohortId: ctx.cohort.id, courseSlug: ctx.course.slug }
    })
  }

  /** The faculty approves a request: a place if one is free, otherwise the waiting list in request order. */
  async decide(
    user: CurrentUser,
    enrolmentId: string,
    decision: 'approve' | 'decline',
    ip?: string,
  ): Promise<{ status: EnrolmentStatus; cohortId: string }> {
    const at = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const found = await findEnrolment(trx, { id: enrolmentId })
      if (!found) throw new NotFoundError()
      const ctx = await cohortContext(trx, found.cohortId, { lock: true, prerequisites: false })
      requireFacultyManager(user, ctx.course.facultyId)
      const enrolment = (await findEnrolment(trx, { id: enrolmentId }))!
      if (enrolment.status !== 'requested')
        throw new ValidationError({ enrolment: 'This request has already been decided.' })
      let status: EnrolmentStatus = 'declined'
      if (decision === 'approve') {
        const { placesTaken } = await recount(trx, ctx.cohort.id)
        status = placesTaken < ctx.cohort.capacity ? 'enrolled' : 'waitlisted'
      }
      await setStatus(trx, enrolment.id, status, at, user.id)
      await recount(trx, ctx.cohort.id)
      if (status === 'declined')
        await mailLearner(trx, this.m, enrolment.userId, ctx, 'learning_declined', declinedMail)
      else
        await mailLearner(trx, this.m, enrolment.userId, ctx, `learning_${status}`, (p) =>
          enrolmentMail(status, p),
        )
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: `enrolment.${decision}`,
        entityType: 'enrolment',
        entityId: enrolment.id,
        ip,
        before: { status: 'requested' },
        after: { status },
      })
      return { status, cohortId: ctx.cohort.id }
    })
  }
}
