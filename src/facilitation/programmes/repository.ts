import type { Kysely, Transaction } from 'kysely'
import { read } from '../../db/database.js'
import type { DB } from '../../db/schema.js'
import type { CurrentUser } from '../../core/identity.js'
import { visibleProjects } from '../../projects/access.js'

type Db = Kysely<DB> | Transaction<DB>

export interface Programme {
  id: string
  slug: string
  name: string
  description: string
  support: string
  participants: string | null
  organisationName: string | null
  isDemo: boolean
}

export interface SystemPriority {
  id: string
  name: string
  owner: string
  description: string
  version: number
  requestCount: number
}

function programmes(db: Db) {
  return db
    .selectFrom('programmes as p')
    .leftJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select([
      'p.id',
      'p.slug',
      'p.name',
      'p.description',
      'p.support',
      'p.participants',
      'p.is_demo',
      'o.name as organisation_name',
    ])
}

type ProgrammeRow = Awaited<ReturnType<ReturnType<typeof programmes>['execute']>>[number]

const toProgramme = (r: ProgrammeRow): Programme => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  support: r.support,
  participants: r.participants,
  organisationName: r.organisation_name,
  isDemo: read.bool(r.is_demo),
})

export async function listProgrammes(db: Db): Promise<Programme[]> {
  return (await programmes(db).orderBy('p.name').execute()).map(toProgramme)
}

export async function findProgrammeBySlug(db: Db, slug: string): Promise<Programme | null> {
  const r = await programmes(db).where('p.slug', '=', slug).executeTakeFirst()
  return r ? toProgramme(r) : null
}

export async function findProgrammeById(db: Db, id: string): Promise<Programme | null> {
  const r = await programmes(db).where('p.id', '=', id).executeTakeFirst()
  return r ? toProgramme(r) : null
}

/** The people granted programme_lead for this programme. */
export async function listProgrammeLeads(
  db: Db,
  programmeId: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['u.id', 'u.name'])
    .where('g.role', '=', 'programme_lead')
    .where('g.scope_id', '=', programmeId)
    .where('u.disabled_at', 'is', null)
    .orderBy('u.name')
    .execute()
}

export async function updateProgrammeDescription(db: Db, id: string, description: string): Promise<void> {
  await db.updateTable('programmes').set({ description }).where('id', '=', id).execute()
}

export async function listPriorities(db: Db): Promise<SystemPriority[]> {
  const rows = await db
    .selectFrom('system_priorities as p')
    .select((eb) => [
      'p.id',
      'p.name',
      'p.owner',
      'p.description',
      'p.version',
      eb
        .selectFrom('support_request_priorities as sp')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('sp.priority_id', '=', 'p.id')
        .as('request_count'),
    ])
    .orderBy('p.name')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    owner: r.owner,
    description: r.description,
    version: read.num(r.version),
    requestCount: read.num(r.request_count),
  }))
}

export async function findPriority(db: Db, id: string): Promise<SystemPriority | null> {
  return (await listPriorities(db)).find((p) => p.id === id) ?? null
}

export async function priorityNameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom('system_priorities')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
  if (exceptId) q = q.where('id', '!=', exceptId)
  return !!(await q.executeTakeFirst())
}

export async function insertPriority(
  db: Db,
  p: { id: string; name: string; owner: string; description: string; now: string },
): Promise<void> {
  await db
    .insertInto('system_priorities')
    .values({
      id: p.id,
      name: p.name,
      owner: p.owner,
      description: p.description,
      created_at: p.now,
      updated_at: p.now,
    })
    .execute()
}

export async function updatePriority(
  db: Db,
  id: string,
  version: number,
  p: { name: string; owner: string; description: string; now: string },
): Promise<boolean> {
  const r = await db
    .updateTable('system_priorities')
    .set({
      name: p.name,
      owner: p.owner,
      description: p.description,
      updated_at: p.now,
      version: version + 1,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Deletes a priority and its tags, keeping each tagged request's priority count in step. */
export async function deletePriority(db: Db, id: string): Promise<void> {
  await db
    .updateTable('support_requests')
    .set((eb) => ({ priority_count: eb('priority_count', '-', 1) }))
    .where('id', 'in', (eb) =>
      eb.selectFrom('support_request_priorities').select('request_id').where('priority_id', '=', id),
    )
    .execute()
  await db.deleteFrom('system_priorities').where('id', '=', id).execute()
}

export async function existingIds(
  db: Db,
  table: 'system_priorities' | 'programmes' | 'faculties',
  ids: string[],
): Promise<string[]> {
  if (ids.length === 0) return []
  const rows = await db.selectFrom(table).select('id').where('id', 'in', ids).execute()
  return rows.map((r) => r.id)
}

export async function existingAimCodes(db: Db, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return []
  return (await db.selectFrom('aims').select('code').where('code', 'in', codes).execute()).map((r) => r.code)
}

export async function listFaculties(db: Db): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('faculties').select(['id', 'name']).orderBy('name').execute()
}

export async function listAims(db: Db): Promise<{ code: string; text: string }[]> {
  return db.selectFrom('aims').select(['code', 'text']).orderBy('sort').execute()
}

export async function organisationOf(db: Db, userId: string): Promise<string | null> {
  const r = await db.selectFrom('users').select('organisation_id').where('id', '=', userId).executeTakeFirst()
  return r?.organisation_id ?? null
}

/** Who the triage team is, for the "new request" e-mail: Steering Group members who can sign in. */
export async function steeringGroupEmails(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('role_grants as g', 'g.user_id', 'u.id')
    .select('u.email')
    .where('g.role', '=', 'steering_group')
    .where('u.disabled_at', 'is', null)
    .distinct()
    .execute()
  return rows.map((r) => r.email)
}

export interface ProgrammeProject {
  id: string
  title: string
  status: string
  lastActivityAt: string
}

/**
 * Projects tagged with this programme that this viewer may see (`visibleProjects`, the same rule
 * as every projects list: an anonymous visitor sees approved public projects only), newest
 * activity first, at most `limit`.
 */
export async function listProgrammeProjects(
  db: Db,
  programmeId: string,
  viewer: CurrentUser | null,
  limit = 50,
): Promise<ProgrammeProject[]> {
  const rows = await db
    .selectFrom('projects')
    .select(['projects.id', 'projects.title', 'projects.status', 'projects.last_activity_at'])
    .where('projects.programme_id', '=', programmeId)
    .where(visibleProjects(viewer))
    .orderBy('projects.last_activity_at', 'desc')
    .orderBy('projects.id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ id: r.id, title: r.title, status: r.status, lastActivityAt: r.last_activity_at }))
}
