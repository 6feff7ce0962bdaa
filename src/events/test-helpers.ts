import { userRow } from '../db/rows.js'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../core/identity.js'

/**
 * Adds `count` verified members who sign in with the demo password (the hash is copied from a
 * demo user), for tests and benchmarks that need many people. Returns them as CurrentUser.
 */
export async function addMembers(db: Kysely<DB>, count: number, prefix = 'member'): Promise<CurrentUser[]> {
  const { password_hash } = await db
    .selectFrom('users')
    .select('password_hash')
    .where('email', '=', 'ada.aimwell@example.invalid')
    .executeTakeFirstOrThrow()
  const now = new Date().toISOString()
  const rows = Array.from({ length: count }, (_, i) =>
    userRow({
      id: `${prefix}-${i}`,
      email: `${prefix}.${i}@example.invalid`,
      name: `${prefix} ${i} (DEMO)`,
      password_hash,
      organisation_id: 'org-ghc',
      is_demo: true,
      email_verified_at: now,
      org_verified_at: now,
      created_at: now,
    }),
  )
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('users')
      .values(rows.slice(i, i + 200))
      .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    organisationId: 'org-ghc',
    isPartner: false,
    emailVerified: true,
    orgVerified: true,
    roles: [],
    sessionId: '',
  }))
}

/** The signed-in shape of a demo user, for calling services directly. */
export async function demoUser(db: Kysely<DB>, local: string): Promise<CurrentUser> {
  const u = await db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'organisation_id'])
    .where('email', '=', `${local}@example.invalid`)
    .executeTakeFirstOrThrow()
  const grants = await db
    .selectFrom('role_grants')
    .select(['id', 'role', 'scope_type', 'scope_id'])
    .where('user_id', '=', u.id)
    .execute()
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    organisationId: u.organisation_id,
    isPartner: false,
    emailVerified: true,
    orgVerified: true,
    roles: grants.map((g) => ({
      id: g.id,
      role: g.role as CurrentUser['roles'][number]['role'],
      scopeType: g.scope_type as CurrentUser['roles'][number]['scopeType'],
      scopeId: g.scope_id,
    })),
    sessionId: '',
  }
}
