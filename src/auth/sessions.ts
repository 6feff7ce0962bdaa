import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../core/identity.js'
import { selectCurrentUser, toCurrentUser } from '../people/accounts.js'
import { hashToken, newToken } from '../core/ids.js'

const IDLE_MS = 12 * 3600_000
const ABSOLUTE_MS = 7 * 24 * 3600_000
const TOUCH_EVERY_MS = 5 * 60_000

type Db = Kysely<DB> | Transaction<DB>

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
    // The person, their role grants and the session in one round trip.
    const rows = await selectCurrentUser(this.db)
      .innerJoin('sessions', 'sessions.user_id', 'users.id')
      .select(['sessions.created_at', 'sessions.last_seen_at', 'sessions.expires_at'])
      .where('sessions.id', '=', id)
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
    return toCurrentUser(rows, id)
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
