import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  type Transaction,
} from 'kysely'
import { type CurrentUser, hasRole, isPlatformAdmin } from '../core/identity.js'
import type { DB } from '../db/schema.js'
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../core/errors.js'
import { projectAccess, type ProjectAccess, type ProjectAccessFacts } from './policy.js'
import { findProject } from './repository.js'

type Db = Kysely<DB> | Transaction<DB>

/** The facts the policy needs, in two small queries. */
export async function loadAccessFacts(
  db: Db,
  projectId: string,
): Promise<(ProjectAccessFacts & { id: string; title: string }) | null> {
  const project = await db
    .selectFrom('projects')
    .select(['id', 'title', 'status', 'visibility', 'public_approved_at', 'created_by'])
    .where('id', '=', projectId)
    .executeTakeFirst()
  if (!project) return null
  // Its organisations and its team in one round trip.
  const links = await db
    .selectFrom('project_organisations')
    .select([sql<string>`'o'`.as('kind'), 'organisation_id as ref', sql<string>`''`.as('role')])
    .where('project_id', '=', projectId)
    .unionAll(
      db
        .selectFrom('project_members')
        .select([sql<string>`'m'`.as('kind'), 'user_id as ref', 'role'])
        .where('project_id', '=', projectId),
    )
    .execute()
  return {
    id: project.id,
    title: project.title,
    status: project.status,
    visibility: project.visibility,
    publicApprovedAt: project.public_approved_at,
    createdBy: project.created_by,
    organisationIds: links.filter((l) => l.kind === 'o').map((l) => l.ref),
    members: links.filter((l) => l.kind === 'm').map((l) => ({ userId: l.ref, role: l.role })),
  }
}

/**
 * What this user may do in each of these projects, for the ones they may see (the others are
 * left out): the same policy as `requireProjectAccess`, in three queries however many projects
 * (a coach's home with 200 projects in their caseload).
 */
export async function projectAccessMany(
  db: Db,
  user: CurrentUser | null,
  projectIds: string[],
): Promise<Map<string, { title: string; access: ProjectAccess }>> {
  const out = new Map<string, { title: string; access: ProjectAccess }>()
  const ids = [...new Set(projectIds)]
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500)
    const [projects, orgs, members] = await Promise.all([
      db
        .selectFrom('projects')
        .select(['id', 'title', 'status', 'visibility', 'public_approved_at', 'created_by'])
        .where('id', 'in', chunk)
        .execute(),
      db
        .selectFrom('project_organisations')
        .select(['project_id', 'organisation_id'])
        .where('project_id', 'in', chunk)
        .execute(),
      db
        .selectFrom('project_members')
        .select(['project_id', 'user_id', 'role'])
        .where('project_id', 'in', chunk)
        .execute(),
    ])
    const group = <T extends { project_id: string }>(rows: T[]) => {
      const map = new Map<string, T[]>()
      for (const r of rows) map.set(r.project_id, [...(map.get(r.project_id) ?? []), r])
      return map
    }
    const orgsOf = group(orgs)
    const membersOf = group(members)
    for (const p of projects) {
      const access = projectAccess(user, {
        status: p.status,
        visibility: p.visibility,
        publicApprovedAt: p.public_approved_at,
        createdBy: p.created_by,
        organisationIds: (orgsOf.get(p.id) ?? []).map((o) => o.organisation_id),
        members: (membersOf.get(p.id) ?? []).map((m) => ({ userId: m.user_id, role: m.role })),
      })
      if (access.view) out.set(p.id, { title: p.title, access })
    }
  }
  return out
}

export type Need = keyof Pick<ProjectAccess, 'view' | 'edit' | 'manage' | 'approve' | 'delete' | 'comment'>

/**
 * Loads a project's access for this user and insists on `need`. A project the user
 * may not see is "not found" (its existence is not revealed); one they may see but
 * not change is "forbidden"; anonymous users who might see more are asked to sign in.
 */
export async function requireProjectAccess(
  db: Db,
  user: CurrentUser | null,
  projectId: string,
  need: Need = 'view',
) {
  const facts = await loadAccessFacts(db, projectId)
  if (!facts) throw new NotFoundError()
  const access = projectAccess(user, facts)
  if (!access.view) {
    if (!user) throw new UnauthenticatedError()
    throw new NotFoundError()
  }
  if (!access[need]) {
    if (!user) throw new UnauthenticatedError()
    throw new ForbiddenError(
      need === 'edit'
        ? 'Only the project team can change this project'
        : need === 'manage'
          ? 'Only the project leads can do this'
          : 'You cannot do this',
    )
  }
  return { facts, access }
}

/**
 * The SQL twin of `projectAccess(...).view` for lists, searches, reports and the API:
 * rows of `projects` this user may see. Tested against the policy function.
 */
export function visibleProjects(user: CurrentUser | null | undefined) {
  return (eb: ExpressionBuilder<DB, 'projects'>): Expression<SqlBool> => {
    const approvedPublic = eb.and([
      eb('projects.visibility', '=', 'public'),
      eb('projects.public_approved_at', 'is not', null),
    ])
    if (!user) return approvedPublic
    // Correlated EXISTS: each is one primary-key lookup, and only for the rows the cheap column
    // tests before it have not settled (both databases stop at the first true term of an OR).
    const member = (roles?: string[]) =>
      eb.exists(
        eb
          .selectFrom('project_members')
          .select(sql`1`.as('one'))
          .whereRef('project_members.project_id', '=', 'projects.id')
          .where('project_members.user_id', '=', user.id)
          .$if(Boolean(roles), (qb) => qb.where('project_members.role', 'in', roles!)),
      )
    const options: Expression<SqlBool>[] = []
    if (user.emailVerified) options.push(eb('projects.visibility', 'in', ['community', 'public']))
    else options.push(approvedPublic)
    if (hasRole(user, 'coach') || hasRole(user, 'steering_group') || isPlatformAdmin(user)) {
      options.push(eb('projects.status', 'not in', ['draft', 'returned']))
    }
    if (user.orgVerified && user.organisationId) {
      options.push(
        eb.and([
          eb('projects.visibility', '=', 'organisation'),
          eb.exists(
            eb
              .selectFrom('project_organisations')
              .select(sql`1`.as('one'))
              .whereRef('project_organisations.project_id', '=', 'projects.id')
              .where('project_organisations.organisation_id', '=', user.organisationId),
          ),
        ]),
      )
    }
    // Private: the leads only; every wider level: the whole team.
    options.push(eb.and([eb('projects.visibility', '=', 'private'), member(['lead'])]))
    options.push(eb.and([eb('projects.visibility', '!=', 'private'), member()]))
    return eb.or(options)
  }
}

/** The project and the user's access, insisting on `need` (for pages inside a project). */
export async function loadProject(db: Kysely<DB>, user: CurrentUser | null, id: string, need: Need = 'view') {
  const { access } = await requireProjectAccess(db, user, id, need)
  const project = await findProject(db, id)
  if (!project) throw new NotFoundError()
  return { project, access }
}
