import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { read } from '../db/database.js'
import { containsLike } from '../db/sql.js'
import type { CurrentUser } from '../core/identity.js'
import { visibleProjects } from '../projects/access.js'

type Db = Kysely<DB> | Transaction<DB>

export interface ApiToken {
  id: string
  userId: string
  name: string
  prefix: string
  canWrite: boolean
  createdAt: string
  expiresAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

type TokenRow = {
  id: string
  user_id: string
  name: string
  prefix: string
  can_write: boolean | number
  created_at: string
  expires_at: string
  last_used_at: string | null
  revoked_at: string | null
}

function toToken(r: TokenRow): ApiToken {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    prefix: r.prefix,
    canWrite: read.bool(r.can_write),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }
}

const tokenColumns = [
  'id',
  'user_id',
  'name',
  'prefix',
  'can_write',
  'created_at',
  'expires_at',
  'last_used_at',
  'revoked_at',
] as const

export async function insertToken(db: Db, t: ApiToken & { hash: string }): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: t.id,
      user_id: t.userId,
      name: t.name,
      token_hash: t.hash,
      prefix: t.prefix,
      can_write: t.canWrite,
      created_at: t.createdAt,
      expires_at: t.expiresAt,
    })
    .execute()
}

export async function listTokens(db: Db, userId: string): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(tokenColumns)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute()
  return rows.map(toToken)
}

export async function findTokenByHash(db: Db, hash: string): Promise<ApiToken | null> {
  const row = await db
    .selectFrom('api_tokens')
    .select(tokenColumns)
    .where('token_hash', '=', hash)
    .executeTakeFirst()
  return row ? toToken(row) : null
}

export async function revokeToken(db: Db, userId: string, id: string, now: string): Promise<ApiToken | null> {
  const row = await db
    .selectFrom('api_tokens')
    .select(tokenColumns)
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  if (!row) return null
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute()
  return toToken(row)
}

export async function touchToken(db: Db, id: string, now: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute()
}

export interface ApiProjectSummary {
  id: string
  title: string
  status: string
  visibility: string
  updatedAt: string
  lastActivityAt: string
}

/** Projects this user may see (the same rule as every page: `visibleProjects`), newest activity first. */
export async function listVisibleProjects(
  db: Db,
  user: CurrentUser | null,
  query: { q?: string; status?: string; page: number; pageSize: number },
): Promise<{ items: ApiProjectSummary[]; total: number }> {
  let base = db.selectFrom('projects').where(visibleProjects(user))
  if (query.status) base = base.where('projects.status', '=', query.status)
  if (query.q) base = base.where(containsLike(sql.ref('projects.search_text'), query.q))
  const [rows, count] = await Promise.all([
    base
      .select([
        'projects.id',
        'projects.title',
        'projects.status',
        'projects.visibility',
        'projects.updated_at',
        'projects.last_activity_at',
      ])
      .orderBy('projects.last_activity_at', 'desc')
      .orderBy('projects.id')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
  ])
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      visibility: r.visibility,
      updatedAt: r.updated_at,
      lastActivityAt: r.last_activity_at,
    })),
    total: read.num(count?.n),
  }
}

export async function findProjectDetail(db: Db, id: string) {
  const row = await db
    .selectFrom('projects')
    .select([
      'id',
      'title',
      'problem',
      'status',
      'visibility',
      'programme_id',
      'qsir_stage',
      'progress_score',
      'created_at',
      'updated_at',
      'last_activity_at',
      'is_demo',
    ])
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) return null
  const orgs = await db
    .selectFrom('project_organisations')
    .innerJoin('organisations', 'organisations.id', 'project_organisations.organisation_id')
    .select(['organisations.id', 'organisations.name'])
    .where('project_organisations.project_id', '=', id)
    .orderBy('organisations.name')
    .execute()
  return {
    id: row.id,
    title: row.title,
    problem: row.problem,
    status: row.status,
    visibility: row.visibility,
    programmeId: row.programme_id,
    qsirStage: row.qsir_stage,
    progressScore: read.numOrNull(row.progress_score),
    isDemo: read.bool(row.is_demo),
    organisations: orgs.map((o) => ({ id: o.id, name: o.name })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastActivityAt: row.last_activity_at,
  }
}
