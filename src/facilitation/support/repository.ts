import type { Kysely, Transaction } from 'kysely'
import { read } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { RequestStatus } from './lifecycle.js'
import type { Scale } from '../capacity/priority-score.js'

type Db = Kysely<DB> | Transaction<DB>

export interface SupportRequest {
  id: string
  requesterId: string | null
  requesterName: string | null
  requesterEmail: string | null
  organisationId: string | null
  organisationName: string | null
  programmeId: string | null
  programmeName: string | null
  programmeSlug: string | null
  title: string
  need: string
  scale: Scale
  stakeholders: string
  startDate: string
  endDate: string
  helpWanted: string[]
  aimCodes: string[]
  status: RequestStatus
  statusChangedAt: string
  signpostFacultyId: string | null
  signpostFacultyName: string | null
  outcome: string | null
  priorityOverride: number | null
  priorityOverrideReason: string | null
  isDemo: boolean
  version: number
  createdAt: string
  priorities: { id: string; name: string }[]
}

export interface Decision {
  id: string
  at: string
  actorName: string
  fromStatus: RequestStatus | null
  toStatus: RequestStatus
  reason: string
}

export interface NewRequestRow {
  id: string
  requesterId: string
  organisationId: string | null
  programmeId: string | null
  title: string
  need: string
  scale: string
  stakeholders: string
  startDate: string
  endDate: string
  helpWanted: string[]
  aimCodes: string[]
  isDemo?: boolean
  now: string
}

export async function insertRequest(db: Db, r: NewRequestRow, priorityIds: string[]): Promise<void> {
  await db
    .insertInto('support_requests')
    .values({
      id: r.id,
      requester_id: r.requesterId,
      organisation_id: r.organisationId,
      programme_id: r.programmeId,
      title: r.title,
      need: r.need,
      scale: r.scale,
      stakeholders: r.stakeholders,
      start_date: r.startDate,
      end_date: r.endDate,
      help_wanted: JSON.stringify(r.helpWanted),
      aim_codes: JSON.stringify(r.aimCodes),
      status: 'submitted',
      status_changed_at: r.now,
      signpost_faculty_id: null,
      outcome: null,
      priority_override: null,
      priority_override_reason: null,
      priority_count: priorityIds.length,
      is_demo: r.isDemo ?? false,
      created_at: r.now,
      updated_at: r.now,
    })
    .execute()
  if (priorityIds.length > 0) {
    await db
      .insertInto('support_request_priorities')
      .values(priorityIds.map((p) => ({ request_id: r.id, priority_id: p })))
      .execute()
  }
}

export async function findRequest(db: Db, id: string): Promise<SupportRequest | null> {
  const r = await db
    .selectFrom('support_requests as r')
    .leftJoin('users as u', 'u.id', 'r.requester_id')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .leftJoin('programmes as p', 'p.id', 'r.programme_id')
    .leftJoin('faculties as f', 'f.id', 'r.signpost_faculty_id')
    .selectAll('r')
    .select([
      'u.name as requester_name',
      'u.email as requester_email',
      'o.name as organisation_name',
      'p.name as programme_name',
      'p.slug as programme_slug',
      'f.name as faculty_name',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst()
  if (!r) return null
  const priorities = await db
    .selectFrom('support_request_priorities as sp')
    .innerJoin('system_priorities as p', 'p.id', 'sp.priority_id')
    .select(['p.id', 'p.name'])
    .where('sp.request_id', '=', id)
    .orderBy('p.name')
    .execute()
  return {
    id: r.id,
    requesterId: r.requester_id,
    requesterName: r.requester_name,
    requesterEmail: r.requester_email,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    programmeId: r.programme_id,
    programmeName: r.programme_name,
    programmeSlug: r.programme_slug,
    title: r.title,
    need: r.need,
    scale: r.scale as Scale,
    stakeholders: r.stakeholders,
    startDate: r.start_date,
    endDate: r.end_date,
    helpWanted: read.json<string[]>(r.help_wanted, []),
    aimCodes: read.json<string[]>(r.aim_codes, []),
    status: r.status as RequestStatus,
    statusChangedAt: r.status_changed_at,
    signpostFacultyId: r.signpost_faculty_id,
    signpostFacultyName: r.faculty_name,
    outcome: r.outcome,
    priorityOverride: read.numOrNull(r.priority_override),
    priorityOverrideReason: r.priority_override_reason,
    isDemo: read.bool(r.is_demo),
    version: read.num(r.version),
    createdAt: r.created_at,
    priorities,
  }
}

export async function listDecisions(db: Db, requestId: string): Promise<Decision[]> {
  const rows = await db
    .selectFrom('support_request_decisions')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('at')
    .orderBy('id')
    .execute()
  return rows.map((d) => ({
    id: d.id,
    at: d.at,
    actorName: d.actor_name,
    fromStatus: d.from_status as RequestStatus | null,
    toStatus: d.to_status as RequestStatus,
    reason: d.reason,
  }))
}

export async function insertDecision(
  db: Db,
  d: {
    id: string
    requestId: string
    at: string
    actorId: string | null
    actorName: string
    fromStatus: RequestStatus | null
    toStatus: RequestStatus
    reason: string
  },
): Promise<void> {
  await db
    .insertInto('support_request_decisions')
    .values({
      id: d.id,
      request_id: d.requestId,
      at: d.at,
      actor_id: d.actorId,
      actor_name: d.actorName,
      from_status: d.fromStatus,
      to_status: d.toStatus,
      reason: d.reason,
    })
    .execute()
}

/** Moves a request on, only if nobody changed it since it was read (version). Returns false on a clash. */
export async function updateStatus(
  db: Db,
  id: string,
  version: number,
  patch: { status: RequestStatus; now: string; signpostFacultyId?: string | null; outcome?: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('support_requests')
    .set({
      status: patch.status,
      status_changed_at: patch.now,
      updated_at: patch.now,
      version: version + 1,
      ...(patch.signpostFacultyId !== undefined ? { signpost_faculty_id: patch.signpostFacultyId } : {}),
      ...(patch.outcome !== undefined ? { outcome: patch.outcome } : {}),
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) return false
  // Hours held against QI specialists follow the request's status (see committedHoursSql).
  await db
    .updateTable('support_assignments')
    .set({ request_status: patch.status })
    .where('request_id', '=', id)
    .execute()
  return true
}

export async function setPriorityOverride(
  db: Db,
  id: string,
  score: number | null,
  reason: string | null,
  now: string,
): Promise<void> {
  await db
    .updateTable('support_requests')
    .set((eb) => ({
      priority_override: score,
      priority_override_reason: reason,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute()
}
