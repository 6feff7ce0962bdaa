import type { Kysely, Transaction } from 'kysely'
import { read } from '../db/database.js'
import type { DB } from '../db/schema.js'
import { newId } from '../core/ids.js'
import { toRoleGrant, type CurrentUser, type Role, type RoleGrant } from '../core/identity.js'
import { searchTextFor } from './repository.js'

/**
 * People own people rows. What sign-in, single sign-on, the command line and API tokens
 * do with them, inside the transaction the caller opened: make a person with their first
 * roles, and load the signed-in person as every route and service sees them.
 */

type Db = Kysely<DB> | Transaction<DB>

/** The lookups sign-in needs: by address (joining, signing in, resets) and by id. */
export { findPersonByEmail, findPersonById, type Person } from './repository.js'

export interface NewPerson {
  email: string
  name: string
  passwordHash: string | null
  organisationId: string | null
  /** For the directory's search text; null when the person joins without one. */
  organisationName: string | null
  affiliation: string
  jobRole?: string
  interests?: string
  isPartner?: boolean
  /** Set when the address is already proven (single sign-on, the command line). */
  emailVerifiedAt: string | null
  /** Platform-wide roles granted at once, in this order; every person is at least a member. */
  roles: Role[]
}

/** Writes a new person and their first platform-wide role grants; returns the new id. */
export async function insertPerson(trx: Db, person: NewPerson, now: string): Promise<string> {
  const id = newId()
  const jobRole = person.jobRole ?? ''
  const interests = person.interests ?? ''
  await trx
    .insertInto('users')
    .values({
      id,
      email: person.email,
      name: person.name,
      password_hash: person.passwordHash,
      organisation_id: person.organisationId,
      affiliation: person.affiliation,
      job_role: jobRole,
      interests,
      ...(person.isPartner === undefined ? {} : { is_partner: person.isPartner }),
      search_text: searchTextFor({
        name: person.name,
        organisationName: person.organisationName,
        jobRole,
        skills: '',
        interests,
        share: { organisation: true, jobRole: true, skills: true },
      }),
      email_verified_at: person.emailVerifiedAt,
      org_verified_at: null,
      org_verified_by: null,
      disabled_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute()
  for (const role of person.roles) await grantPlatformRole(trx, id, role, now)
  return id
}

/** A platform-wide role for a person, granted by no one (joining, the command line); kept if held. */
export async function grantPlatformRole(trx: Db, userId: string, role: Role, now: string): Promise<void> {
  await trx
    .insertInto('role_grants')
    .values({
      id: newId(),
      user_id: userId,
      role,
      scope_type: 'platform',
      scope_id: '',
      granted_by: null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['user_id', 'role', 'scope_type', 'scope_id']).doNothing())
    .execute()
}

/**
 * The person and their role grants in one round trip: a row per grant (one row with empty
 * grant columns when there is none). Sessions join their own table onto it.
 */
export function selectCurrentUser(db: Db) {
  return db
    .selectFrom('users')
    .leftJoin('role_grants as g', 'g.user_id', 'users.id')
    .select([
      'users.id',
      'users.name',
      'users.email',
      'users.organisation_id',
      'users.is_partner',
      'users.email_verified_at',
      'users.org_verified_at',
      'users.disabled_at',
      'g.id as grant_id',
      'g.role as grant_role',
      'g.scope_type as grant_scope_type',
      'g.scope_id as grant_scope_id',
    ])
    .orderBy('g.role')
}

type CurrentUserRow = Awaited<ReturnType<ReturnType<typeof selectCurrentUser>['execute']>>[number]

/** The signed-in person from `selectCurrentUser`'s rows; null when there is none or they are disabled. */
export function toCurrentUser(rows: CurrentUserRow[], sessionId: string): CurrentUser | null {
  const row = rows[0]
  if (!row || row.disabled_at) return null
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    organisationId: row.organisation_id,
    isPartner: read.bool(row.is_partner),
    emailVerified: row.email_verified_at !== null,
    orgVerified: row.org_verified_at !== null,
    roles: grantsOf(rows),
    sessionId,
  }
}

/** The signed-in person by id (`sessionId` names how they signed in); null when unknown or disabled. */
export async function loadCurrentUser(
  db: Db,
  userId: string,
  sessionId: string,
): Promise<CurrentUser | null> {
  return toCurrentUser(await selectCurrentUser(db).where('users.id', '=', userId).execute(), sessionId)
}

function grantsOf(rows: CurrentUserRow[]): RoleGrant[] {
  return rows.flatMap((r) =>
    r.grant_id === null
      ? []
      : (toRoleGrant({
          id: r.grant_id,
          role: r.grant_role ?? '',
          scope_type: r.grant_scope_type ?? '',
          scope_id: r.grant_scope_id ?? '',
        }) ?? []),
  )
}

/**
 * Everyone enabled who holds one of these roles, each as services see a signed-in person (for a
 * background job that acts for each of them, such as a digest; `sessionId` names the job).
 */
export async function loadRoleHolders(
  db: Db,
  roles: readonly Role[],
  sessionId: string,
): Promise<CurrentUser[]> {
  const rows = await selectCurrentUser(db)
    .where(
      'users.id',
      'in',
      db
        .selectFrom('role_grants')
        .select('role_grants.user_id')
        .where('role_grants.role', 'in', [...roles]),
    )
    .where('users.disabled_at', 'is', null)
    .execute()
  const byUser = new Map<string, typeof rows>()
  for (const r of rows) byUser.set(r.id, [...(byUser.get(r.id) ?? []), r])
  return [...byUser.values()]
    .map((r) => toCurrentUser(r, sessionId))
    .filter((u): u is CurrentUser => u !== null)
    .sort((a, b) => a.id.localeCompare(b.id))
}
