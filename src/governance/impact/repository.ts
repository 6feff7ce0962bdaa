import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import { read } from '../../db/database.js'
import { impactActionRow, impactAssessmentRow, impactRatingRow } from '../../db/rows.js'

/** The NHS IMPACT self-assessments (`impact_assessments`, `impact_ratings`, `impact_actions`). */

type Db = Kysely<DB> | Transaction<DB>

export interface Assessment {
  id: string
  organisationId: string | null
  period: string
  status: 'draft' | 'complete'
  shared: boolean
  createdBy: string | null
  createdAt: string
  updatedAt: string
  completedAt: string | null
}

export interface Rating {
  area: string
  level: number | null
  note: string | null
}

export interface Action {
  id: string
  area: string
  text: string
  linkType: 'project' | 'course' | 'programme' | null
  linkRef: string | null
  createdAt: string
}

const COLUMNS = [
  'id',
  'organisation_id',
  'period',
  'status',
  'shared',
  'created_by',
  'created_at',
  'updated_at',
  'completed_at',
] as const

function toAssessment(r: {
  id: string
  organisation_id: string | null
  period: string
  status: string
  shared: unknown
  created_by: string | null
  created_at: unknown
  updated_at: unknown
  completed_at: unknown
}): Assessment {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v))
  return {
    id: r.id,
    organisationId: r.organisation_id,
    period: r.period,
    status: r.status === 'complete' ? 'complete' : 'draft',
    shared: read.bool(r.shared),
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    completedAt: r.completed_at === null || r.completed_at === undefined ? null : iso(r.completed_at),
  }
}

export async function findAssessment(db: Db, id: string): Promise<Assessment | null> {
  const r = await db.selectFrom('impact_assessments').select(COLUMNS).where('id', '=', id).executeTakeFirst()
  return r ? toAssessment(r) : null
}

/** Every assessment, oldest period first (the list filters them by who may see each). */
export async function listAssessments(db: Db): Promise<Assessment[]> {
  const rows = await db
    .selectFrom('impact_assessments')
    .select(COLUMNS)
    .orderBy('period')
    .orderBy('created_at')
    .execute()
  return rows.map(toAssessment)
}

export async function insertAssessment(
  db: Db,
  a: { organisationId: string | null; period: string; by: string; at: string },
): Promise<string> {
  const row = impactAssessmentRow({
    organisation_id: a.organisationId,
    period: a.period,
    status: 'draft',
    created_by: a.by,
    created_at: a.at,
    updated_at: a.at,
  })
  await db.insertInto('impact_assessments').values(row).execute()
  return row.id
}

export async function updateAssessment(
  db: Db,
  id: string,
  changes: {
    period?: string
    status?: 'draft' | 'complete'
    shared?: boolean
    completedAt?: string
    at: string
  },
): Promise<void> {
  await db
    .updateTable('impact_assessments')
    .set({
      ...(changes.period !== undefined ? { period: changes.period } : {}),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.shared !== undefined ? { shared: changes.shared } : {}),
      ...(changes.completedAt !== undefined ? { completed_at: changes.completedAt } : {}),
      updated_at: changes.at,
    })
    .where('id', '=', id)
    .execute()
}

export async function listRatings(db: Db, assessmentIds: string[]): Promise<Map<string, Rating[]>> {
  const out = new Map<string, Rating[]>()
  if (assessmentIds.length === 0) return out
  const rows = await db
    .selectFrom('impact_ratings')
    .select(['assessment_id', 'area', 'level', 'note'])
    .where('assessment_id', 'in', assessmentIds)
    .execute()
  for (const r of rows) {
    const list = out.get(r.assessment_id) ?? []
    list.push({ area: r.area, level: read.numOrNull(r.level), note: r.note })
    out.set(r.assessment_id, list)
  }
  return out
}

export async function replaceRatings(db: Db, assessmentId: string, ratings: Rating[]): Promise<void> {
  await db.deleteFrom('impact_ratings').where('assessment_id', '=', assessmentId).execute()
  if (ratings.length === 0) return
  await db
    .insertInto('impact_ratings')
    .values(
      ratings.map((r) =>
        impactRatingRow({ assessment_id: assessmentId, area: r.area, level: r.level, note: r.note }),
      ),
    )
    .execute()
}

export async function listActions(db: Db, assessmentId: string): Promise<Action[]> {
  const rows = await db
    .selectFrom('impact_actions')
    .select(['id', 'area', 'text', 'link_type', 'link_ref', 'created_at'])
    .where('assessment_id', '=', assessmentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    area: r.area,
    text: r.text,
    linkType:
      r.link_type === 'project' || r.link_type === 'course' || r.link_type === 'programme'
        ? r.link_type
        : null,
    linkRef: r.link_ref,
    createdAt: String(r.created_at),
  }))
}

export async function insertAction(
  db: Db,
  a: {
    assessmentId: string
    area: string
    text: string
    linkType: string | null
    linkRef: string | null
    by: string
    at: string
  },
): Promise<string> {
  const row = impactActionRow({
    assessment_id: a.assessmentId,
    area: a.area,
    text: a.text,
    link_type: a.linkType,
    link_ref: a.linkRef,
    created_by: a.by,
    created_at: a.at,
  })
  await db.insertInto('impact_actions').values(row).execute()
  return row.id
}

export async function deleteAction(db: Db, assessmentId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('impact_actions')
    .where('assessment_id', '=', assessmentId)
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
