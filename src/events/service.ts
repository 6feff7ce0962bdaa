import type { Kysely } from 'kysely'
import { poolFor, type ReadFrom } from '../db/database.js'
import type { DB } from '../db/schema.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { newId } from '../core/ids.js'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../core/errors.js'
import { COMMUNITY_NAME } from '../web/site.js'
import { isPostgres } from '../db/dialect.js'
import { londonToIso, londonToday, londonParts } from '../core/dates.js'
import type { EventInput } from './forms.js'
import { calendarFile } from '../core/ical.js'
import { canCreateEvents, canLinkProgramme, canManageEvent } from './policy.js'
import { hasFeedback } from './feedback-repository.js'
import {
  findEvent,
  insertEvent,
  listForProgramme,
  listRecent,
  listUpcoming,
  lockEvent,
  updateEvent,
  type Event,
  type EventRow,
  listCheckIns,
  listHeldEvents,
} from './repository.js'
import type { RegistrationService } from './registration-service.js'
import {
  findRegistration,
  myRegistrations,
  waitlistPosition,
  type Registration,
} from './registration-repository.js'

export interface EventView {
  event: Event
  placesLeft: number
  registration: Registration | null
  waitlistPosition: number | null
  started: boolean
  ended: boolean
  canManage: boolean
  canGiveFeedback: boolean
  checkInOpen: boolean
}

/** One period's event reach (EventService.reach). */
export interface EventReach {
  eventsHeld: number
  placesTaken: number
  attended: number
  peopleReached: number
}

