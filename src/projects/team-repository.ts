import { sql } from 'kysely'
import { read } from '../db/database.js'
import type { Db } from './repository.js'

/**
 * The project team (`project_members`), and the people a team or a comment names: looked up by
 * address, id or the start of a name, with their role grants.
 */

export interface TeamMember {
  userId: string
  name: string
  email: string
  role: string
  isPartner: boolean
  organisationName: string | null
  addedAt: string
}

const ROLE_ORDER = sql<number>`case pm.role when 'lead' then 0 when 'coach' then 1 when 'sponsor' then 2 else 3 end`

/** The projects where this person is on the team as its QI coach (a coach's caseload). */
export async function listCoachedProjects(db: Db, userId: string): Promise<{ id: string; title: string }[]> {
  return db
    .selectFrom('project_members as pm')
    .innerJoin('projects as p', 'p.id', 'pm.project_id')
    .select(['p.id', 'p.title'])
    .where('pm.user_id', '=', userId)
    .where('pm.role', '=', 'coach')
    .orderBy('p.title')
    .orderBy('p.id')
    .execute()
}

export async function listTeam(db: Db, projectId: string): Promise<TeamMember[]> {
  const rows = await db
    .selectFrom('project_members as pm')
    .innerJoin('users as u', 'u.id', 'pm.user_id')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select([
      'pm.user_id',
      'pm.role',
      'pm.added_at',
      'u.name',
      'u.email',
      'u.is_partner',
      'o.name as organisation_name',
    ])
    .where('pm.project_id', '=', projectId)
    .orderBy(ROLE_ORDER)
    .orderBy('u.name')
    .execute()
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    email: r.email,
    role: r.role,
    isPartner: read.bool(r.is_partner),
    organisationName: r.organisation_name ?? null,
    addedAt: r.added_at,
  }))
}

export async function findMember(
  db: Db,
  projectId: string,
  userId: string,
): Promise<{ role: string } | null> {
  return (
    (await db
      .selectFrom('project_members')
      .select('role')
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .executeTakeFirst()) ?? null
  )
}

export async function insertMember(
  db: Db,
  m: { projectId: string; userId: string; role: string; at: string; by: string },
): Promise<void> {
  await db
    .insertInto('project_members')
    .values({ project_id: m.projectId, user_id: m.userId, role: m.role, added_at: m.at, added_by: m.by })
    .execute()
}

export async function setMemberRole(db: Db, projectId: string, userId: string, role: string): Promise<void> {
  await db
    .updateTable('project_members')
    .set({ role })
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .execute()
}

export async function deleteMember(db: Db, projectId: string, userId: string): Promise<void> {
  await db
    .deleteFrom('project_members')
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .execute()
}

export async function countLeads(db: Db, projectId: string): Promise<number> {
  const r = await db
    .selectFrom('project_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .where('role', '=', 'lead')
    .executeTakeFirstOrThrow()
  return read.num(r.n)
}

export interface PersonRef {
  id: string
  name: string
  email: string
  organisationId: string | null
  isPartner: boolean
  emailVerified: boolean
  orgVerified: boolean
  disabled: boolean
  inDirectory: boolean
}

function people(db: Db) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'name',
      'email',
      'organisation_id',
      'is_partner',
      'email_verified_at',
      'org_verified_at',
      'disabled_at',
      'in_directory',
    ])
}

type PersonRow = Awaited<ReturnType<ReturnType<typeof people>['execute']>>[number]

const toPersonRef = (r: PersonRow): PersonRef => ({
  id: r.id,
  name: r.name,
  email: r.email,
  organisationId: r.organisation_id,
  isPartner: read.bool(r.is_partner),
  emailVerified: r.email_verified_at !== null,
  orgVerified: r.org_verified_at !== null,
  disabled: r.disabled_at !== null,
  inDirectory: read.bool(r.in_directory),
})

export async function findPersonRefByEmail(db: Db, email: string): Promise<PersonRef | null> {
  const r = await people(db).where('email', '=', email.toLowerCase()).executeTakeFirst()
  return r ? toPersonRef(r) : null
}

export async function findPersonRef(db: Db, id: string): Promise<PersonRef | null> {
  const r = await people(db).where('id', '=', id).executeTakeFirst()
  return r ? toPersonRef(r) : null
}

/** Verified, enabled people whose lower-cased name starts with `prefix` (mention candidates). */
export async function findPeopleByNamePrefix(db: Db, prefix: string, limit = 50): Promise<PersonRef[]> {
  const pattern = `${prefix.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`
  const rows = await people(db)
    .where(sql<boolean>`lower(name) like ${pattern} escape '\\'`)
    .where('email_verified_at', 'is not', null)
    .where('disabled_at', 'is', null)
    .limit(limit)
    .execute()
  return rows.map(toPersonRef)
}

export async function findPeopleByEmails(db: Db, emails: string[]): Promise<PersonRef[]> {
  if (emails.length === 0) return []
  return (
    await people(db)
      .where(
        'email',
        'in',
        emails.map((e) => e.toLowerCase()),
      )
      .execute()
  ).map(toPersonRef)
}

export async function findPeopleByIds(db: Db, ids: string[]): Promise<PersonRef[]> {
  if (ids.length === 0) return []
  return (await people(db).where('id', 'in', ids).execute()).map(toPersonRef)
}

/** Role grants of several people at once (to check what they may see). */
export async function grantsOf(
  db: Db,
  userIds: string[],
): Promise<Map<string, { id: string; role: string; scopeType: string; scopeId: string }[]>> {
  const out = new Map<string, { id: string; role: string; scopeType: string; scopeId: string }[]>()
  if (userIds.length === 0) return out
  const rows = await db
    .selectFrom('role_grants')
    .select(['id', 'user_id', 'role', 'scope_type', 'scope_id'])
    .where('user_id', 'in', userIds)
    .execute()
  for (const r of rows) {
    const list = out.get(r.user_id) ?? []
    list.push({ id: r.id, role: r.role, scopeType: r.scope_type, scopeId: r.scope_id })
    out.set(r.user_id, list)
  }
  return out
}

/** E-mail addresses of enabled people holding any of these roles. */
export async function emailsWithRoles(db: Db, roles: string[]): Promise<{ email: string; name: string }[]> {
  return db
    .selectFrom('users as u')
    .innerJoin('role_grants as g', 'g.user_id', 'u.id')
    .select(['u.email', 'u.name'])
    .where('g.role', 'in', roles)
    .where('u.disabled_at', 'is', null)
    .where('u.email_verified_at', 'is not', null)
    .distinct()
    .orderBy('u.email')
    .execute()
}
