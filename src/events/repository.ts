import { sql, type Kysely, type Transaction } from 'kysely'
import { read } from '../db/database.js'
import type { DB } from '../db/schema.js'
import type { EventFormat } from './forms.js'

type Db = Kysely<DB> | Transaction<DB>

export type RegistrationStatus = 'registered' | 'waitlisted' | 'cancelled'

export interface Event {
  id: string
  title: string
  description: string
  format: EventFormat
  venue: string
  joiningDetails: string
  startsAt: string
  endsAt: string
  capacity: number
  programmeId: string | null
  programmeName: string | null
  programmeSlug: string | null
  supportRequestId: string | null
  organiserId: string | null
  organiserName: string | null
  status: 'published' | 'cancelled'
  isDemo: boolean
  version: number
  registered: number
  waitlisted: number
}

export interface EventRow {
  title: string
  description: string
  format: string
  venue: string
  joiningDetails: string
  startsAt: string
  endsAt: string
  capacity: number
  programmeId: string | null
}

const countOf = (status: RegistrationStatus) =>
  sql<number>`(select count(*) from event_registrations er where er.event_id = e.id and er.status = ${status})`

function events(db: Db) {
  return db
    .selectFrom('events as e')
    .leftJoin('programmes as p', 'p.id', 'e.programme_id')
    .leftJoin('users as u', 'u.id', 'e.organiser_id')
    .selectAll('e')
    .select([
      'p.name as programme_name',
      'p.slug as programme_slug',
      'u.name as organiser_name',
      countOf('registered').as('registered'),
      countOf('waitlisted').as('waitlisted'),
    ])
}

type Row = Awaited<ReturnType<ReturnType<typeof events>['execute']>>[number]

function toEvent(r: Row): Event {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    format: r.format as EventFormat,
    venue: r.venue,
    joiningDetails: r.joining_details,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    capacity: read.num(r.capacity),
    programmeId: r.programme_id,
    programmeName: r.programme_name,
    programmeSlug: r.programme_slug,
    supportRequestId: r.support_request_id,
    organiserId: r.organiser_id,
    organiserName: r.organiser_name,
    status: r.status === 'cancelled' ? 'cancelled' : 'published',
    isDemo: read.bool(r.is_demo),
    version: read.num(r.version),
    registered: read.num(r.registered),
    waitlisted: read.num(r.waitlisted),
  }
}

export async function findEvent(db: Db, id: string): Promise<Event | null> {
  const r = await events(db).where('e.id', '=', id).executeTakeFirst()
  return r ? toEvent(r) : null
}

/** Events that have not ended, soonest first. */
export async function listUpcoming(db: Db, nowIso: string, limit = 100): Promise<Event[]> {
  return (
    await events(db)
      .where('e.ends_at', '>=', nowIso)
      .where('e.status', '=', 'published')
      .orderBy('e.starts_at')
      .limit(limit)
      .execute()
  ).map(toEvent)
}

export async function listRecent(db: Db, nowIso: string, limit = 20): Promise<Event[]> {
  return (
    await events(db).where('e.ends_at', '<', nowIso).orderBy('e.starts_at', 'desc').limit(limit).execute()
  ).map(toEvent)
}

export async function listForProgramme(db: Db, programmeId: string): Promise<Event[]> {
  return (
    await events(db)
      .where('e.programme_id', '=', programmeId)
      .orderBy('e.starts_at', 'desc')
      .limit(100)
      .execute()
  ).map(toEvent)
}

export async function insertEvent(
  db: Db,
  id: string,
  e: EventRow,
  organiserId: string,
  now: string,
  isDemo = false,
): Promise<void> {
  await db
    .insertInto('events')
    .values({
      id,
      title: e.title,
      description: e.description,
      format: e.format,
      venue: e.venue,
      joining_details: e.joiningDetails,
      starts_at: e.startsAt,
      ends_at: e.endsAt,
      capacity: e.capacity,
      programme_id: e.programmeId,
      support_request_id: null,
      organiser_id: organiserId,
      is_demo: isDemo,
      created_at: now,
      updated_at: now,
    })
    .execute()
}

export async function updateEvent(
  db: Db,
  id: string,
  version: number,
  e: EventRow,
  now: string,
): Promise<boolean> {
  const r = await db
    .updateTable('events')
    .set({
      title: e.title,
      description: e.description,
      format: e.format,
      venue: e.venue,
      joining_details: e.joiningDetails,
      starts_at: e.startsAt,
      ends_at: e.endsAt,
      capacity: e.capacity,
      programme_id: e.programmeId,
      updated_at: now,
      version: version + 1,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/**
 * Locks the event row for the rest of the transaction (PostgreSQL: SELECT … FOR UPDATE), so
 * registrations for one event are decided one at a time and never exceed its capacity.
 * SQLite runs one write transaction at a time, so no lock is needed there.
 */
export async function lockEvent(
  db: Db,
  id: string,
  postgres: boolean,
): Promise<{ capacity: number; status: string; startsAt: string; endsAt: string } | null> {
  let q = db.selectFrom('events').select(['capacity', 'status', 'starts_at', 'ends_at']).where('id', '=', id)
  if (postgres) q = q.forUpdate()
  const r = await q.executeTakeFirst()
  return r
    ? { capacity: read.num(r.capacity), status: r.status, startsAt: r.starts_at, endsAt: r.ends_at }
    : null
}

/** A published event that has ended, with its places taken and the people checked in. */
export interface HeldEvent {
  id: string
  startsAt: string
  registered: number
  attended: number
}

/** Published events that started in [since, until) and had ended by `now`, with their counts. */
export async function listHeldEvents(
  db: Db,
  since: string,
  until: string,
  now: string,
): Promise<HeldEvent[]> {
  const rows = await db
    .selectFrom('events as e')
    .select([
      'e.id',
      'e.starts_at',
      countOf('registered').as('registered'),
      sql<number>`(select count(*) from event_registrations er where er.event_id = e.id and er.checked_in_at is not null)`.as(
        'attended',
      ),
    ])
    .where('e.status', '=', 'published')
    .where('e.starts_at', '>=', since)
    .where('e.starts_at', '<', until)
    .where('e.ends_at', '<=', now)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    startsAt: new Date(r.starts_at).toISOString(),
    registered: read.num(r.registered),
    attended: read.num(r.attended),
  }))
}

/** Who was checked in at which of these events (each person once per event). */
export async function listCheckIns(
  db: Db,
  eventIds: string[],
): Promise<{ eventId: string; userId: string }[]> {
  if (!eventIds.length) return []
  const rows = await db
    .selectFrom('event_registrations')
    .select(['event_id', 'user_id'])
    .where('event_id', 'in', eventIds)
    .where('checked_in_at', 'is not', null)
    .execute()
  return rows.map((r) => ({ eventId: r.event_id, userId: r.user_id }))
}
