import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'

type Db = Kysely<DB> | Transaction<DB>

export interface ActivityEntry {
  projectId: string
  /** The user who did it (null for the system). */
  actorId: string | null
  /** A short machine-readable kind, e.g. 'project.submitted', 'measure.created', 'pdsa.acted'. */
  kind: string
  /** One plain-English sentence for the timeline, e.g. 'Added the measure "Discharges before noon"'. */
  summary: string
  /** ISO timestamp (clock().toISOString()). */
  at: string
  /** A note for the project's team and its reviewers only, such as a coach's review comments. */
  teamNote?: string | null
}

/**
 * Appends an entry to the project's activity timeline inside the caller's transaction
 * (so the entry and the change it describes commit together) and touches the project's
 * last_activity_at. Every feature inside a project calls this for its events.
 */
export async function recordActivity(trx: Db, entry: ActivityEntry): Promise<void> {
  await trx
    .insertInto('project_activity')
    .values({
      project_id: entry.projectId,
      at: entry.at,
      actor_id: entry.actorId,
      kind: entry.kind,
      summary: entry.summary.slice(0, 1000),
      team_note: entry.teamNote ? entry.teamNote.slice(0, 4000) : null,
    })
    .execute()
  await trx
    .updateTable('projects')
    .set({ last_activity_at: entry.at })
    .where('id', '=', entry.projectId)
    .where('last_activity_at', '<', entry.at)
    .execute()
}

export interface ActivityItem {
  id: number
  at: string
  actorId: string | null
  actorName: string | null
  kind: string
  summary: string
  /** Null unless the viewer is on the team or reviews it (see `forViewer`). */
  teamNote: string | null
}

/** The timeline as a viewer may see it: review notes go to the team and its reviewers only. */
export function forViewer(
  items: ActivityItem[],
  access: { isTeam: boolean; approve: boolean },
): ActivityItem[] {
  return access.isTeam || access.approve ? items : items.map((i) => ({ ...i, teamNote: null }))
}

/** The timeline, newest first. */
export async function listActivity(
  db: Db,
  projectId: string,
  options: { limit?: number; offset?: number } = {},
): Promise<ActivityItem[]> {
  const rows = await db
    .selectFrom('project_activity')
    .leftJoin('users', 'users.id', 'project_activity.actor_id')
    .select([
      'project_activity.id',
      'project_activity.at',
      'project_activity.actor_id',
      'project_activity.kind',
      'project_activity.summary',
      'project_activity.team_note',
      'users.name as actor_name',
    ])
    .where('project_activity.project_id', '=', projectId)
    .orderBy('project_activity.at', 'desc')
    .orderBy('project_activity.id', 'desc')
    .limit(options.limit ?? 50)
    .offset(options.offset ?? 0)
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name ?? null,
    kind: r.kind,
    summary: r.summary,
    teamNote: r.team_note ?? null,
  }))
}
