import { sql } from 'kysely'
import type { CurrentUser } from '../core/identity.js'
import { read } from '../db/database.js'
import { anyOf, idChunks } from '../db/sql.js'
import { visibleProjects } from './access.js'
import type { Db } from './repository.js'
import { applyProjectFilters, NO_VALUE, type ProjectFacetFilters } from './search-repository.js'

/**
 * The Steering Group's portfolio (governance/), counted here in SQL over the projects this
 * person may see, narrowed by the same filters as the project list: projects by status,
 * organisation, programme, system priority, aim code, QSIR stage and progress score, how many
 * have an improvement partner on the team, and the open projects that may have stalled.
 */

/** One figure of a breakdown: the value (an id, a code, a status; NO_VALUE for "none") and how many projects. */
export interface PortfolioCount {
  value: string
  n: number
}

export interface PortfolioCounts {
  total: number
  withPartners: number
  status: PortfolioCount[]
  organisation: PortfolioCount[]
  programme: PortfolioCount[]
  priority: PortfolioCount[]
  aim: PortfolioCount[]
  stage: PortfolioCount[]
  score: PortfolioCount[]
}

const n = (r: { n: unknown }) => read.num(r.n)

export async function portfolioCounts(
  db: Db,
  user: CurrentUser,
  f: ProjectFacetFilters,
): Promise<PortfolioCounts> {
  const base = () => applyProjectFilters(db.selectFrom('projects').where(visibleProjects(user)), f)
  const ids = () => base().select('projects.id')
  const count = sql<number>`count(*)`.as('n')
  const by = (column: 'status' | 'programme_id' | 'qsir_stage') =>
    base()
      .select([sql.ref<string | null>(`projects.${column}`).as('value'), count])
      .groupBy(`projects.${column}`)
      .execute()
  const linked = (table: 'project_organisations' | 'project_priorities' | 'project_aim_codes') => {
    const column =
      table === 'project_organisations'
        ? 'organisation_id'
        : table === 'project_priorities'
          ? 'priority_id'
          : 'aim_code'
    return Promise.all([
      sql<{ value: string; n: unknown }>`select ${sql.ref(`l.${column}`)} as value, count(*) as n
        from ${sql.table(table)} as l where l.project_id in (${ids()}) group by ${sql.ref(`l.${column}`)}`
        .execute(db)
        .then((r) => r.rows),
      base()
        .select(count)
        .where(
          sql<boolean>`not exists (select 1 from ${sql.table(table)} as x where x.project_id = projects.id)`,
        )
        .executeTakeFirst(),
    ]).then(([rows, none]) => [
      ...rows.map((r) => ({ value: r.value, n: n(r) })),
      ...(n(none ?? { n: 0 }) ? [{ value: NO_VALUE, n: n(none!) }] : []),
    ])
  }
  const partner = sql<boolean>`exists (select 1 from project_members as pm inner join users as u on u.id = pm.user_id where pm.project_id = projects.id and u.is_partner = ${sql.lit(true)})`
  const [totals, status, programme, stage, scores, organisation, priority, aim] = await Promise.all([
    base()
      .select([count, sql<number>`sum(case when ${partner} then 1 else 0 end)`.as('partners')])
      .executeTakeFirst(),
    by('status'),
    by('programme_id'),
    by('qsir_stage'),
    base().select(['projects.progress_score as score', count]).groupBy('projects.progress_score').execute(),
    linked('project_organisations'),
    linked('project_priorities'),
    linked('project_aim_codes'),
  ])
  const values = (rows: { value: string | null; n: unknown }[]) =>
    rows.map((r) => ({ value: r.value ?? NO_VALUE, n: n(r) }))
  return {
    total: read.num(totals?.n ?? 0),
    withPartners: read.num(totals?.partners ?? 0),
    status: values(status),
    programme: values(programme),
    stage: values(stage),
    score: scores.map((r) => ({
      value: r.score === null ? NO_VALUE : Number(r.score).toFixed(1),
      n: n(r),
    })),
    organisation,
    priority,
    aim,
  }
}

/** Statuses in which a project is worked on, so long silence means it may have stalled. */
export const STALL_STATUSES = ['active', 'sustaining'] as const

export interface StallCandidate {
  id: string
  title: string
  status: string
  /** When its current stage began (the latest status change, else registration, else creation). */
  since: string
}

/** The open projects (STALL_STATUSES) among the filtered ones whose current stage began before `before`. */
export async function stallCandidates(
  db: Db,
  user: CurrentUser,
  f: ProjectFacetFilters,
  before: string,
): Promise<StallCandidate[]> {
  const since = sql<string>`coalesce(projects.status_changed_at, projects.approved_at, projects.created_at)`
  const rows = await applyProjectFilters(db.selectFrom('projects').where(visibleProjects(user)), f)
    .where('projects.status', 'in', [...STALL_STATUSES])
    .where(since, '<', before)
    .select(['projects.id', 'projects.title', 'projects.status', since.as('since')])
    .orderBy('projects.title')
    .orderBy('projects.id')
    .execute()
  return rows.map((r) => ({ id: r.id, title: r.title, status: r.status, since: String(r.since) }))
}

/** Every filtered project this person may see, with its status (for the figures other features count). */
export async function portfolioIds(
  db: Db,
  user: CurrentUser,
  f: ProjectFacetFilters,
): Promise<{ id: string; status: string }[]> {
  return applyProjectFilters(db.selectFrom('projects').where(visibleProjects(user)), f)
    .select(['projects.id', 'projects.status'])
    .execute()
}

/** Titles of these projects (for lists another feature made), whoever may see them. */
export async function projectTitles(db: Db, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const chunk of idChunks(db, ids)) {
    const rows = await db
      .selectFrom('projects')
      .select(['id', 'title'])
      .where(anyOf(db, 'id', chunk))
      .execute()
    for (const r of rows) out.set(r.id, r.title)
  }
  return out
}
