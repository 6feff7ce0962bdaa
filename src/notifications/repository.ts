import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { newId } from '../core/ids.js'

/** The notification tables: preferences and held digest items (unsubscribe tokens: mail/unsubscribe.ts). */
type Db = Kysely<DB> | Transaction<DB>

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString())

export async function listPreferences(db: Db, userId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('notification_preferences')
    .select(['kind', 'frequency'])
    .where('user_id', '=', userId)
    .execute()
  return new Map(rows.map((r) => [r.kind, r.frequency]))
}

export async function frequencyOf(db: Db, userId: string, kind: string): Promise<string | null> {
  const r = await db
    .selectFrom('notification_preferences')
    .select('frequency')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .executeTakeFirst()
  return r?.frequency ?? null
}

export async function setPreference(db: Db, userId: string, kind: string, frequency: string, now: string) {
  await db
    .insertInto('notification_preferences')
    .values({ user_id: userId, kind, frequency, updated_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ frequency, updated_at: now }))
    .execute()
}

/** Every kind this person gets at `frequency` set to never (a digest's one-click unsubscribe); the kinds changed. */
export async function stopFrequency(
  db: Db,
  userId: string,
  frequency: string,
  now: string,
): Promise<string[]> {
  const rows = await db
    .updateTable('notification_preferences')
    .set({ frequency: 'never', updated_at: now })
    .where('user_id', '=', userId)
    .where('frequency', '=', frequency)
    .returning('kind')
    .execute()
  return rows.map((r) => r.kind)
}

export async function insertDigestItem(
  db: Db,
  item: { userId: string; kind: string; frequency: string; subject: string; text: string; now: string },
) {
  await db
    .insertInto('notification_digest_items')
    .values({
      id: newId(),
      user_id: item.userId,
      kind: item.kind,
      frequency: item.frequency,
      subject: item.subject,
      text_body: item.text,
      created_at: item.now,
      digest_key: null,
    })
    .execute()
}

export interface DigestItem {
  userId: string
  kind: string
  subject: string
  text: string
  createdAt: string
}

/**
 * Takes the held items of `frequency` written before `before` for the digest `key`, in the
 * caller's transaction: an item another digest took is not taken again (UPDATE … WHERE
 * digest_key IS NULL), so no message is sent twice, whichever instance runs the job.
 */
export async function claimDigestItems(
  db: Db,
  frequency: string,
  before: string,
  key: string,
): Promise<DigestItem[]> {
  const rows = await db
    .updateTable('notification_digest_items')
    .set({ digest_key: key })
    .where('frequency', '=', frequency)
    .where('digest_key', 'is', null)
    .where('created_at', '<', before)
    .returning(['user_id', 'kind', 'subject', 'text_body', 'created_at'])
    .execute()
  return rows
    .map((r) => ({
      userId: r.user_id,
      kind: r.kind,
      subject: r.subject,
      text: r.text_body,
      createdAt: iso(r.created_at) ?? '',
    }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
}
