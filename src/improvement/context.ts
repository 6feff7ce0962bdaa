import type { Kysely, Transaction } from 'kysely'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import type { DB } from '../db/schema.js'
import { recordActivity } from '../projects/activity.js'
import { requireProjectAccess, type Need } from '../projects/access.js'
import type { ProjectAccess } from '../projects/policy.js'

type Db = Kysely<DB> | Transaction<DB>

export interface ProjectRef {
  id: string
  title: string
}

export interface ProjectContext {
  project: ProjectRef
  access: ProjectAccess
}

/**
 * The project and this user's rights in it, insisting on `need` ('view' to read,
 * 'edit' to change). Projects the user may not see are "not found".
 */
export async function projectFor(
  db: Db,
  user: CurrentUser | null,
  projectId: string,
  need: Need,
): Promise<ProjectContext> {
  const { facts, access } = await requireProjectAccess(db, user, projectId, need)
  return { project: { id: facts.id, title: facts.title }, access }
}

/** One audited, timeline-visible change inside a project, in the caller's transaction. */
export async function recordChange(
  trx: Db,
  now: string,
  user: CurrentUser,
  change: {
    projectId: string
    action: string
    entityType: string
    entityId: string
    summary: string
    before?: unknown
    after?: unknown
    ip?: string | null
  },
): Promise<void> {
  await writeAudit(trx, now, {
    actorId: user.id,
    actorLabel: actorLabel(user),
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId,
    ip: change.ip ?? null,
    before: change.before,
    after: change.after,
  })
  await recordActivity(trx, {
    projectId: change.projectId,
    actorId: user.id,
    kind: change.action,
    summary: change.summary,
    at: now,
  })
}

/** "quoted" text for timeline sentences, shortened. */
export function quote(text: string, max = 80): string {
  const t = text.replace(/\s+/g, ' ').trim()
  return `“${t.length > max ? `${t.slice(0, max - 1)}…` : t}”`
}
