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
  const none = (table: 'project_organisations' | 'project_priorities' | 'project_aim_codes') =>
    sql<number>`sum(case when not exists (select 1 from ${sql.table(table)} as x where x.project_id = projects.id) then 1 else 0 end)`
  const partner = sql<boolean>`exists (select 1 from project_members as pm inner join users as u on u.id = pm.user_id where pm.project_id = projects.id and u.is_partner = ${sql.lit(true)})`
  // The project's own columns in one pass, grouped by all four at once (a few hundred groups at
  // most) and added up here per column: seven scans of the visible projects were 36 ms of 10,000.
  const own = base()
    .select([
      'projects.status as status',
      'projects.programme_id as programme',
      'projects.qsir_stage as stage',
      'projects.progress_score as score',
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(case when ${partner} then 1 else 0 end)`.as('partners'),
      none('project_organisations').as('no_organisation'),
      none('project_priorities').as('no_priority'),
      none('project_aim_codes').as('no_aim'),
    ])
    .groupBy(['projects.status', 'projects.programme_id', 'projects.qsir_stage', 'projects.progress_score'])
    .execute()
  // The linked values (a project may have several), each over the same visible projects.
  const linked = (table: 'project_organisations' | 'project_priorities' | 'project_aim_codes') => {
    const column =
      table === 'project_organisations'
        ? 'organisation_id'
        : table === 'project_priorities'
          ? 'priority_id'
          : 'aim_code'
    return sql<{ value: string; n: unknown }>`select ${sql.ref(`l.${column}`)} as value, count(*) as n
      from ${sql.table(table)} as l where l.project_id in (${ids()}) group by ${sql.ref(`l.${column}`)}`
      .execute(db)
      .then((r) => r.rows.map((row) => ({ value: row.value, n: n(row) })))
  }
  const [groups, organisation, priority, aim] = await Promise.all([
    own,
    linked('project_organisations'),
    linked('project_priorities'),
    linked('project_aim_codes'),
  ])
  const sums = { total: 0, withPartners: 0, organisation: 0, priority: 0, aim: 0 }
  const tally = () => new Map<string, number>()
  const status = tally()
  const programme = tally()
  const stage = tally()
  const score = tally()
  const add = (m: Map<string, number>, key: string, k: number) => m.set(key, (m.get(key) ?? 0) + k)
  for (const g of groups) {
    const k = read.num(g.n)
    sums.total += k
    sums.withPartners += read.num(g.partners)
    sums.organisation += read.num(g.no_organisation)
    sums.priority += read.num(g.no_priority)
    sums.aim += read.num(g.no_aim)
    add(status, g.status ?? NO_VALUE, k)
    add(programme, g.programme ?? NO_VALUE, k)
    add(stage, g.stage ?? NO_VALUE, k)
    add(score, g.score === null ? NO_VALUE : Number(g.score).toFixed(1), k)
  }
  // In the order of their values, "none" last (the page orders them by its lists; a CSV as here).
  const rows = (m: Map<string, number>) =>
    [...m]
      .map(([value, k]) => ({ value, n: k }))
      .sort(
        (a, b) => Number(a.value === NO_VALUE) - Number(b.value === NO_VALUE) || (a.value < b.value ? -1 : 1),
      )
  const withNone = (list: PortfolioCount[], k: number) => (k ? [...list, { value: NO_VALUE, n: k }] : list)
  return {
    total: sums.total,
    withPartners: sums.withPartners,
    status: rows(status),
    programme: rows(programme),
    stage: rows(stage),
    score: rows(score),
    organisation: withNone(organisation, sums.organisation),
    priority: withNone(priority, sums.priority),
    aim: withNone(aim, sums.aim),
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
