import { sql, type Kysely, type Transaction } from 'kysely'
import type { CurrentUser } from '../core/identity.js'
import type { DB } from '../db/schema.js'
import { visibleProjects } from './access.js'

type Db = Kysely<DB> | Transaction<DB>

/** What "similar projects" compares: the words of the title, problem and aim, aim codes and programme. */
export interface SimilarCandidate {
  id: string
  title: string
  status: string
  /** Title, problem and current aim, lower-cased (projects.search_text). */
  text: string
  programmeId: string | null
  aimCodes: string[]
}

/**
 * Projects this user may see that share a word, an aim code or the programme with the one
 * described, most recently active first: the candidates the caller ranks. Words are matched
 * as substrings of the stored lower-case text (the list's own search), escaped.
 */
export async function similarCandidates(
  db: Db,
  user: CurrentUser | null,
  f: { words: string[]; aimCodes: string[]; programmeId: string | null; excludeId?: string },
  limit: number,
): Promise<SimilarCandidate[]> {
  const likes = f.words.map(
    (w) =>
      sql<boolean>`projects.search_text like ${`%${w.replace(/[\\%_]/g, (c) => '\\' + c)}%`} escape '\\'`,
  )
  const any = [...likes]
  if (f.aimCodes.length)
    any.push(
      sql<boolean>`exists (select 1 from project_aim_codes as l where l.project_id = projects.id and l.aim_code in (${sql.join(f.aimCodes)}))`,
    )
  if (f.programmeId) any.push(sql<boolean>`projects.programme_id = ${f.programmeId}`)
  if (any.length === 0) return []
  let q = db
    .selectFrom('projects')
    .select([
      'projects.id',
      'projects.title',
      'projects.status',
      'projects.search_text',
      'projects.programme_id',
    ])
    .where(visibleProjects(user))
    .where(sql<boolean>`(${sql.join(any, sql` or `)})`)
    .orderBy('projects.last_activity_at', 'desc')
    .limit(limit)
  if (f.excludeId) q = q.where('projects.id', '<>', f.excludeId)
  const rows = await q.execute()
  if (rows.length === 0) return []
  const codes = await db
    .selectFrom('project_aim_codes')
    .select(['project_id', 'aim_code'])
    .where(
      'project_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute()
  const byProject = new Map<string, string[]>()
  for (const c of codes) byProject.set(c.project_id, [...(byProject.get(c.project_id) ?? []), c.aim_code])
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    text: r.search_text,
    programmeId: r.programme_id,
    aimCodes: byProject.get(r.id) ?? [],
  }))
}

/** The facts of one project that "similar projects" starts from (the caller has checked it may be seen). */
export async function similarProfile(
  db: Db,
  id: string,
): Promise<{ text: string; programmeId: string | null; aimCodes: string[] } | null> {
  const row = await db
    .selectFrom('projects')
    .select(['search_text', 'programme_id'])
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) return null
  const codes = await db
    .selectFrom('project_aim_codes')
    .select('aim_code')
    .where('project_id', '=', id)
    .execute()
  return { text: row.search_text, programmeId: row.programme_id, aimCodes: codes.map((c) => c.aim_code) }
}
