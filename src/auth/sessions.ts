import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { read } from '../db/database.js'
import { toRoleGrant, type RoleGrant, type CurrentUser } from '../core/identity.js'
import { hashToken, newToken } from '../core/ids.js'

const IDLE_MS = 12 * 3600_000
const ABSOLUTE_MS = 7 * 24 * 3600_000
const TOUCH_EVERY_MS = 5 * 60_000

type Db = Kysely<DB> | Transaction<DB>

/** The grants of a session row per grant (a left join: one row with empty grant columns when none). */
function grantsOf(
  rows: {
    grant_id: string | null
    grant_role: string | null
    grant_scope_type: string | null
    grant_scope_id: string | null
  }[],
): RoleGrant[] {
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

/** Sessions live in the database, keyed by the hash of the cookie's token, so any instance can serve them and revoke them. */
export class SessionStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  async create(
    trx: Db,
    userId: string,
    method: string,
    meta: { ip?: string; userAgent?: string },
  ): Promise<string> {
    const token = newToken()
    const now = this.clock()
    await trx
      .insertInto('sessions')
      .values({
        id: hashToken(token),
        user_id: userId,
        auth_method: method,
        ip: meta.ip ?? null,
        user_agent: meta.userAgent?.slice(0, 300) ?? null,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + IDLE_MS).toISOString(),
      })
      .execute()
    return token
  }

  /** The user behind a cookie token, or null when the session is unknown, expired or revoked. */
  async resolve(token: string): Promise<CurrentUser | null> {
    if (!token || token.length > 100) return null
    const id = hashToken(token)
    // The person and their role grants in one round trip: a row per grant (one row with empty
    // grant columns when there is none).
    const rows = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .leftJoin('role_grants as g', 'g.user_id', 'users.id')
      .select([
        'sessions.id as session_id',
        'sessions.created_at',
        'sessions.last_seen_at',
        'sessions.expires_at',
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
      .where('sessions.id', '=', id)
      .orderBy('g.role')
      .execute()
    const row = rows[0]
    if (!row || row.disabled_at) return null
    const now = this.clock()
    if (new Date(row.expires_at).getTime() <= now.getTime()) {
      await this.db.deleteFrom('sessions').where('id', '=', id).execute()
      return null
    }
    if (now.getTime() - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
      const expires = Math.min(new Date(row.created_at).getTime() + ABSOLUTE_MS, now.getTime() + IDLE_MS)
      await this.db
        .updateTable('sessions')
        .set({ last_seen_at: now.toISOString(), expires_at: new Date(expires).toISOString() })
        .where('id', '=', id)
        .execute()
    }
    return {
      id: row.id,
      name: row.name,
      email: row.email,
      organisationId: row.organisation_id,
      isPartner: read.bool(row.is_partner),
      emailVerified: row.email_verified_at !== null,
      orgVerified: row.org_verified_at !== null,
      roles: grantsOf(rows),
      sessionId: id,
    }
  }

  async revoke(trx: Db, sessionId: string): Promise<void> {
    await trx.deleteFrom('sessions').where('id', '=', sessionId).execute()
  }

  async revokeAllForUser(trx: Db, userId: string): Promise<number> {
    const result = await trx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  async prune(): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<', this.clock().toISOString()).execute()
  }
}
