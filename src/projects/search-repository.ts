import { sql, type Selectable, type SelectQueryBuilder } from 'kysely'
import type { CurrentUser } from '../core/identity.js'
import { read } from '../db/database.js'
import { isPostgres } from '../db/dialect.js'
import type { DB } from '../db/schema.js'
import type { ProjectsTable } from '../db/tables/projects.js'
import { visibleProjects } from './access.js'
import type { Db, ProjectSummary } from './repository.js'

/**
 * The project list: the search over the projects a person may see (text, filters, the SQLite
 * trigram index, counts up to a cap), the filters' options, and visibility checks on lists of ids.
 */

/**
 * Every list the project filters offer, in one round trip: organisations, programmes and system
 * priorities by name, aim codes in their order.
 */
export async function filterOptionLists(db: Db) {
  const named = (table: 'organisations' | 'programmes' | 'system_priorities', kind: string) =>
    db
      .selectFrom(table)
      .select([
        sql<string>`${sql.lit(kind)}`.as('kind'),
        'id',
        'name',
        sql<string>`''`.as('grp'),
        sql<number>`0`.as('sort'),
      ])
  const rows = await named('organisations', 'o')
    .unionAll(named('programmes', 'p'))
    .unionAll(named('system_priorities', 's'))
    .unionAll(
      db
        .selectFrom('aims')
        .select([sql<string>`'a'`.as('kind'), 'code as id', 'text as name', 'group_code as grp', 'sort']),
    )
    .orderBy('kind')
    .orderBy('sort')
    .orderBy('name')
    .execute()
  const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => ({ id: r.id, name: r.name }))
  return {
    organisations: of('o'),
    programmes: of('p'),
    priorities: of('s'),
    aims: rows.filter((r) => r.kind === 'a').map((r) => ({ code: r.id, group: r.grp, text: r.name })),
  }
}

/** Lists count their matches up to this many (see searchProjects). */
export const COUNT_CAP = 200
/** A text search with this many matches in the trigram index walks the projects instead (SQLite). */
const TRIGRAM_PROBE = 500

export interface ProjectFilters {
  q?: string
  status?: string
  /** Any of these statuses (the archive's finished projects). */
  statuses?: readonly string[]
  organisationId?: string
  programmeId?: string
  aimCode?: string
  priorityId?: string
  /** A QSIR stage key (QSIR_STAGES). */
  qsirStage?: string
  /** A progress score ('3.0'), or NO_VALUE for projects without one. */
  progressScore?: string
  /** Only projects this user is on the team of. */
  memberId?: string
  page: number
  pageSize: number
}

/** A filter value meaning "has none" (no programme, no priority, no score…), for the portfolio's counts. */
export const NO_VALUE = 'none'

/** The filters that are not text: what the list and the portfolio's counts share. */
export type ProjectFacetFilters = Omit<ProjectFilters, 'q' | 'page' | 'pageSize'>

/**
 * Narrows a query over `projects` to the filters. Filters on what a project is linked to are one
 * EXISTS each (a primary-key lookup per row); NO_VALUE asks for projects with no such link.
 */
export function applyProjectFilters<Q extends SelectQueryBuilder<DB, 'projects', object>>(
  base: Q,
  f: ProjectFacetFilters,
): Q {
  let q = base as SelectQueryBuilder<DB, 'projects', object>
  if (f.status) q = q.where('projects.status', '=', f.status)
  if (f.statuses?.length) q = q.where('projects.status', 'in', [...f.statuses])
  if (f.programmeId)
    q =
      f.programmeId === NO_VALUE
        ? q.where('projects.programme_id', 'is', null)
        : q.where('projects.programme_id', '=', f.programmeId)
  if (f.qsirStage) q = q.where('projects.qsir_stage', '=', f.qsirStage)
  if (f.progressScore)
    q =
      f.progressScore === NO_VALUE
        ? q.where('projects.progress_score', 'is', null)
        : q.where('projects.progress_score', '=', Number(f.progressScore))
  const links = [
    ['project_organisations', 'organisation_id', f.organisationId],
    ['project_aim_codes', 'aim_code', f.aimCode],
    ['project_priorities', 'priority_id', f.priorityId],
    ['project_members', 'user_id', f.memberId],
  ] as const
  for (const [table, column, value] of links) {
    if (!value) continue
    q =
      value === NO_VALUE && column !== 'user_id'
        ? q.where(
            sql<boolean>`not exists (select 1 from ${sql.table(table)} as l where l.project_id = projects.id)`,
          )
        : q.where(
            sql<boolean>`exists (select 1 from ${sql.table(table)} as l where l.project_id = projects.id and ${sql.ref(`l.${column}`)} = ${value})`,
          )
  }
  return q as Q
}

