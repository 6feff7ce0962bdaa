import type { Db } from './repository.js'
import { read } from '../db/database.js'

/** The project's aim, a new version each time it changes, and its progress scores (`project_aims`, `project_progress_scores`). */

export interface Aim {
  id: string
  version: number
  what: string
  measure: string
  baseline: string
  target: string
  forWhom: string
  byWhen: string
  statement: string
  createdAt: string
  createdByName: string | null
}

export interface ProgressScore {
  score: number
  note: string
  createdAt: string
  createdByName: string | null
}

function aims(db: Db) {
  return db
    .selectFrom('project_aims as a')
    .leftJoin('users as u', 'u.id', 'a.created_by')
    .selectAll('a')
    .select('u.name as created_by_name')
}

type AimRow = Awaited<ReturnType<ReturnType<typeof aims>['execute']>>[number]

const toAim = (r: AimRow): Aim => ({
  id: r.id,
  version: read.num(r.version),
  what: r.what,
  measure: r.measure,
  baseline: r.baseline,
  target: r.target,
  forWhom: r.for_whom,
  byWhen: r.by_when,
  statement: r.statement,
  createdAt: r.created_at,
  createdByName: r.created_by_name ?? null,
})

export async function findCurrentAim(db: Db, projectId: string): Promise<Aim | null> {
  const row = await aims(db)
    .where('a.project_id', '=', projectId)
    .orderBy('a.version', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? toAim(row) : null
}

export async function listAimVersions(db: Db, projectId: string): Promise<Aim[]> {
  return (await aims(db).where('a.project_id', '=', projectId).orderBy('a.version', 'desc').execute()).map(
    toAim,
  )
}

export async function insertAim(
  db: Db,
  a: Omit<Aim, 'createdByName'> & { projectId: string; createdBy: string },
): Promise<void> {
  await db
    .insertInto('project_aims')
    .values({
      id: a.id,
      project_id: a.projectId,
      version: a.version,
      what: a.what,
      measure: a.measure,
      baseline: a.baseline,
      target: a.target,
      for_whom: a.forWhom,
      by_when: a.byWhen,
      statement: a.statement,
      created_at: a.createdAt,
      created_by: a.createdBy,
    })
    .execute()
}

export async function listProgressScores(db: Db, projectId: string): Promise<ProgressScore[]> {
  const rows = await db
    .selectFrom('project_progress_scores as s')
    .leftJoin('users as u', 'u.id', 's.created_by')
    .select(['s.score', 's.note', 's.created_at', 'u.name as created_by_name'])
    .where('s.project_id', '=', projectId)
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id', 'desc')
    .execute()
  return rows.map((r) => ({
    score: Number(r.score),
    note: r.note,
    createdAt: r.created_at,
    createdByName: r.created_by_name ?? null,
  }))
}

export async function insertProgressScore(
  db: Db,
  s: { projectId: string; score: number; note: string; at: string; by: string },
): Promise<void> {
  await db
    .insertInto('project_progress_scores')
    .values({ project_id: s.projectId, score: s.score, note: s.note, created_at: s.at, created_by: s.by })
    .execute()
}

/** For the archive's cards: each project's current aim, lessons and when its status last changed. */
export async function finishedDetails(
  db: Db,
  projectIds: readonly string[],
): Promise<
  Map<
    string,
    { aim: string | null; lessons: string; abandonedReason: string | null; finishedAt: string | null }
  >
> {
  const out = new Map<
    string,
    { aim: string | null; lessons: string; abandonedReason: string | null; finishedAt: string | null }
  >()
  if (projectIds.length === 0) return out
  const rows = await db
    .selectFrom('projects as p')
    .select((eb) => [
      'p.id',
      'p.lessons',
      'p.abandoned_reason',
      'p.status_changed_at',
      eb
        .selectFrom('project_aims as a')
        .select('a.statement')
        .whereRef('a.project_id', '=', 'p.id')
        .orderBy('a.version', 'desc')
        .limit(1)
        .as('aim'),
    ])
    .where('p.id', 'in', [...projectIds])
    .execute()
  for (const r of rows)
    out.set(r.id, {
      aim: r.aim ?? null,
      lessons: r.lessons,
      abandonedReason: r.abandoned_reason,
      finishedAt: r.status_changed_at,
    })
  return out
}
