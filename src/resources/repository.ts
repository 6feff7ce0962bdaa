import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import { read } from '../db/database.js'
import { containsLike } from '../db/sql.js'
import { libraryResourceRevisionRow, libraryResourceRow } from '../db/rows.js'
import type { DB } from '../db/schema.js'
import type { LibraryResourcesTable } from '../db/tables/resources.js'

export type Db = Kysely<DB> | Transaction<DB>

export interface Resource {
  id: string
  slug: string
  kind: string
  title: string
  summary: string
  markdown: string
  url: string | null
  publisher: string
  checkedOn: string | null
  appHref: string | null
  appText: string
  stage: string | null
  audience: string
  tags: string[]
  version: number
  updatedAt: string
}

export interface ResourceFilters {
  q?: string
  tag?: string
  audience?: string
  stage?: string
  kind?: string
}

/** The columns a resource is written with (create and edit). */
export interface ResourceValues {
  kind: string
  title: string
  summary: string
  body_md: string
  url: string | null
  publisher: string
  checked_on: string | null
  app_href: string | null
  app_text: string
  qsir_stage: string | null
  audience: string
  tags: string
}

export const tagsColumn = (tags: string[]) => (tags.length ? `,${tags.join(',')},` : '')

function toResource(r: Selectable<LibraryResourcesTable>): Resource {
  return {
    id: r.id,
    slug: r.slug,
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    markdown: r.body_md,
    url: r.url,
    publisher: r.publisher,
    checkedOn: r.checked_on,
    appHref: r.app_href,
    appText: r.app_text,
    stage: r.qsir_stage,
    audience: r.audience,
    tags: r.tags.split(',').filter(Boolean),
    version: read.num(r.version),
    updatedAt: r.updated_at,
  }
}

export async function listResources(db: Db, f: ResourceFilters): Promise<Resource[]> {
  let q = db.selectFrom('library_resources').selectAll()
  if (f.kind) q = q.where('kind', '=', f.kind)
  if (f.stage) q = q.where('qsir_stage', '=', f.stage)
  // "Everyone" resources suit every audience; a chosen audience adds its own.
  if (f.audience) q = q.where('audience', 'in', [...new Set(['everyone', f.audience])])
  if (f.tag) q = q.where(containsLike(sql.ref('tags'), `,${f.tag.toLowerCase()},`))
  for (const term of (f.q ?? '').split(/\s+/).filter(Boolean).slice(0, 6))
    q = q.where((eb) => eb.or([containsLike(sql.ref('title'), term), containsLike(sql.ref('summary'), term)]))
  const rows = await q.orderBy('kind').orderBy('sort').orderBy('title').execute()
  return rows.map(toResource)
}

export async function allTags(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('library_resources').select('tags').execute()
  return [...new Set(rows.flatMap((r) => r.tags.split(',').filter(Boolean)))].sort()
}

export async function findBySlug(db: Db, slug: string): Promise<Resource | null> {
  const row = await db.selectFrom('library_resources').selectAll().where('slug', '=', slug).executeTakeFirst()
  return row ? toResource(row) : null
}

export async function guidesForStage(db: Db, stage: string, limit: number) {
  const rows = await db
    .selectFrom('library_resources')
    .select(['slug', 'title', 'summary', 'app_href', 'app_text'])
    .where('kind', '=', 'guide')
    .where('qsir_stage', '=', stage)
    .orderBy('sort')
    .orderBy('title')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    href: `/resources/${r.slug}`,
    appHref: r.app_href,
    appText: r.app_text,
  }))
}

export async function slugTaken(db: Db, slug: string): Promise<boolean> {
  return Boolean(
    await db.selectFrom('library_resources').select('id').where('slug', '=', slug).executeTakeFirst(),
  )
}

export async function insertResource(
  db: Db,
  r: ResourceValues & { id: string; slug: string; sort?: number; at: string; by: string | null },
) {
  const { id, slug, sort, at, by, ...values } = r
  await db
    .insertInto('library_resources')
    .values(
      libraryResourceRow({
        id,
        slug,
        sort: sort ?? 0,
        created_at: at,
        updated_at: at,
        updated_by: by,
        version: 1,
        ...values,
      }),
    )
    .execute()
  await insertRevision(db, { resourceId: id, version: 1, values, at, by })
}

/** Saves the next version when the row is still at `version`; false when someone got there first. */
export async function updateResource(
  db: Db,
  id: string,
  version: number,
  values: ResourceValues & { at: string; by: string },
): Promise<boolean> {
  const { at, by, ...columns } = values
  const result = await db
    .updateTable('library_resources')
    .set({ ...columns, version: version + 1, updated_at: at, updated_by: by })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) return false
  await insertRevision(db, { resourceId: id, version: version + 1, values: columns, at, by })
  return true
}

async function insertRevision(
  db: Db,
  r: { resourceId: string; version: number; values: ResourceValues; at: string; by: string | null },
) {
  await db
    .insertInto('library_resource_revisions')
    .values(
      libraryResourceRevisionRow({
        resource_id: r.resourceId,
        version: r.version,
        title: r.values.title,
        summary: r.values.summary,
        body_md: r.values.body_md,
        url: r.values.url,
        created_at: r.at,
        author_id: r.by,
      }),
    )
    .execute()
}

export async function listRevisions(db: Db, resourceId: string) {
  const rows = await db
    .selectFrom('library_resource_revisions as r')
    .leftJoin('users', 'users.id', 'r.author_id')
    .select(['r.version', 'r.title', 'r.created_at', 'users.name as author'])
    .where('r.resource_id', '=', resourceId)
    .orderBy('r.version', 'desc')
    .execute()
  return rows.map((r) => ({
    version: read.num(r.version),
    title: r.title,
    createdAt: r.created_at,
    author: r.author ?? 'First edition',
  }))
}

export async function findRevision(db: Db, resourceId: string, version: number) {
  const r = await db
    .selectFrom('library_resource_revisions')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .where('version', '=', version)
    .executeTakeFirst()
  return r
    ? {
        version: read.num(r.version),
        title: r.title,
        summary: r.summary,
        markdown: r.body_md,
        url: r.url,
        createdAt: r.created_at,
      }
    : null
}
