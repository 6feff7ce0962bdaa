import { sql, type Kysely } from 'kysely'
import { read } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import { committedHoursSql } from './repository.js'

/** Requests counted per programme, organisation and status, with how long they have been in that status. */
export interface PipelineCell {
  programmeId: string | null
  organisationId: string | null
  status: string
  total: number
  /** Counts by days in the current status: under 14, 14–41, 42–90, over 90. */
  buckets: [number, number, number, number]
  oldest: string | null
}

export interface PipelineHours {
  programmeId: string | null
  organisationId: string | null
  committed: number
  actual: number
}

/**
 * One scan of the requests, grouped by programme, organisation and status; the report folds
 * it into each view. Bucket edges are ISO instants passed in, so comparisons work alike on
 * both databases.
 */
export async function pipelineCells(
  db: Kysely<DB>,
  edges: [string, string, string],
): Promise<PipelineCell[]> {
  const [d14, d42, d90] = edges
  const rows = await db
    .selectFrom('support_requests')
    .select([
      'programme_id',
      'organisation_id',
      'status',
      sql<number>`count(*)`.as('total'),
      sql<number>`sum(case when status_changed_at >= ${d14} then 1 else 0 end)`.as('b0'),
      sql<number>`sum(case when status_changed_at < ${d14} and status_changed_at >= ${d42} then 1 else 0 end)`.as(
        'b1',
      ),
      sql<number>`sum(case when status_changed_at < ${d42} and status_changed_at >= ${d90} then 1 else 0 end)`.as(
        'b2',
      ),
      sql<number>`sum(case when status_changed_at < ${d90} then 1 else 0 end)`.as('b3'),
      sql<string | null>`min(status_changed_at)`.as('oldest'),
    ])
    .groupBy(['programme_id', 'organisation_id', 'status'])
    .execute()
  return rows.map((r) => ({
    programmeId: r.programme_id,
    organisationId: r.organisation_id,
    status: r.status,
    total: read.num(r.total),
    buckets: [read.num(r.b0), read.num(r.b1), read.num(r.b2), read.num(r.b3)],
    oldest: r.oldest === null ? null : new Date(r.oldest).toISOString(),
  }))
}

/** QI specialists' hours (committed, as capacity counts them, and actually spent) per programme and organisation. */
export async function pipelineHours(db: Kysely<DB>): Promise<PipelineHours[]> {
  const rows = await db
    .selectFrom('support_assignments as a')
    .select([
      'a.programme_id',
      'a.organisation_id',
      committedHoursSql.as('committed'),
      sql<number>`sum(coalesce(a.actual_hours, 0))`.as('actual'),
    ])
    .groupBy(['a.programme_id', 'a.organisation_id'])
    .execute()
  return rows.map((r) => ({
    programmeId: r.programme_id,
    organisationId: r.organisation_id,
    committed: read.num(r.committed),
    actual: read.num(r.actual),
  }))
}

export async function namesOf(
  db: Kysely<DB>,
): Promise<{ programmes: Map<string, string>; organisations: Map<string, string> }> {
  const [programmes, organisations] = await Promise.all([
    db.selectFrom('programmes').select(['id', 'name']).execute(),
    db.selectFrom('organisations').select(['id', 'name']).execute(),
  ])
  return {
    programmes: new Map(programmes.map((p) => [p.id, p.name])),
    organisations: new Map(organisations.map((o) => [o.id, o.name])),
  }
}
