import type { Kysely, Transaction } from 'kysely'
import { read } from '../../db/database.js'
import type { DB } from '../../db/schema.js'

type Db = Kysely<DB> | Transaction<DB>

/** Each recipient's stored choice of the weekly digest (no row: the role's default). */
export async function digestPrefs(db: Db, userIds: readonly string[]): Promise<Map<string, boolean>> {
  if (!userIds.length) return new Map()
  const rows = await db
    .selectFrom('governance_digest_prefs')
    .select(['user_id', 'weekly'])
    .where('user_id', 'in', [...userIds])
    .execute()
  return new Map(rows.map((r) => [r.user_id, read.bool(r.weekly)]))
}

export async function saveDigestPref(db: Db, userId: string, weekly: boolean, now: string): Promise<void> {
  await db
    .insertInto('governance_digest_prefs')
    .values({ user_id: userId, weekly, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ weekly, updated_at: now }))
    .execute()
}

/**
 * Records that this recipient's digest for the week is being sent; false when it already was
 * (the primary key decides, so two workers or two runs of the job send it once).
 */
export async function claimDigest(db: Db, userId: string, week: string, now: string): Promise<boolean> {
  const r = await db
    .insertInto('governance_digests_sent')
    .values({ user_id: userId, week, sent_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'week']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1
}
