import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { newId } from '../core/ids.js'
import type { MailService } from '../mail/service.js'
import { NotFoundError, ValidationError } from '../core/errors.js'
import { COMMUNITY_NAME } from '../web/site.js'
import { isPostgres } from '../db/dialect.js'
import { findEvent, lockEvent, type Event, type RegistrationStatus } from './repository.js'
import {
  countRegistrations,
  findRegistration,
  insertRegistration,
  listRegistrations,
  nextQueueNo,
  reviveRegistration,
  setRegistrationStatus,
  waitlistPosition,
} from './registration-repository.js'

const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'full',
  timeStyle: 'short',
  timeZone: 'Europe/London',
})

/** Sign-ups with a waiting list: places never exceed the capacity, and freed places go to the next in the queue. */
export class RegistrationService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly mail: MailService,
    private readonly baseUrl: string,
  ) {}

  /**
   * Registers the person, or puts them on the waiting list when every place is taken. The event
   * row is locked for the transaction, so concurrent sign-ups never exceed the capacity.
   */
  async register(
    user: CurrentUser,
    eventId: string,
    accessNeeds: string,
    ip?: string,
  ): Promise<{ status: RegistrationStatus; position: number | null }> {
    const now = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const event = await lockEvent(trx, eventId, isPostgres(trx))
      if (!event) throw new NotFoundError()
      if (event.status !== 'published')
        throw new ValidationError({ accessNeeds: 'This event has been cancelled' })
      if (now >= event.startsAt)
        throw new ValidationError({ accessNeeds: 'Registration has closed: this event has already started' })
      const existing = await findRegistration(trx, eventId, user.id)
      if (existing && existing.status !== 'cancelled') {
        throw new ValidationError({
          accessNeeds:
            existing.status === 'registered'
              ? 'You are already registered for this event'
              : 'You are already on the waiting list for this event',
        })
      }
      const registered = await countRegistrations(trx, eventId, 'registered')
      const status: RegistrationStatus = registered < event.capacity ? 'registered' : 'waitlisted'
      const id = existing?.id ?? newId()
      const queueNo = await nextQueueNo(trx, eventId)
      if (existing) await reviveRegistration(trx, id, status, accessNeeds, queueNo, now)
      else await insertRegistration(trx, { id, eventId, userId: user.id, status, accessNeeds, queueNo, now })
      const position = status === 'waitlisted' ? await waitlistPosition(trx, eventId, queueNo) : null
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: `event.${status}`,
        entityType: 'event',
        entityId: eventId,
        ip,
        after: { registrationId: id, status, accessNeedsGiven: accessNeeds !== '' },
      })
      const full = (await findEvent(trx, eventId))!
      await this.mail.enqueue(trx, {
        kind: 'event_registration',
        to: user.email,
        ...this.registrationMail(full, user.name, status, position),
      })
      return { status, position }
    })
  }

  /** Gives up a place; the first person on the waiting list gets it (and an e-mail). */
  async cancel(user: CurrentUser, eventId: string, ip?: string): Promise<void> {
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const event = await lockEvent(trx, eventId, isPostgres(trx))
      if (!event) throw new NotFoundError()
      const existing = await findRegistration(trx, eventId, user.id)
      if (!existing || existing.status === 'cancelled')
        throw new ValidationError({ _form: 'You are not registered for this event' })
      await setRegistrationStatus(trx, existing.id, 'cancelled', now)
      const promoted =
        existing.status === 'registered' && now < event.startsAt
          ? await this.promoteWaiting(trx, eventId, 1, now)
          : []
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'event.registration_cancelled',
        entityType: 'event',
        entityId: eventId,
        ip,
        before: { status: existing.status },
        after: { promoted },
      })
    })
  }

  /** Moves up to `places` people from the waiting list into places, in queue order, inside the caller's transaction. */
  async promoteWaiting(
    trx: Transaction<DB>,
    eventId: string,
    places: number,
    now: string,
  ): Promise<string[]> {
    if (places <= 0) return []
    const event = (await findEvent(trx, eventId))!
    const free = event.capacity - event.registered
    const next = await listRegistrations(trx, eventId, {
      statuses: ['waitlisted'],
      limit: Math.min(places, free),
    })
    for (const r of next) {
      await setRegistrationStatus(trx, r.id, 'registered', now)
      await this.mail.enqueue(trx, {
        kind: 'event_registration',
        to: r.email,
        ...this.registrationMail(event, r.name, 'registered', null, true),
      })
    }
    return next.map((r) => r.id)
  }

  private registrationMail(
    event: Event,
    name: string,
    status: RegistrationStatus,
    position: number | null,
    promoted = false,
  ) {
    const link = `${this.baseUrl}/events/${event.id}`
    const when = dateTime.format(new Date(event.startsAt))
    const lines = [`Hello ${name},`, '']
    if (status === 'registered') {
      lines.push(
        promoted
          ? `A place has come up and it is yours: you are now registered for "${event.title}".`
          : `You are registered for "${event.title}".`,
      )
      lines.push('', `When: ${when}`)
      if (event.format !== 'virtual') lines.push(`Where: ${event.venue}`)
      if (event.format !== 'in_person') lines.push(`Joining online: ${event.joiningDetails}`)
      lines.push('', `Add it to your calendar: ${link}/calendar.ics`)
    } else {
      lines.push(
        `"${event.title}" is full, so you are number ${position} on the waiting list. We will e-mail you if a place comes up.`,
      )
    }
    lines.push(
      '',
      `If you cannot come, cancel here so someone else can have the place: ${link}`,
      '',
      COMMUNITY_NAME,
      '',
    )
    const subject =
      status === 'registered'
        ? promoted
          ? `A place has come up: ${event.title}`
          : `You are registered: ${event.title}`
        : `You are on the waiting list: ${event.title}`
    return { subject, text: lines.join('\n') }
  }
}
