import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { MailService } from '../mail/service.js'
import { CommentService } from './comments.js'
import { ProjectLifecycleService } from './lifecycle-service.js'
import { ProjectService } from './service.js'
import { TeamService } from './team-service.js'

export interface ProjectServices {
  projects: ProjectService
  lifecycle: ProjectLifecycleService
  team: TeamService
  /** listComments(targetType, targetId) and addComment(user, {...}) for every part of a project. */
  comments: CommentService
}

export function buildProjects(
  db: Kysely<DB>,
  clock: () => Date,
  mail: MailService,
  baseUrl: string,
  reader: Kysely<DB> = db,
): ProjectServices {
  const deps = { db, reader, clock, mail, baseUrl }
  return {
    projects: new ProjectService(deps),
    lifecycle: new ProjectLifecycleService(deps),
    team: new TeamService(deps),
    comments: new CommentService(deps),
  }
}
