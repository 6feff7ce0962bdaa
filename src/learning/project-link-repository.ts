import type { CurrentUser } from '../core/identity.js'
import { visibleProjects } from '../projects/access.js'
import type { Db } from './repository.js'

/** A project the learner may link to a cohort. */
export interface ProjectChoice {
  id: string
  title: string
  status: string
  role: string
}

/** A linked project as one viewer may see it: its title, or only that it exists. */
export interface LinkedProject {
  id: string
  title: string
}

/**
 * Projects on whose team this person is (any role) and which they may see, newest activity
 * first. Seeing goes through `visibleProjects`, so a private project is offered to its leads
 * only, as the projects policy says; deleted projects are gone from `projects` altogether.
 */
export async function teamProjects(
  db: Db,
  user: CurrentUser,
  options: { projectId?: string; limit?: number } = {},
): Promise<ProjectChoice[]> {
  const rows = await db
    .selectFrom('projects')
    .innerJoin('project_members', 'project_members.project_id', 'projects.id')
    .select(['projects.id', 'projects.title', 'projects.status', 'project_members.role'])
    .where('project_members.user_id', '=', user.id)
    .$if(options.projectId !== undefined, (qb) => qb.where('projects.id', '=', options.projectId!))
    .where(visibleProjects(user))
    .orderBy('projects.last_activity_at', 'desc')
    .orderBy('projects.id')
    .limit(options.limit ?? 100)
    .execute()
  return rows.map((r) => ({ id: r.id, title: r.title, status: r.status, role: r.role }))
}

/**
 * Of these projects, the ones this viewer may see, by id. A project missing from the answer
 * is one the viewer may not see (or that no longer exists): its title must not be shown.
 */
export async function visibleLinkedProjects(
  db: Db,
  viewer: CurrentUser,
  ids: (string | null)[],
): Promise<Map<string, LinkedProject>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))]
  if (!wanted.length) return new Map()
  const rows = await db
    .selectFrom('projects')
    .select(['projects.id', 'projects.title'])
    .where('projects.id', 'in', wanted)
    .where(visibleProjects(viewer))
    .execute()
  return new Map(rows.map((r) => [r.id, { id: r.id, title: r.title }]))
}

/** What a page shows for an enrolment's linked project: the project, or that it is hidden from this viewer. */
export function describeLink(projectId: string | null, visible: Map<string, LinkedProject>) {
  const project = projectId ? (visible.get(projectId) ?? null) : null
  return { project, projectHidden: Boolean(projectId) && !project }
}
