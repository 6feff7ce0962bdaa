import type { Kysely, Transaction } from 'kysely'
import { hashToken, newToken } from '../core/ids.js'
import type { DB } from '../db/schema.js'

type Db = Kysely<DB> | Transaction<DB>

/**
 * The RFC 8058 headers of a message with a one-click unsubscribe link: mail clients offer
 * "Unsubscribe" and POST `List-Unsubscribe=One-Click` to the link, without the person signing in.
 */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
}

export interface UnsubscribeToken {
  userId: string
  list: string
  usedAt: string | null
}

/**
 * One-click unsubscribe tokens for any mailing list (`mail_unsubscribe_tokens`): a fresh random
 * token per message, stored as its SHA-256, used once. The list's owner decides what "unsubscribe"
 * changes; this only proves who the link was for and whether it was used.
 */
export const unsubscribeTokens = {
  /** A new token for this person and list, stored in the caller's transaction; the raw token to put in the link. */
  async issue(db: Db, userId: string, list: string, now: string): Promise<string> {
    const token = newToken()
    await db
      .insertInto('mail_unsubscribe_tokens')
      .values({ token_hash: hashToken(token), user_id: userId, list, created_at: now, used_at: null })
      .execute()
    return token
  },

  /**
   * What the token is for, or null when it is not one we issued (a tampered or made-up link) or
   * is for a list the caller does not own (`owns` says which lists are the caller's).
   */
  async find(db: Db, token: string, owns: (list: string) => boolean): Promise<UnsubscribeToken | null> {
    const r = await db
      .selectFrom('mail_unsubscribe_tokens')
      .select(['user_id', 'list', 'used_at'])
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst()
    if (!r || !owns(r.list)) return null
    return {
      userId: r.user_id,
      list: r.list,
      usedAt: r.used_at === null ? null : new Date(r.used_at).toISOString(),
    }
  },

  /** Marks the token used; false when it was already used (by an earlier click or a racing one). */
  async use(db: Db, token: string, now: string): Promise<boolean> {
    const r = await db
      .updateTable('mail_unsubscribe_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .executeTakeFirst()
    return Number(r.numUpdatedRows) === 1
  },
}
