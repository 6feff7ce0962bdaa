import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { hashToken, newToken } from '../core/ids.js'

/** What a link's token says when it is used or checked. */
export type TokenState = 'ok' | 'invalid' | 'expired' | 'used'

/**
 * A single-use link's token (e-mail verification, password reset): only its hash is stored,
 * so the database never holds a working link. Returns the token for the e-mail.
 */
export async function issueToken(
  trx: Kysely<DB>,
  now: Date,
  userId: string,
  purpose: string,
  ttlMs: number,
): Promise<string> {
  const token = newToken()
  await trx
    .insertInto('one_time_tokens')
    .values({
      id: hashToken(token),
      user_id: userId,
      purpose,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ttlMs).toISOString(),
      used_at: null,
    })
    .execute()
  return token
}

/** Uses a token once: the first use gets its user, any other the reason it fails. */
export async function consumeToken(
  db: Kysely<DB>,
  now: string,
  token: string,
  purpose: string,
): Promise<{ status: 'ok'; userId: string } | { status: Exclude<TokenState, 'ok'> }> {
  if (!token || token.length > 100) return { status: 'invalid' }
  const id = hashToken(token)
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('one_time_tokens')
      .selectAll()
      .where('id', '=', id)
      .where('purpose', '=', purpose)
      .executeTakeFirst()
    if (!row) return { status: 'invalid' as const }
    if (row.used_at) return { status: 'used' as const }
    if (row.expires_at <= now) return { status: 'expired' as const }
    // The used_at check in the WHERE makes two simultaneous uses impossible.
    const result = await trx
      .updateTable('one_time_tokens')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) return { status: 'used' as const }
    return { status: 'ok' as const, userId: row.user_id }
  })
}

/** Checks a token without using it (the reset form's GET). */
export async function peekToken(
  db: Kysely<DB>,
  now: string,
  token: string,
  purpose: string,
): Promise<TokenState> {
  if (!token || token.length > 100) return 'invalid'
  const row = await db
    .selectFrom('one_time_tokens')
    .selectAll()
    .where('id', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .executeTakeFirst()
  if (!row) return 'invalid'
  if (row.used_at) return 'used'
  if (row.expires_at <= now) return 'expired'
  return 'ok'
}
