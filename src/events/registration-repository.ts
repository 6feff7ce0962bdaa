import { sql, type Kysely, type Transaction } from 'kysely'
import { read } from '../db/database.js'
import { containsLike } from '../db/sql.js'
import type { DB } from '../db/schema.js'
import type { RegistrationStatus } from './repository.js'

type Db = Kysely<DB> | Transaction<DB>

export interface Registration {
  id: string
  eventId: string
  userId: string
  name: string
  email: string
  /** An improvement partner (service user, carer): their contact details are for coaches and admins only. */
  isPartner: boolean
  organisationName: string | null
  status: RegistrationStatus
  accessNeeds: string
  queuedAt: string
  queueNo: number
  checkedInAt: string | null
}

export async function countRegistrations(
  db: Db,
  eventId: string,
  status: RegistrationStatus,
): Promise<number> {
  const r = await db
    .selectFrom('event_registrations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', eventId)
    .where('status', '=', status)
    .executeTakeFirstOrThrow()
  return read.num(r.n)
}

function registrations(db: Db) {
  return db
    .selectFrom('event_registrations as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
    .selectAll('r')
    .select(['u.name', 'u.email', 'u.is_partner', 'o.name as organisation_name'])
}

type RegistrationRow = Awaited<ReturnType<ReturnType<typeof registrations>['execute']>>[number]

const toRegistration = (r: RegistrationRow): Registration => ({
  id: r.id,
  eventId: r.event_id,
  userId: r.user_id,
  name: r.name,
  email: r.email,
  isPartner: read.bool(r.is_partner),
  organisationName: r.organisation_name,
  status: r.status as RegistrationStatus,
  accessNeeds: r.access_needs,
  queuedAt: r.queued_at,
  queueNo: read.num(r.queue_no),
  checkedInAt: r.checked_in_at,
})

export async function findRegistration(
  db: Db,
  eventId: string,
  userId: string,
): Promise<Registration | null> {
  const r = await registrations(db)
    .where('r.event_id', '=', eventId)
    .where('r.user_id', '=', userId)
    .executeTakeFirst()
  return r ? toRegistration(r) : null
}

/** Registrations in queue order (waiting list first come, first served), optionally filtered by name. */
export async function listRegistrations(
  db: Db,
  eventId: string,
  options: { statuses?: RegistrationStatus[]; q?: string; limit?: number } = {},
): Promise<Registration[]> {
  let q = registrations(db).where('r.event_id', '=', eventId)
  if (options.statuses) q = q.where('r.status', 'in', options.statuses)
  if (options.q) q = q.where(containsLike(sql.ref('u.name'), options.q))
  if (options.limit) q = q.limit(options.limit)
  return (await q.orderBy('r.queue_no').execute()).map(toRegistration)
}

/** How many people are ahead of this one on the waiting list, plus one. */
export async function waitlistPosition(db: Db, eventId: string, queueNo: number): Promise<number> {
  const r = await db
    .selectFrom('event_registrations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('event_id', '=', eventId)
    .where('status', '=', 'waitlisted')
    .where('queue_no', '<', queueNo)
    .executeTakeFirstOrThrow()
  return read.num(r.n) + 1
}

/** The next number in the event's queue; call it with the event row locked. */
export async function nextQueueNo(db: Db, eventId: string): Promise<number> {
  const r = await db
    .selectFrom('event_registrations')
    .select((eb) => eb.fn.max('queue_no').as('n'))
    .where('event_id', '=', eventId)
    .executeTakeFirst()
  return read.num(r?.n ?? 0) + 1
}

export async function insertRegistration(
  db: Db,
  r: {
    id: string
    eventId: string
    userId: string
    status: RegistrationStatus
    accessNeeds: string
    queueNo: number
    now: string
  },
): Promise<void> {
  await db
    .insertInto('event_registrations')
    .values({
      id: r.id,
      event_id: r.eventId,
      user_id: r.userId,
      status: r.status,
      access_needs: r.accessNeeds,
      queued_at: r.now,
      queue_no: r.queueNo,
      checked_in_at: null,
      created_at: r.now,
      updated_at: r.now,
    })
    .execute()
}

/** A cancelled registration comes back at the end of the queue. */
export async function reviveRegistration(
  db: Db,
  id: string,
  status: RegistrationStatus,
  accessNeeds: string,
  queueNo: number,
  now: string,
): Promise<void> {
  await db
    .updateTable('event_registrations')
    .set({
      status,
      access_needs: accessNeeds,
      queued_at: now,
      queue_no: queueNo,
      checked_in_at: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute()
}

export async function setRegistrationStatus(
  db: Db,
  id: string,
  status: RegistrationStatus,
  now: string,
): Promise<void> {
  await db.updateTable('event_registrations').set({ status, updated_at: now }).where('id', '=', id).execute()
}

export async function setCheckedIn(
  db: Db,
  eventId: string,
  id: string,
  at: string | null,
  now: string,
): Promise<boolean> {
  const r = await db
    .updateTable('event_registrations')
    .set({ checked_in_at: at, updated_at: now })
    .where('id', '=', id)
    .where('event_id', '=', eventId)
    .where('status', '=', 'registered')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function myRegistrations(
  db: Db,
  userId: string,
  nowIso: string,
): Promise<{ eventId: string; status: RegistrationStatus }[]> {
  const rows = await db
    .selectFrom('event_registrations as r')
    .innerJoin('events as e', 'e.id', 'r.event_id')
    .select(['r.event_id', 'r.status'])
    .where('r.user_id', '=', userId)
    .where('r.status', '!=', 'cancelled')
    .where('e.ends_at', '>=', nowIso)
    .execute()
  return rows.map((r) => ({ eventId: r.event_id, status: r.status as RegistrationStatus }))
}