/** The projects this user may see (visibleProjects), filtered and paginated, most recently active first. */
export async function searchProjects(
  db: Db,
  user: CurrentUser | null,
  f: ProjectFilters,
): Promise<{ items: ProjectSummary[]; total: number; totalIsExact: boolean }> {
  let base = db.selectFrom('projects').where(visibleProjects(user))
  const terms = (f.q ?? '').split(/\s+/).filter(Boolean).slice(0, 6)
  // On SQLite a word of three or more plain characters is looked up in the trigram index
  // (migration 2026-11-26T1310); the index answers LIKE exactly as the table would.
  const indexed = isPostgres(db) ? [] : terms.filter((t) => t.length >= 3 && !/[\\%_]/.test(t))
  // Few matches come from the index; many (a common word, "ward") are cheaper found walking the
  // projects newest first, which stops at the page and the count's cap, than listing them all.
  let walk = false
  if (indexed.length) {
    const likes = indexed.map((t) => sql`search_text like ${`%${t.toLowerCase()}%`}`)
    const probe = await sql<{ n: unknown }>`select count(*) as n from (select 1 from projects_search
      where ${sql.join(likes, sql` and `)} limit ${TRIGRAM_PROBE})`.execute(db)
    walk = read.num(probe.rows[0]?.n) >= TRIGRAM_PROBE
    if (!walk)
      base = base.where(
        sql<boolean>`projects.id in (select project_id from projects_search where ${sql.join(likes, sql` and `)})`,
      )
  }
  for (const term of terms.filter((t) => walk || !indexed.includes(t))) {
    // search_text is stored lower-cased: compare it as it is (lower() on every row costs).
    const pattern = `%${term.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`
    base = base.where(sql<boolean>`projects.search_text like ${pattern} escape '\\'`)
  }
  if (walk) {
    // `+status`: not by the status index, so SQLite walks the activity index in the list's order.
    const statuses = [...(f.status ? [f.status] : []), ...(f.statuses ?? [])]
    if (statuses.length) base = base.where(sql<boolean>`+projects.status in (${sql.join(statuses)})`)
    base = applyProjectFilters(base, { ...f, status: undefined, statuses: undefined })
  } else base = applyProjectFilters(base, f)
  const offset = (f.page - 1) * f.pageSize
  // Counting every visible match costs as much as the page itself on a large portfolio: count
  // up to a cap (always past this page, so "next" still shows) and say "more than".
  const countLimit = Math.max(COUNT_CAP, f.page * f.pageSize + 1) + 1
  const columns = [
    'projects.id',
    'projects.title',
    'projects.status',
    'projects.visibility',
    'projects.public_approved_at',
    'projects.progress_score',
    'projects.last_activity_at',
    'projects.is_demo',
  ] as const
  let rows: Pick<
    Selectable<ProjectsTable>,
    (typeof columns)[number] extends `projects.${infer C}` ? C : never
  >[]
  let counted: number
  if (terms.length) {
    // A text search reads every visible row whatever the plan: one pass collects the matches'
    // ids in order up to the cap, and both the page and the count come from it.
    const ids = await base
      .select('projects.id')
      .orderBy('projects.last_activity_at', 'desc')
      .orderBy('projects.id')
      .limit(countLimit)
      .execute()
    counted = ids.length
    const pageIds = ids.slice(offset, offset + f.pageSize).map((r) => r.id)
    const found = pageIds.length
      ? await db.selectFrom('projects').select(columns).where('projects.id', 'in', pageIds).execute()
      : []
    const byId = new Map(found.map((r) => [r.id, r]))
    rows = pageIds.flatMap((id) => byId.get(id) ?? [])
  } else {
    const fetched = await base
      .select(columns)
      .orderBy('projects.last_activity_at', 'desc')
      .orderBy('projects.id')
      .limit(f.pageSize + 1)
      .offset(offset)
      .execute()
    rows = fetched.slice(0, f.pageSize)
    // When this page is the last one the total is known; otherwise count up to the cap.
    if (fetched.length <= f.pageSize && (fetched.length > 0 || f.page === 1)) {
      counted = offset + fetched.length
    } else {
      const count = await db
        .selectFrom(
          base
            .select(sql`1`.as('one'))
            .limit(countLimit)
            .as('capped'),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      counted = read.num(count.n)
    }
  }
  const orgs = new Map<string, string[]>()
  if (rows.length) {
    const orgRows = await db
      .selectFrom('project_organisations as po')
      .innerJoin('organisations as o', 'o.id', 'po.organisation_id')
      .select(['po.project_id', 'o.name'])
      .where(
        'po.project_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('o.name')
      .execute()
    for (const r of orgRows) orgs.set(r.project_id, [...(orgs.get(r.project_id) ?? []), r.name])
  }
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      visibility: r.visibility,
      publicApproved: r.public_approved_at !== null,
      progressScore: r.progress_score === null ? null : Number(r.progress_score),
      lastActivityAt: r.last_activity_at,
      isDemo: read.bool(r.is_demo),
      organisations: orgs.get(r.id) ?? [],
    })),
    total: Math.min(counted, countLimit - 1),
    totalIsExact: counted < countLimit,
  }
}

/** Every visible project's id, as a query another query may use as a subquery (`id in (...)`). */
export function visibleIdsQuery(db: Db, user: CurrentUser | null) {
  return db.selectFrom('projects').select('projects.id').where(visibleProjects(user))
}

/**
 * The projects this user is on the team of (and may see), most recently active first, at most
 * `limit`: their id, title and last activity only ("my work" asks each feature about them).
 */
export async function listMemberProjects(
  db: Db,
  user: CurrentUser,
  limit: number,
): Promise<{ id: string; title: string; lastActivityAt: string }[]> {
  const rows = await db
    .selectFrom('projects')
    .select(['projects.id', 'projects.title', 'projects.last_activity_at'])
    .where(visibleProjects(user))
    // From the person's memberships (their index), not every project checked for one.
    .where(
      'projects.id',
      'in',
      db.selectFrom('project_members').select('project_id').where('user_id', '=', user.id),
    )
    .orderBy('projects.last_activity_at', 'desc')
    .orderBy('projects.id')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ id: r.id, title: r.title, lastActivityAt: r.last_activity_at }))
}

/** Ids of every project this user may see among `ids` (for the rights matrix and other lists). */
export async function visibleIds(db: Db, user: CurrentUser | null, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('projects')
    .select('id')
    .where('id', 'in', ids)
    .where(visibleProjects(user))
    .execute()
  return rows.map((r) => r.id)
}
