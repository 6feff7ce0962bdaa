import { projectRow } from '../db/rows.js'
import type { Kysely, Transaction } from 'kysely'
import { read } from '../db/database.js'
import type { DB } from '../db/schema.js'

/**
 * The project's own row and what it links to (organisations, aim codes, priorities), and the
 * review queue. The team (team-repository.ts), the aim and progress scores (aim-repository.ts)
 * and the project list's search (search-repository.ts) have their own files.
 */

export type Db = Kysely<DB> | Transaction<DB>

export interface Project {
  id: string
  title: string
  problem: string
  status: string
  visibility: string
  publicApprovedAt: string | null
  publicApprovedBy: string | null
  publicRequestedAt: string | null
  publicConsentAt: string | null
  programmeId: string | null
  programmeName: string | null
  qsirStage: string
  progressScore: number | null
  researchAnswer: string | null
  researchNotes: string
  submittedAt: string | null
  approvedAt: string | null
  approvedByName: string | null
  returnedComment: string | null
  abandonedReason: string | null
  statusChangedAt: string | null
  lessons: string
  lastActivityAt: string
  isDemo: boolean
  createdBy: string | null
  version: number
  createdAt: string
  updatedAt: string
}

export interface ProjectSummary {
  id: string
  title: string
  status: string
  visibility: string
  publicApproved: boolean
  progressScore: number | null
  lastActivityAt: string
  isDemo: boolean
  organisations: string[]
}

function projects(db: Db) {
  return db
    .selectFrom('projects as p')
    .leftJoin('programmes as pr', 'pr.id', 'p.programme_id')
    .leftJoin('users as ap', 'ap.id', 'p.approved_by')
    .selectAll('p')
    .select(['pr.name as programme_name', 'ap.name as approved_by_name'])
}

type ProjectRow = Awaited<ReturnType<ReturnType<typeof projects>['execute']>>[number]

