import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { read } from '../db/database.js'
import { capabilityTargetRow, organisationHeadcountRow } from '../db/rows.js'

/** The capability targets and organisation headcounts (`capability_targets`, `organisation_headcounts`). */

type Db = Kysely<DB> | Transaction<DB>

export interface CapabilityTarget {
  organisationId: string
  level: string
  percent: number
  byDate: string
  setAt: string
}

export async function listTargets(db: Db): Promise<CapabilityTarget[]> {
  const rows = await db
    .selectFrom('capability_targets')
    .select(['organisation_id', 'level', 'percent', 'by_date', 'set_at'])
    .execute()
  return rows.map((r) => ({
    organisationId: r.organisation_id,
    level: r.level,
    percent: read.num(r.percent),
    byDate: r.by_date,
    setAt: r.set_at,
  }))
}

export async function findTarget(db: Db, organisationId: string, level: string) {
  return (await listTargets(db)).find((t) => t.organisationId === organisationId && t.level === level) ?? null
}

export async function saveTarget(
  db: Db,
  t: { organisationId: string; level: string; percent: number; byDate: string; by: string; at: string },
): Promise<void> {
  await db
    .insertInto('capability_targets')
    .values(
      capabilityTargetRow({
        organisation_id: t.organisationId,
        level: t.level,
        percent: t.percent,
        by_date: t.byDate,
        set_by: t.by,
        set_at: t.at,
      }),
    )
    .onConflict((oc) =>
      oc
        .columns(['organisation_id', 'level'])
        .doUpdateSet({ percent: t.percent, by_date: t.byDate, set_by: t.by, set_at: t.at }),
    )
    .execute()
}

export async function deleteTarget(db: Db, organisationId: string, level: string): Promise<boolean> {
  const r = await db
    .deleteFrom('capability_targets')
    .where('organisation_id', '=', organisationId)
    .where('level', '=', level)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export async function listHeadcounts(db: Db): Promise<Map<string, { headcount: number; updatedAt: string }>> {
  const rows = await db
    .selectFrom('organisation_headcounts')
    .select(['organisation_id', 'headcount', 'updated_at'])
    .execute()
  return new Map(
    rows.map((r) => [r.organisation_id, { headcount: read.num(r.headcount), updatedAt: r.updated_at }]),
  )
}

export async function saveHeadcount(
  db: Db,
  h: { organisationId: string; headcount: number; by: string; at: string },
): Promise<void> {
  await db
    .insertInto('organisation_headcounts')
    .values(
      organisationHeadcountRow({
        organisation_id: h.organisationId,
        headcount: h.headcount,
        updated_by: h.by,
        updated_at: h.at,
      }),
    )
    .onConflict((oc) =>
      oc
        .column('organisation_id')
        .doUpdateSet({ headcount: h.headcount, updated_by: h.by, updated_at: h.at }),
    )
    .execute()
}
