import { sql, type Kysely, type Transaction } from 'kysely'
import { read } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { RequestStatus } from './lifecycle.js'
import { suggestedPrioritySql, type Scale } from '../capacity/priority-score.js'

type Db = Kysely<DB> | Transaction<DB>

/** One line of a list of support requests (the triage queue, a person's or a programme's requests). */
export interface RequestSummary {
  id: string
  requesterId: string | null
  title: string
  status: RequestStatus
  createdAt: string
  statusChangedAt: string
  programmeName: string | null
  organisationName: string | null
  requesterName: string | null
  scale: Scale
  startDate: string
  priorityOverride: number | null
  priorityCount: number
  isDemo: boolean
}

function summaries(db: Db) {
  return db
    .selectFrom('support_requests as r')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .leftJoin('programmes as p', 'p.id', 'r.programme_id')
    .leftJoin('users as u', 'u.id', 'r.requester_id')
    .select([
      'r.id',
      'r.requester_id',
      'r.title',
      'r.status',
      'r.created_at',
      'r.status_changed_at',
      'r.scale',
      'r.start_date',
      'r.priority_override',
      'r.is_demo',
      'o.name as organisation_name',
      'p.name as programme_name',
      'u.name as requester_name',
      'r.priority_count',
    ])
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['execute']>>[number]

function toSummary(r: SummaryRow): RequestSummary {
  return {
    id: r.id,
    requesterId: r.requester_id,
    title: r.title,
    status: r.status as RequestStatus,
    createdAt: r.created_at,
    statusChangedAt: r.status_changed_at,
    programmeName: r.programme_name,
    organisationName: r.organisation_name,
    requesterName: r.requester_name,
    scale: r.scale as Scale,
    startDate: r.start_date,
    priorityOverride: read.numOrNull(r.priority_override),
    priorityCount: read.num(r.priority_count),
    isDemo: read.bool(r.is_demo),
  }
}

/**
 * One page of the triage queue, highest priority first (the Steering Group's override, else the
 * suggested priority computed by the database), then oldest first, with the queue's length.
 */
export async function listQueuePage(
  db: Db,
  statuses: readonly RequestStatus[],
  today: string,
  page: { limit: number; offset: number },
): Promise<{ items: (RequestSummary & { effectiveScore: number })[]; total: number }> {
  // Order narrow rows first; join names only for the page shown.
  const [ranked, count] = await Promise.all([
    db
      .selectFrom('support_requests as r')
      .select([
        'r.id',
        sql<number>`coalesce(r.priority_override, ${suggestedPrioritySql(today)})`.as('effective_score'),
      ])
      .where('r.status', 'in', [...statuses])
      .orderBy(sql`effective_score`, 'desc')
      .orderBy('r.created_at')
      .orderBy('r.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('support_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', [...statuses])
      .executeTakeFirstOrThrow(),
  ])
  const rows = ranked.length
    ? (
        await summaries(db)
          .where(
            'r.id',
            'in',
            ranked.map((r) => r.id),
          )
          .execute()
      ).map(toSummary)
    : []
  const byId = new Map(rows.map((r) => [r.id, r]))
  const items = ranked.flatMap((r) => {
    const summary = byId.get(r.id)
    return summary ? [{ ...summary, effectiveScore: read.num(r.effective_score) }] : []
  })
  return { items, total: read.num(count.n) }
}

/** A person's own requests, and those for programmes they lead, newest first. */
export async function listVisibleTo(
  db: Db,
  userId: string,
  programmeIds: string[],
  limit = 200,
): Promise<RequestSummary[]> {
  const rows = await summaries(db)
    .where((eb) =>
      programmeIds.length
        ? eb.or([eb('r.requester_id', '=', userId), eb('r.programme_id', 'in', programmeIds)])
        : eb('r.requester_id', '=', userId),
    )
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id')
    .limit(limit)
    .execute()
  return rows.map(toSummary)
}

export async function listForProgramme(db: Db, programmeId: string, limit = 100): Promise<RequestSummary[]> {
  const rows = await summaries(db)
    .where('r.programme_id', '=', programmeId)
    .orderBy('r.created_at', 'desc')
    .limit(limit)
    .execute()
  return rows.map(toSummary)
}

/** A closed request and the outcome its QI specialist recorded. */
export interface ClosedOutcome {
  id: string
  title: string
  programmeId: string | null
  programmeName: string | null
  organisationName: string | null
  closedAt: string
  outcome: string | null
}

/** The most recently closed requests, newest first, with their recorded outcomes. */
export async function listClosedOutcomes(db: Db, limit: number): Promise<ClosedOutcome[]> {
  const rows = await summaries(db)
    .select('r.outcome')
    .select('r.programme_id')
    .where('r.status', '=', 'closed')
    .orderBy('r.status_changed_at', 'desc')
    .orderBy('r.id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    programmeId: r.programme_id,
    programmeName: r.programme_name,
    organisationName: r.organisation_name,
    closedAt: new Date(r.status_changed_at).toISOString(),
    outcome: r.outcome,
  }))
}

/** Requests made since `since`, and open ones (these statuses) unchanged since before `ageingBefore`; oldest first, at most `limit` each. */
export async function listNewAndAgeing(
  db: Db,
  since: string,
  ageingBefore: string,
  open: readonly RequestStatus[],
  limit: number,
): Promise<{ fresh: RequestSummary[]; ageing: RequestSummary[] }> {
  const [fresh, ageing] = await Promise.all([
    summaries(db).where('r.created_at', '>=', since).orderBy('r.created_at').limit(limit).execute(),
    summaries(db)
      .where('r.status', 'in', [...open])
      .where('r.status_changed_at', '<', ageingBefore)
      .orderBy('r.status_changed_at')
      .limit(limit)
      .execute(),
  ])
  return { fresh: fresh.map(toSummary), ageing: ageing.map(toSummary) }
}
