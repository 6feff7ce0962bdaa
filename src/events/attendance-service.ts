import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, canSeePartnerContacts, type CurrentUser } from '../core/identity.js'
import { newId } from '../core/ids.js'
import { ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js'
import { csvFile } from '../core/csv.js'
import { londonParts, londonToday } from '../core/dates.js'
import type { FeedbackInput } from './forms.js'
import { canManageEvent } from './policy.js'
import {
  hasFeedback,
  insertFeedback,
  summariseFeedback,
  type FeedbackSummary,
} from './feedback-repository.js'
import { findEvent, type Event } from './repository.js'
import {
  findRegistration,
  listRegistrations,
  setCheckedIn,
  type Registration,
} from './registration-repository.js'

/** After sign-up: attendee lists and CSV for organisers, check-in on the day, and feedback afterwards. */
export class AttendanceService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  private async manageable(user: CurrentUser, id: string): Promise<Event> {
    const event = await findEvent(this.db, id)
    if (!event) throw new NotFoundError()
    if (!canManageEvent(user, event))
      throw new ForbiddenError('Only the organiser and the facilitation team can see who is coming')
    return event
  }

  async attendees(
    user: CurrentUser,
    eventId: string,
  ): Promise<{ event: Event; registered: Registration[]; waitlisted: Registration[] }> {
    const event = await this.manageable(user, eventId)
    // DOMAIN.md §5.4: an improvement partner's e-mail address goes to coaches and admins only, so an
    // organiser or programme lead sees the name without it, on the page and in the CSV alike.
    const contacts = canSeePartnerContacts(user)
    const all = (await listRegistrations(this.db, eventId, { statuses: ['registered', 'waitlisted'] })).map(
      (r) => (r.isPartner && !contacts ? { ...r, email: '' } : r),
    )
    return {
      event,
      registered: all.filter((r) => r.status === 'registered'),
      waitlisted: all.filter((r) => r.status === 'waitlisted'),
    }
  }

  /** The attendee list as CSV, audited as an export (DOMAIN.md §5.6). */
  async attendeesCsv(
    user: CurrentUser,
    eventId: string,
    ip?: string,
  ): Promise<{ filename: string; body: string }> {
    const { event, registered, waitlisted } = await this.attendees(user, eventId)
    const now = this.clock().toISOString()
    await writeAudit(this.db, now, {
      actorId: user.id,
      actorLabel: actorLabel(user),
      action: 'event.attendees_export',
      entityType: 'event',
      entityId: eventId,
      ip,
      after: { rows: registered.length + waitlisted.length },
    })
    const rows = [...registered, ...waitlisted].map((r) => [
      r.name,
      r.email || (r.isPartner ? 'Improvement partner: ask a QI specialist' : ''),
      r.organisationName ?? '',
      r.status === 'registered' ? 'Registered' : 'Waiting list',
      r.accessNeeds,
      r.queuedAt,
      r.checkedInAt ?? '',
    ])
    const body = csvFile(
      ['Name', 'E-mail', 'Organisation', 'Status', 'Access needs', 'Registered at', 'Checked in at'],
      rows,
    )
    return { filename: `attendees-${event.id}.csv`, body }
  }

  async checkInList(
    user: CurrentUser,
    eventId: string,
    q: string,
  ): Promise<{ event: Event; attendees: Registration[]; checkedIn: number; open: boolean }> {
    const event = await this.manageable(user, eventId)
    const [attendees, all] = await Promise.all([
      listRegistrations(this.db, eventId, { statuses: ['registered'], q: q || undefined }),
      listRegistrations(this.db, eventId, { statuses: ['registered'] }),
    ])
    attendees.sort((a, b) => a.name.localeCompare(b.name))
    return {
      event,
      attendees,
      checkedIn: all.filter((r) => r.checkedInAt).length,
      open: this.checkInOpen(event),
    }
  }

  private checkInOpen(event: Event): boolean {
    return londonToday(this.clock()) >= londonParts(event.startsAt)[0] && event.status === 'published'
  }

  /** Marks an attendee as arrived (or undoes it); opens on the day of the event. */
  async checkIn(
    user: CurrentUser,
    eventId: string,
    registrationId: string,
    undo: boolean,
    ip?: string,
  ): Promise<string> {
    const event = await this.manageable(user, eventId)
    if (!this.checkInOpen(event))
      throw new ValidationError({ _form: 'Check-in opens on the day of the event' })
    const now = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const registration = await trx
        .selectFrom('event_registrations as r')
        .innerJoin('users as u', 'u.id', 'r.user_id')
        .select(['u.name'])
        .where('r.id', '=', registrationId)
        .where('r.event_id', '=', eventId)
        .executeTakeFirst()
      if (!registration || !(await setCheckedIn(trx, eventId, registrationId, undo ? null : now, now)))
        throw new NotFoundError('This person is not registered for the event')
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: undo ? 'event.check_in_undone' : 'event.check_in',
        entityType: 'event',
        entityId: eventId,
        ip,
        after: { registrationId },
      })
      return registration.name
    })
  }

  /** Feedback afterwards, once per attendee. */
  async giveFeedback(user: CurrentUser, eventId: string, input: FeedbackInput, ip?: string): Promise<void> {
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const event = await findEvent(trx, eventId)
      if (!event) throw new NotFoundError()
      if (now < event.endsAt)
        throw new ValidationError({ rating: 'Feedback opens when the event has finished' })
      const registration = await findRegistration(trx, eventId, user.id)
      if (registration?.status !== 'registered')
        throw new ForbiddenError('Only people who had a place at this event can give feedback')
      if (await hasFeedback(trx, eventId, user.id))
        throw new ValidationError({ rating: 'You have already given feedback on this event' })
      await insertFeedback(trx, {
        id: newId(),
        eventId,
        userId: user.id,
        rating: input.rating,
        wentWell: input.wentWell,
        evenBetter: input.evenBetter,
        now,
      })
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'event.feedback',
        entityType: 'event',
        entityId: eventId,
        ip,
        after: { rating: input.rating },
      })
    })
  }

  async feedbackSummary(
    user: CurrentUser,
    eventId: string,
  ): Promise<{ event: Event; summary: FeedbackSummary; attended: number }> {
    const event = await this.manageable(user, eventId)
    const [summary, attendees] = await Promise.all([
      summariseFeedback(this.db, eventId),
      listRegistrations(this.db, eventId, { statuses: ['registered'] }),
    ])
    return { event, summary, attended: attendees.filter((a) => a.checkedInAt).length }
  }
}
