import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { read } from '../db/database.js'

type Db = Kysely<DB> | Transaction<DB>

/**
 * Redaction of an admin page by the information governance lead (issue 15). The page gets a
 * new version whose title and content are the notice, and every earlier revision is replaced by
 * the notice too, so the rendered HTML (cached by version) is never the old one.
 */

export async function pageTexts(db: Db, slug: string): Promise<{ title: string; revisions: number } | null> {
  const page = await db.selectFrom('pages').select('title').where('slug', '=', slug).executeTakeFirst()
  if (!page) return null
  const revisions = await db.selectFrom('page_revisions').select('id').where('slug', '=', slug).execute()
  return { title: page.title, revisions: revisions.length }
}

export async function redactPage(
  trx: Transaction<DB>,
  slug: string,
  notice: string,
  at: string,
  userId: string,
): Promise<void> {
  const page = await trx
    .selectFrom('pages')
    .select('version')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow()
  const version = read.num(page.version) + 1
  await trx
    .updateTable('pages')
    .set({ title: notice, summary: '', body_md: notice, version, updated_at: at, updated_by: userId })
    .where('slug', '=', slug)
    .execute()
  await trx
    .updateTable('page_revisions')
    .set({ title: notice, summary: '', body_md: notice })
    .where('slug', '=', slug)
    .execute()
  await trx
    .insertInto('page_revisions')
    .values({ slug, version, title: notice, summary: '', body_md: notice, created_at: at, author_id: userId })
    .execute()
}