/** Events and workshops: in person, virtual or hybrid, with places, a waiting list and calendar files. */
export class EventService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
    private readonly baseUrl: string,
    private readonly registrations: RegistrationService,
    /** The replica, for the events list (database.reader); the primary when there is none. */
    private readonly reader: Kysely<DB> = db,
  ) {}

  /**
   * Event reach per period, for the Steering Group's portfolio (governance applies its policy):
   * published events that started in [since, until) and have ended, the places taken on them
   * (registered, not waiting), the check-ins, and the people reached (each person once a period).
   * `periodOf` names the period of an instant. Counts only, no names.
   */
  async reach(
    since: string,
    until: string,
    periodOf: (iso: string) => string,
  ): Promise<Map<string, EventReach>> {
    const held = await listHeldEvents(this.db, since, until, this.clock().toISOString())
    const checkIns = await listCheckIns(
      this.db,
      held.map((e) => e.id),
    )
    const periodOfEvent = new Map(held.map((e) => [e.id, periodOf(e.startsAt)]))
    const reach = new Map<string, EventReach>()
    const people = new Map<string, Set<string>>()
    const row = (period: string) => {
      let r = reach.get(period)
      if (!r) reach.set(period, (r = { eventsHeld: 0, placesTaken: 0, attended: 0, peopleReached: 0 }))
      return r
    }
    for (const e of held) {
      const r = row(periodOfEvent.get(e.id)!)
      r.eventsHeld++
      r.placesTaken += e.registered
      r.attended += e.attended
    }
    for (const c of checkIns) {
      const period = periodOfEvent.get(c.eventId)!
      const seen = people.get(period) ?? new Set<string>()
      people.set(period, seen.add(c.userId))
    }
    for (const [period, seen] of people) row(period).peopleReached = seen.size
    return reach
  }

  canCreate(user: CurrentUser | null): boolean {
    return canCreateEvents(user)
  }

  /** The events list, from the replica unless `from` is the primary (the same queries either way). */
  async list(
    viewer: CurrentUser | null,
    from: ReadFrom = 'primary',
  ): Promise<{ upcoming: (Event & { mine: string | null })[]; recent: Event[] }> {
    const now = this.clock().toISOString()
    const db = poolFor(this.db, this.reader, from)
    const [upcoming, recent, mine] = await Promise.all([
      listUpcoming(db, now),
      viewer ? listRecent(db, now, 10) : Promise.resolve([]),
      viewer ? myRegistrations(db, viewer.id, now) : Promise.resolve([]),
    ])
    return {
      upcoming: upcoming.map((e) => ({ ...e, mine: mine.find((m) => m.eventId === e.id)?.status ?? null })),
      recent,
    }
  }

  /** A programme's events: those still to come (soonest first) and those past. */
  async forProgramme(programmeId: string): Promise<{ upcoming: Event[]; past: Event[] }> {
    const now = this.clock().toISOString()
    const events = await listForProgramme(this.db, programmeId)
    return {
      upcoming: events.filter((e) => e.endsAt >= now && e.status === 'published').reverse(),
      past: events.filter((e) => e.endsAt < now),
    }
  }

  async get(id: string): Promise<Event> {
    const event = await findEvent(this.db, id)
    if (!event) throw new NotFoundError()
    return event
  }

  async view(viewer: CurrentUser | null, id: string): Promise<EventView> {
    const event = await this.get(id)
    const now = this.clock()
    const registration = viewer ? await findRegistration(this.db, id, viewer.id) : null
    const active = registration && registration.status !== 'cancelled' ? registration : null
    const ended = now.toISOString() >= event.endsAt
    return {
      event,
      placesLeft: Math.max(event.capacity - event.registered, 0),
      registration: active,
      waitlistPosition:
        active?.status === 'waitlisted' ? await waitlistPosition(this.db, id, active.queueNo) : null,
      started: now.toISOString() >= event.startsAt,
      ended,
      canManage: canManageEvent(viewer, event),
      canGiveFeedback:
        ended && active?.status === 'registered' && !(await hasFeedback(this.db, id, viewer!.id)),
      checkInOpen: londonToday(now) >= londonParts(event.startsAt)[0] && event.status === 'published',
    }
  }

  /** Checks the dates and the programme link; returns the row to store. */
  private async validate(user: CurrentUser, input: EventInput, existing: Event | null): Promise<EventRow> {
    const startsAt = londonToIso(input.date, input.startTime)
    const endsAt = londonToIso(input.date, input.endTime)
    const now = this.clock().toISOString()
    const datesChanged = !existing || existing.startsAt !== startsAt
    if (datesChanged && startsAt < now)
      throw new ValidationError({ date: 'The event must start in the future' })
    if (endsAt <= startsAt) throw new ValidationError({ endTime: 'End time must be after the start time' })
    const programmeId = input.programmeId || null
    if (programmeId && programmeId !== existing?.programmeId) {
      const found = await this.db
        .selectFrom('programmes')
        .select('id')
        .where('id', '=', programmeId)
        .executeTakeFirst()
      if (!found) throw new ValidationError({ programmeId: 'Select a programme from the list' })
      if (!canLinkProgramme(user, programmeId))
        throw new ValidationError({ programmeId: 'You can only link events to programmes you lead' })
    }
    return {
      title: input.title,
      description: input.description,
      format: input.format,
      venue: input.venue,
      joiningDetails: input.joiningDetails,
      startsAt,
      endsAt,
      capacity: input.capacity,
      programmeId,
    }
  }

  async create(user: CurrentUser, input: EventInput, ip?: string): Promise<string> {
    if (!canCreateEvents(user))
      throw new ForbiddenError('Only QI specialists, the Steering Group and programme leads create events')
    const row = await this.validate(user, input, null)
    const id = newId()
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      await insertEvent(trx, id, row, user.id, now)
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'event.create',
        entityType: 'event',
        entityId: id,
        ip,
        after: row,
      })
    })
    return id
  }

  /** Edits an event. Places can never drop below the people already registered; new places go to the waiting list first. */
  async update(user: CurrentUser, id: string, input: EventInput, ip?: string): Promise<void> {
    const existing = await this.get(id)
    if (!canManageEvent(user, existing))
      throw new ForbiddenError('Only the organiser and the facilitation team can change this event')
    const row = await this.validate(user, input, existing)
    const now = this.clock().toISOString()
    await this.db.transaction().execute(async (trx) => {
      const locked = await lockEvent(trx, id, isPostgres(trx))
      if (!locked) throw new NotFoundError()
      const current = await findEvent(trx, id)
      if (current!.version !== input.version)
        throw new ConflictError(
          'Someone else changed this event after you opened it. Reload the page and make your changes again.',
        )
      if (row.capacity < current!.registered) {
        throw new ValidationError({
          capacity: `${current!.registered} people are already registered: places cannot be fewer than that`,
        })
      }
      if (!(await updateEvent(trx, id, input.version, row, now)))
        throw new ConflictError(
          'Someone else changed this event after you opened it. Reload the page and make your changes again.',
        )
      const promoted = await this.registrations.promoteWaiting(
        trx,
        id,
        row.capacity - current!.registered,
        now,
      )
      await writeAudit(trx, now, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'event.update',
        entityType: 'event',
        entityId: id,
        ip,
        before: {
          title: existing.title,
          startsAt: existing.startsAt,
          endsAt: existing.endsAt,
          capacity: existing.capacity,
          format: existing.format,
          programmeId: existing.programmeId,
        },
        after: { ...row, promoted },
      })
    })
  }

  /** An .ics file for one event (for calendars), valid RFC 5545. */
  async calendar(id: string): Promise<{ filename: string; body: string }> {
    const event = await this.get(id)
    const host = new URL(this.baseUrl).hostname
    const location = [
      event.format === 'virtual' ? 'Online' : event.venue,
      event.format === 'hybrid' ? 'and online' : '',
    ]
      .filter(Boolean)
      .join(' ')
    const body = calendarFile(
      [
        {
          uid: `event-${event.id}@${host}`,
          summary: event.title,
          description: `${event.description}\n\n${COMMUNITY_NAME}: ${this.baseUrl}/events/${event.id}`.trim(),
          location,
          url: `${this.baseUrl}/events/${event.id}`,
          start: event.startsAt,
          end: event.endsAt,
          sequence: event.version - 1,
          status: event.status === 'cancelled' ? 'cancelled' : 'confirmed',
        },
      ],
      { now: this.clock(), productId: `-//${COMMUNITY_NAME}//Events//EN` },
    )
    return { filename: `event-${event.id}.ics`, body }
  }

  /** Edit form values in Europe/London wall-clock time. */
  formValues(event: Event): Record<string, unknown> {
    const [date, startTime] = londonParts(event.startsAt)
    const [, endTime] = londonParts(event.endsAt)
    const [y, m, d] = date.split('-')
    return {
      title: event.title,
      description: event.description,
      format: event.format,
      venue: event.venue,
      joiningDetails: event.joiningDetails,
      dateDay: String(Number(d)),
      dateMonth: String(Number(m)),
      dateYear: y,
      startTime,
      endTime,
      capacity: String(event.capacity),
      programmeId: event.programmeId ?? '',
      version: event.version,
    }
  }
}