function toProject(r: ProjectRow): Project {
  return {
    id: r.id,
    title: r.title,
    problem: r.problem,
    status: r.status,
    visibility: r.visibility,
    publicApprovedAt: r.public_approved_at,
    publicApprovedBy: r.public_approved_by,
    publicRequestedAt: r.public_requested_at,
    publicConsentAt: r.public_consent_at,
    programmeId: r.programme_id,
    programmeName: r.programme_name ?? null,
    qsirStage: r.qsir_stage,
    progressScore: r.progress_score === null ? null : Number(r.progress_score),
    researchAnswer: r.research_answer,
    researchNotes: r.research_notes,
    submittedAt: r.submitted_at,
    approvedAt: r.approved_at,
    approvedByName: r.approved_by_name ?? null,
    returnedComment: r.returned_comment,
    abandonedReason: r.abandoned_reason,
    statusChangedAt: r.status_changed_at,
    lessons: r.lessons,
    lastActivityAt: r.last_activity_at,
    isDemo: read.bool(r.is_demo),
    createdBy: r.created_by,
    version: read.num(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export async function findProject(db: Db, id: string): Promise<Project | null> {
  const row = await projects(db).where('p.id', '=', id).executeTakeFirst()
  return row ? toProject(row) : null
}

/** Locks the project's row on PostgreSQL (SQLite serialises writers anyway) and returns it. */
export async function lockProject(
  trx: Transaction<DB>,
  id: string,
  postgres: boolean,
): Promise<Project | null> {
  if (postgres)
    await trx.selectFrom('projects').select('id').where('id', '=', id).forUpdate().executeTakeFirst()
  return findProject(trx, id)
}

export async function listProjectOrganisations(
  db: Db,
  projectId: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('project_organisations as po')
    .innerJoin('organisations as o', 'o.id', 'po.organisation_id')
    .select(['o.id', 'o.name'])
    .where('po.project_id', '=', projectId)
    .orderBy('o.name')
    .execute()
}

export async function listProjectAimCodes(
  db: Db,
  projectId: string,
): Promise<{ code: string; text: string }[]> {
  return db
    .selectFrom('project_aim_codes as pa')
    .innerJoin('aims as a', 'a.code', 'pa.aim_code')
    .select(['a.code', 'a.text'])
    .where('pa.project_id', '=', projectId)
    .orderBy('a.sort')
    .execute()
}

export async function listProjectPriorities(
  db: Db,
  projectId: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('project_priorities as pp')
    .innerJoin('system_priorities as s', 's.id', 'pp.priority_id')
    .select(['s.id', 's.name'])
    .where('pp.project_id', '=', projectId)
    .orderBy('s.name')
    .execute()
}

/**
 * Updates the project's row when its version is still `version`, bumping it. Returns
 * false when someone else saved first (the caller refuses with a ConflictError).
 */
export async function updateProjectRow(
  db: Db,
  id: string,
  version: number,
  values: Partial<{
    title: string
    problem: string
    status: string
    visibility: string
    public_approved_at: string | null
    public_approved_by: string | null
    public_requested_at: string | null
    public_consent_at: string | null
    public_consent_by: string | null
    programme_id: string | null
    qsir_stage: string
    progress_score: number | null
    research_answer: string | null
    research_notes: string
    submitted_at: string | null
    approved_at: string | null
    approved_by: string | null
    returned_comment: string | null
    abandoned_reason: string | null
    status_changed_at: string | null
    lessons: string
    search_text: string
  }>,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('projects')
    .set({ ...values, version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function setSearchText(db: Db, id: string, searchText: string): Promise<void> {
  await db.updateTable('projects').set({ search_text: searchText }).where('id', '=', id).execute()
}

export async function replaceOrganisations(db: Db, projectId: string, ids: string[]): Promise<void> {
  await db.deleteFrom('project_organisations').where('project_id', '=', projectId).execute()
  if (ids.length)
    await db
      .insertInto('project_organisations')
      .values(ids.map((organisation_id) => ({ project_id: projectId, organisation_id })))
      .execute()
}

export async function replaceAimCodes(db: Db, projectId: string, codes: string[]): Promise<void> {
  await db.deleteFrom('project_aim_codes').where('project_id', '=', projectId).execute()
  if (codes.length)
    await db
      .insertInto('project_aim_codes')
      .values(codes.map((aim_code) => ({ project_id: projectId, aim_code })))
      .execute()
}

export async function replacePriorities(db: Db, projectId: string, ids: string[]): Promise<void> {
  await db.deleteFrom('project_priorities').where('project_id', '=', projectId).execute()
  if (ids.length)
    await db
      .insertInto('project_priorities')
      .values(ids.map((priority_id) => ({ project_id: projectId, priority_id })))
      .execute()
}

export async function insertProjectRow(
  db: Db,
  p: { id: string; title: string; problem: string; createdBy: string; now: string; searchText: string },
): Promise<void> {
  await db
    .insertInto('projects')
    .values(
      projectRow({
        id: p.id,
        title: p.title,
        problem: p.problem,
        status: 'draft',
        visibility: 'private',
        status_changed_at: p.now,
        created_by: p.createdBy,
        search_text: p.searchText,
        created_at: p.now,
      }),
    )
    .execute()
}

export async function deleteProjectRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('projects').where('id', '=', id).execute()
}

export async function countExisting(
  db: Db,
  table: 'organisations' | 'programmes' | 'system_priorities',
  ids: string[],
): Promise<number> {
  if (ids.length === 0) return 0
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow()
  return read.num(r.n)
}

export async function countExistingAims(db: Db, codes: string[]): Promise<number> {
  if (codes.length === 0) return 0
  const r = await db
    .selectFrom('aims')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('code', 'in', codes)
    .executeTakeFirstOrThrow()
  return read.num(r.n)
}

/** Waiting for a coach or the Steering Group: registrations, and requests to go public. */
export async function reviewQueue(db: Db): Promise<{
  registrations: (ProjectSummary & { submittedAt: string | null; leads: string[] })[]
  publications: (ProjectSummary & { publicRequestedAt: string | null; leads: string[] })[]
}> {
  const select = [
    'id',
    'title',
    'status',
    'visibility',
    'public_approved_at',
    'public_requested_at',
    'progress_score',
    'last_activity_at',
    'is_demo',
    'submitted_at',
  ] as const
  const [submitted, pending] = await Promise.all([
    db
      .selectFrom('projects')
      .select(select)
      .where('status', '=', 'submitted')
      .orderBy('submitted_at')
      .limit(200)
      .execute(),
    db
      .selectFrom('projects')
      .select(select)
      .where('visibility', '=', 'public')
      .where('public_approved_at', 'is', null)
      .where('status', 'not in', ['draft', 'returned'])
      .orderBy('public_requested_at')
      .limit(200)
      .execute(),
  ])
  const ids = [...submitted, ...pending].map((r) => r.id)
  const leads = new Map<string, string[]>()
  if (ids.length) {
    const rows = await db
      .selectFrom('project_members as pm')
      .innerJoin('users as u', 'u.id', 'pm.user_id')
      .select(['pm.project_id', 'u.name'])
      .where('pm.project_id', 'in', ids)
      .where('pm.role', '=', 'lead')
      .orderBy('u.name')
      .execute()
    for (const r of rows) leads.set(r.project_id, [...(leads.get(r.project_id) ?? []), r.name])
  }
  const summary = (r: (typeof submitted)[number]) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    visibility: r.visibility,
    publicApproved: r.public_approved_at !== null,
    progressScore: r.progress_score === null ? null : Number(r.progress_score),
    lastActivityAt: r.last_activity_at,
    isDemo: read.bool(r.is_demo),
    organisations: [],
    leads: leads.get(r.id) ?? [],
  })
  return {
    registrations: submitted.map((r) => ({ ...summary(r), submittedAt: r.submitted_at })),
    publications: pending.map((r) => ({ ...summary(r), publicRequestedAt: r.public_requested_at })),
  }
}
