import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { newId } from '../core/ids.js'
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js'
import {
  deleteSession,
  insertCohort,
  insertSession,
  listSessions,
  refreshCohortDates,
  updateCohort,
  updateSession,
  type CohortValues,
  type Session,
  type SessionValues,
} from './cohort-repository.js'
import { cohortContext, sessionContext } from './context.js'
import { sessionAttendance } from './attendance-repository.js'
import { promoteWaitlisted, type Mailer } from './enrolment-service.js'
import type { CohortInput, SessionInput } from './forms.js'
import { formatWhen } from './messages.js'
import { requireFacultyManager } from './policy.js'
import { findCourse } from './repository.js'
import { londonInstant } from '../core/dates.js'

const timeOnly = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
})

function cohortValues(input: CohortInput): CohortValues {
  const closes = londonInstant(input.closesDate, input.closesTime)
  if (!closes) throw new ValidationError({ closesDate: 'The date enrolment closes must be a real date' })
  return {
    name: input.name,
    capacity: input.capacity,
    enrolmentClosesAt: closes,
    venue: input.venue,
    onlineUrl: input.onlineUrl,
    facilitators: input.facilitators,
  }
}

/** Sessions in one cohort may not overlap and must end after they start. */
export function checkSession(values: SessionValues, others: Session[]): void {
  if (new Date(values.endsAt) <= new Date(values.startsAt))
    throw new ValidationError({ endTime: 'The end time must be after the start time' })
  const clash = others.find(
    (s) => new Date(values.startsAt) < new Date(s.endsAt) && new Date(s.startsAt) < new Date(values.endsAt),
  )
  if (clash) {
    throw new ValidationError({
      startTime: `This session overlaps “${clash.title}” (${formatWhen(clash.startsAt)} to ${timeOnly.format(new Date(clash.endsAt))}). Sessions in a cohort cannot overlap.`,
    })
  }
}

/** Cohorts and their sessions: dates, places, calendar files and reminders. */
export class CohortService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly m: Mailer,
  ) {}

  async createCohort(
    user: CurrentUser,
    courseSlug: string,
    input: CohortInput,
    ip?: string,
  ): Promise<string> {
    const at = this.clock().toISOString()
    const course = await findCourse(this.db, { slug: courseSlug })
    if (!course) throw new NotFoundError()
    requireFacultyManager(user, course.facultyId)
    const values = cohortValues(input)
    const id = newId()
    await this.db.transaction().execute(async (trx) => {
      await insertCohort(trx, { id, courseId: course.id, now: at }, values)
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'cohort.create',
        entityType: 'cohort',
        entityId: id,
        ip,
        after: values,
      })
    })
    return id
  }

  /** Capacity may not drop below the places already taken; a larger capacity fills from the waiting list. */
  async updateCohort(user: CurrentUser, cohortId: string, input: CohortInput, ip?: string): Promise<void> {
    const at = this.clock().toISOString()
    const values = cohortValues(input)
    await this.db.transaction().execute(async (trx) => {
      const ctx = await cohortContext(trx, cohortId, { lock: true, prerequisites: false })
      requireFacultyManager(user, ctx.course.facultyId)
      if (values.capacity < ctx.cohort.placesTaken) {
        throw new ValidationError({
          capacity: `The number of places cannot be less than the ${ctx.cohort.placesTaken} ${ctx.cohort.placesTaken === 1 ? 'person' : 'people'} already enrolled`,
        })
      }
      if (!(await updateCohort(trx, cohortId, input.version, at, values))) {
        throw new ConflictError(
          'Someone else changed this cohort after you opened the page. Reload it and make your changes again.',
        )
      }
      const promoted =
        values.capacity > ctx.cohort.capacity
          ? await promoteWaitlisted(
              trx,
              this.m,
              { ...ctx, cohort: { ...ctx.cohort, ...values } },
              values.capacity,
              at,
            )
          : []
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'cohort.update',
        entityType: 'cohort',
        entityId: cohortId,
        ip,
        before: {
          name: ctx.cohort.name,
          capacity: ctx.cohort.capacity,
          enrolmentClosesAt: ctx.cohort.enrolmentClosesAt,
        },
        after: { ...values, promoted },
      })
    })
  }

  async sessions(cohortId: string): Promise<Session[]> {
    return listSessions(this.db, [cohortId])
  }

  async saveSession(
    user: CurrentUser,
    target: { cohortId: string } | { sessionId: string },
    input: SessionInput,
    ip?: string,
  ): Promise<string> {
    const at = this.clock().toISOString()
    const startsAt = londonInstant(input.date, input.startTime)
    const endsAt = londonInstant(input.date, input.endTime)
    if (!startsAt || !endsAt)
      throw new ValidationError({ date: 'The date of the session must be a real date' })
    const values: SessionValues = {
      title: input.title,
      startsAt,
      endsAt,
      venue: input.venue,
      onlineUrl: input.onlineUrl,
    }
    return this.db.transaction().execute(async (trx) => {
      const existing = 'sessionId' in target ? (await sessionContext(trx, target.sessionId)).session : null
      const cohortId = existing?.cohortId ?? (target as { cohortId: string }).cohortId
      const ctx = await cohortContext(trx, cohortId, { lock: true, prerequisites: false })
      requireFacultyManager(user, ctx.course.facultyId)
      const others = (await listSessions(trx, [cohortId])).filter((s) => s.id !== existing?.id)
      checkSession(values, others)
      const id = existing?.id ?? newId()
      if (existing) await updateSession(trx, existing, at, values)
      else await insertSession(trx, { id, cohortId, now: at }, values)
      await refreshCohortDates(trx, cohortId)
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: existing ? 'session.update' : 'session.create',
        entityType: 'session',
        entityId: id,
        ip,
        before: existing ?? undefined,
        after: values,
      })
      return id
    })
  }

  /** Refused once attendance has been taken, so no register is lost. */
  async deleteSession(user: CurrentUser, sessionId: string, ip?: string): Promise<string> {
    const at = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const { session, course } = await sessionContext(trx, sessionId)
      requireFacultyManager(user, course.facultyId)
      if ((await sessionAttendance(trx, sessionId)).size > 0)
        throw new ValidationError({
          session: 'This session has a register, so it cannot be deleted. Change its details instead.',
        })
      await deleteSession(trx, sessionId)
      await refreshCohortDates(trx, session.cohortId)
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'session.delete',
        entityType: 'session',
        entityId: sessionId,
        ip,
        before: session,
      })
      return session.cohortId
    })
  }
}
