import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import { containsLike } from '../db/sql.js'
import { read } from '../db/database.js'
import type { DB } from '../db/schema.js'
import type { UsersTable } from '../db/tables/people.js'
import { toRoleGrant, type RoleGrant } from '../core/identity.js'

type Db = Kysely<DB> | Transaction<DB>

export interface Person {
  id: string
  email: string
  name: string
  organisationId: string | null
  organisationName: string | null
  affiliation: string
  jobRole: string
  interests: string
  bio: string
  skills: string
  qiLevel: string
  inDirectory: boolean
  share: { email: boolean; organisation: boolean; jobRole: boolean; bio: boolean; skills: boolean }
  isPartner: boolean
  emailVerifiedAt: string | null
  orgVerifiedAt: string | null
  isDemo: boolean
  disabledAt: string | null
  version: number
  createdAt: string
  updatedAt: string
}

type UserRow = Selectable<UsersTable> & { organisation_name: string | null }

export function toPerson(r: UserRow): Person {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    affiliation: r.affiliation,
    jobRole: r.job_role,
    interests: r.interests,
    bio: r.bio,
    skills: r.skills,
    qiLevel: r.qi_level,
    inDirectory: read.bool(r.in_directory),
    share: {
      email: read.bool(r.share_email),
      organisation: read.bool(r.share_organisation),
      jobRole: read.bool(r.share_job_role),
      bio: read.bool(r.share_bio),
      skills: read.bool(r.share_skills),
    },
    isPartner: read.bool(r.is_partner),
    emailVerifiedAt: r.email_verified_at,
    orgVerifiedAt: r.org_verified_at,
    isDemo: read.bool(r.is_demo),
    disabledAt: r.disabled_at,
    version: read.num(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

/** Lower-case text the directory searches: only what the member chose to share. */
export function searchTextFor(p: {
  name: string
  organisationName: string | null
  jobRole: string
  skills: string
  interests: string
  share: { organisation: boolean; jobRole: boolean; skills: boolean }
}): string {
  return [
    p.name,
    p.share.organisation ? p.organisationName : '',
    p.share.jobRole ? p.jobRole : '',
    p.share.skills ? p.skills : '',
    p.interests,
  ]
    .filter(Boolean)
    .join(' \u0001 ')
    .toLowerCase()
}

function selectPeople(db: Db) {
  return db
    .selectFrom('users')
    .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
    .selectAll('users')
    .select('organisations.name as organisation_name')
}

export async function findPersonById(db: Db, id: string): Promise<Person | null> {
  const row = await selectPeople(db).where('users.id', '=', id).executeTakeFirst()
  return row ? toPerson(row) : null
}

export async function findPersonByEmail(
  db: Db,
  email: string,
): Promise<(Person & { passwordHash: string | null }) | null> {
  const row = await selectPeople(db).where('users.email', '=', email.toLowerCase()).executeTakeFirst()
  return row ? { ...toPerson(row), passwordHash: row.password_hash } : null
}

export async function findGrants(db: Db, userId: string): Promise<RoleGrant[]> {
  const rows = await db
    .selectFrom('role_grants')
    .select(['id', 'role', 'scope_type', 'scope_id'])
    .where('user_id', '=', userId)
    .orderBy('role')
    .execute()
  return rows.flatMap((r) => toRoleGrant(r) ?? [])
}

export interface DirectoryQuery {
  q?: string
  organisationId?: string
  skill?: string
  page: number
  pageSize: number
}

export async function searchDirectory(
  db: Db,
  query: DirectoryQuery,
): Promise<{ items: Person[]; total: number }> {
  // Filter on `users` alone (the count needs no join); search_text is stored lower-case.
  let base = db
    .selectFrom('users')
    .where('users.in_directory', '=', true)
    .where('users.email_verified_at', 'is not', null)
    .where('users.disabled_at', 'is', null)
  for (const term of (query.q ?? '').split(/\s+/).filter(Boolean).slice(0, 6)) {
    base = base.where(containsLike(sql.ref('users.search_text'), term, { lowerCased: true }))
  }
  if (query.organisationId)
    base = base
      .where('users.organisation_id', '=', query.organisationId)
      .where('users.share_organisation', '=', true)
  if (query.skill)
    base = base
      .where('users.share_skills', '=', true)
      .where(containsLike(sql.ref('users.skills'), query.skill))
  const [rows, count] = await Promise.all([
    base
      .leftJoin('organisations', 'organisations.id', 'users.organisation_id')
      .selectAll('users')
      .select('organisations.name as organisation_name')
      .orderBy('users.name')
      .orderBy('users.id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { items: rows.map(toPerson), total: read.num(count.n) }
}

export interface AdminPeopleQuery {
  q?: string
  organisationId?: string
  unverifiedOnly?: boolean
  page: number
  pageSize: number
}

export async function searchPeopleForAdmin(
  db: Db,
  query: AdminPeopleQuery,
): Promise<{ items: Person[]; total: number }> {
  let base = db.selectFrom('users').leftJoin('organisations', 'organisations.id', 'users.organisation_id')
  if (query.q) {
    const q = query.q
    base = base.where((eb) =>
      eb.or([containsLike(sql.ref('users.name'), q), containsLike(sql.ref('users.email'), q)]),
    )
  }
  if (query.organisationId) base = base.where('users.organisation_id', '=', query.organisationId)
  if (query.unverifiedOnly)
    base = base.where('users.org_verified_at', 'is', null).where('users.organisation_id', 'is not', null)
  const [rows, count] = await Promise.all([
    base
      .selectAll('users')
      .select('organisations.name as organisation_name')
      .orderBy('users.name')
      .orderBy('users.id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { items: rows.map(toPerson), total: read.num(count.n) }
}
