import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import type { MailService } from '../mail/service.js'
import { writeAudit } from '../audit/service.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { ConflictError } from '../core/errors.js'
import { recordActivity } from './activity.js'

export interface ProjectDeps {
  db: Kysely<DB>
  /** The replica, for the project list (database.reader); the primary when there is none. */
  reader: Kysely<DB>
  clock: () => Date
  mail: MailService
  baseUrl: string
}

export const CONFLICT_MESSAGE =
  'Someone else changed this project after you opened this page, so your changes have not been saved. Reload the page to see their changes, then make yours again.'

export function conflict(): ConflictError {
  return new ConflictError(CONFLICT_MESSAGE, 'version')
}

export function projectLink(baseUrl: string, projectId: string, path = ''): string {
  return `${baseUrl}/projects/${projectId}${path}`
}

/** What the list's text search looks in: title, problem and the current aim. */
export function searchTextFor(p: { title: string; problem: string; aim?: string | null }): string {
  return [p.title, p.problem, p.aim ?? ''].join(' ').toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 8000)
}

/** Audit entry + activity entry for one change, inside the caller's transaction. */
export async function logChange(
  trx: Transaction<DB>,
  at: string,
  user: CurrentUser,
  e: {
    projectId: string
    action: string
    summary: string
    /** For the team and its reviewers only (see activity.ts `forViewer`). */
    teamNote?: string
    ip?: string
    before?: unknown
    after?: unknown
    entityType?: string
    entityId?: string
  },
): Promise<void> {
  await writeAudit(trx, at, {
    actorId: user.id,
    actorLabel: actorLabel(user),
    action: e.action,
    entityType: e.entityType ?? 'project',
    entityId: e.entityId ?? e.projectId,
    ip: e.ip,
    before: e.before,
    after: e.after,
  })
  await recordActivity(trx, {
    projectId: e.projectId,
    actorId: user.id,
    kind: e.action,
    summary: e.summary,
    teamNote: e.teamNote,
    at,
  })
}
