import type { Kysely } from 'kysely'
import { organisationRow, roleGrantRow, userRow } from '../db/rows.js'
import type { DB } from '../db/schema.js'
import type { SessionStore } from '../auth/sessions.js'
import { insertProject } from './fixtures.js'
import { TestBrowser, type TestApp } from '../testing/app.js'
import { SESSION_COOKIE } from '../web/plugin.js'

/**
 * The people and projects of the rights matrix (src/projects/rights-matrix.db.test.ts),
 * shared with the other matrices (measures downloads, the API). Everything has fixed ids
 * and does not depend on the demo content.
 *
 * Usage:
 *   const users = await createRightsUsers(db)
 *   const projects = await createRightsProjects(db, users)
 *   for (const role of RIGHTS_ROLES) for (const cell of projects) expectedRights(role, cell).view …
 *   browser.cookies.set(SESSION_COOKIE, await sessionFor(services.sessions, db, users[role].id))
 */

export const RIGHTS_ROLES = [
  'anonymous',
  'unrelated_member',
  'unverified_member',
  'organisation_member',
  'team_member',
  'team_lead',
  'sponsor',
  'partner_on_team',
  'coach',
  'steering_group',
  'board',
  'platform_admin',
] as const
export type RightsRole = (typeof RIGHTS_ROLES)[number]

/** 'public_pending' is public visibility before a coach approved it (it behaves as community). */
export const RIGHTS_VISIBILITIES = [
  'private',
  'team',
  'organisation',
  'community',
  'public_pending',
  'public',
] as const
export type RightsVisibility = (typeof RIGHTS_VISIBILITIES)[number]

/** Before registration (draft, submitted), registered (active) and closed (archived). */
export const RIGHTS_STATUSES = ['draft', 'submitted', 'active', 'archived'] as const
export type RightsStatus = (typeof RIGHTS_STATUSES)[number]

/** The project's organisation, and another one for people outside it. */
export const RIGHTS_ORG = 'org-rights-project'
export const RIGHTS_OTHER_ORG = 'org-rights-other'

export interface RightsUser {
  id: string
  email: string
  name: string
}

interface UserSpec {
  org: string | null
  emailVerified: boolean
  orgVerified: boolean
  partner?: boolean
  grants: string[]
  /** Role on every matrix project's team. */
  team?: 'lead' | 'member' | 'sponsor' | 'coach'
}

const USER_SPECS: Record<Exclude<RightsRole, 'anonymous'>, UserSpec> = {
  unrelated_member: { org: RIGHTS_OTHER_ORG, emailVerified: true, orgVerified: true, grants: ['member'] },
  unverified_member: { org: RIGHTS_ORG, emailVerified: false, orgVerified: false, grants: ['member'] },
  organisation_member: { org: RIGHTS_ORG, emailVerified: true, orgVerified: true, grants: ['member'] },
  team_member: {
    org: RIGHTS_OTHER_ORG,
    emailVerified: true,
    orgVerified: true,
    grants: ['member'],
    team: 'member',
  },
  team_lead: {
    org: RIGHTS_OTHER_ORG,
    emailVerified: true,
    orgVerified: true,
    grants: ['member'],
    team: 'lead',
  },
  sponsor: {
    org: RIGHTS_OTHER_ORG,
    emailVerified: true,
    orgVerified: true,
    grants: ['member'],
    team: 'sponsor',
  },
  partner_on_team: {
    org: null,
    emailVerified: true,
    orgVerified: false,
    partner: true,
    grants: ['member', 'improvement_partner'],
    team: 'member',
  },
  coach: { org: RIGHTS_OTHER_ORG, emailVerified: true, orgVerified: true, grants: ['member', 'coach'] },
  steering_group: {
    org: RIGHTS_OTHER_ORG,
    emailVerified: true,
    orgVerified: true,
    grants: ['member', 'steering_group'],
  },
  board: { org: RIGHTS_OTHER_ORG, emailVerified: true, orgVerified: true, grants: ['member', 'board'] },
  platform_admin: {
    org: RIGHTS_OTHER_ORG,
    emailVerified: true,
    orgVerified: true,
    grants: ['member', 'platform_admin'],
  },
}

/** Creates the matrix's organisations and users (no passwords: sign in with `sessionFor`). */
export async function createRightsUsers(
  db: Kysely<DB>,
  now = '2026-01-01T09:00:00.000Z',
): Promise<Record<Exclude<RightsRole, 'anonymous'>, RightsUser>> {
  for (const [id, name] of [
    [RIGHTS_ORG, 'Rights Matrix Project Trust'],
    [RIGHTS_OTHER_ORG, 'Rights Matrix Other Trust'],
  ] as const) {
    await db
      .insertInto('organisations')
      .values(organisationRow({ id, name, created_at: now }))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  }
  const users = {} as Record<Exclude<RightsRole, 'anonymous'>, RightsUser>
  for (const [role, spec] of Object.entries(USER_SPECS) as [Exclude<RightsRole, 'anonymous'>, UserSpec][]) {
    const id = `rights-${role.replace(/_/g, '-')}`
    const email = `rights.${role.replace(/_/g, '.')}@example.invalid`
    const name = `Rights ${role.replace(/_/g, ' ')}`
    await db
      .insertInto('users')
      .values(
        userRow({
          id,
          email,
          name,
          organisation_id: spec.org,
          affiliation: spec.partner ? 'service_user' : 'organisation',
          is_partner: Boolean(spec.partner),
          email_verified_at: spec.emailVerified ? now : null,
          org_verified_at: spec.orgVerified ? now : null,
          search_text: name.toLowerCase(),
          created_at: now,
        }),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
    for (const grant of spec.grants) {
      await db
        .insertInto('role_grants')
        .values(roleGrantRow({ id: `${id}-${grant}`, user_id: id, role: grant, created_at: now }))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute()
    }
    users[role] = { id, email, name }
  }
  return users
}

export interface RightsProject {
  id: string
  title: string
  visibility: RightsVisibility
  status: RightsStatus
}

/**
 * One project for every visibility × status, in RIGHTS_ORG, with the team roles of
 * USER_SPECS (the lead created it). Titles are unique words so lists can be searched.
 */
export async function createRightsProjects(
  db: Kysely<DB>,
  users: Record<Exclude<RightsRole, 'anonymous'>, RightsUser>,
  now = '2026-01-01T09:00:00.000Z',
): Promise<RightsProject[]> {
  const team = (Object.entries(USER_SPECS) as [Exclude<RightsRole, 'anonymous'>, UserSpec][])
    .filter(([, spec]) => spec.team)
    .map(([role, spec]) => ({ userId: users[role].id, role: spec.team! }))
  const projects: RightsProject[] = []
  for (const visibility of RIGHTS_VISIBILITIES) {
    for (const status of RIGHTS_STATUSES) {
      const id = `rights-${visibility.replace(/_/g, '-')}-${status}`
      const title = `Rightsmatrix ${visibility} ${status} project`
      await insertProject(db, {
        id,
        title,
        createdBy: users.team_lead.id,
        status,
        visibility: visibility === 'public_pending' ? 'public' : visibility,
        publicApproved: visibility === 'public',
        organisationIds: [RIGHTS_ORG],
        members: team,
        now,
      })
      projects.push({ id, title, visibility, status })
    }
  }
  return projects
}

/** A session cookie value for this user (set it as the `qi_session` cookie of a TestBrowser). */
export async function sessionFor(sessions: SessionStore, db: Kysely<DB>, userId: string): Promise<string> {
  return sessions.create(db, userId, 'password', { ip: '127.0.0.1' })
}

/** A browser signed in as this role's person (not signed in for 'anonymous'). */
export async function browserAs(
  t: TestApp,
  users: Record<Exclude<RightsRole, 'anonymous'>, { id: string }>,
  role: RightsRole,
): Promise<TestBrowser> {
  const browser = new TestBrowser(t.app)
  if (role !== 'anonymous')
    browser.cookies.set(
      SESSION_COOKIE,
      await sessionFor(t.services.sessions, t.db.database.db, users[role].id),
    )
  return browser
}

export interface ExpectedRights {
  view: boolean
  edit: boolean
  delete: boolean
}

/**
 * What each role may do, written out by hand from DOMAIN.md §5.3 (not computed by the
 * policy, so the matrix can catch the policy out):
 * - private: the leads only; team: the team; organisation: the team and verified members of
 *   the project's organisations; community: every verified member; public: anyone once
 *   approved, until then as community.
 * - coaches, the Steering Group and platform admins also see every project past the draft
 *   stage (submitted for review, registered, closed), but not drafts (nor returned ones).
 * - the board sees what members see (published work and aggregates).
 * - edit: leads and members (partners on the team included) while the project is open; not
 *   sponsors, not overseers who are not on the team.
 * - delete: leads while it is a draft; platform admins whenever they can see it.
 */
export function expectedRights(
  role: RightsRole,
  project: { visibility: RightsVisibility; status: RightsStatus },
): ExpectedRights {
  const v = project.visibility
  const levels: Record<RightsRole, RightsVisibility[]> = {
    anonymous: ['public'],
    unverified_member: ['public'],
    unrelated_member: ['community', 'public_pending', 'public'],
    board: ['community', 'public_pending', 'public'],
    organisation_member: ['organisation', 'community', 'public_pending', 'public'],
    team_member: ['team', 'organisation', 'community', 'public_pending', 'public'],
    sponsor: ['team', 'organisation', 'community', 'public_pending', 'public'],
    partner_on_team: ['team', 'organisation', 'community', 'public_pending', 'public'],
    team_lead: [...RIGHTS_VISIBILITIES],
    coach: ['community', 'public_pending', 'public'],
    steering_group: ['community', 'public_pending', 'public'],
    platform_admin: ['community', 'public_pending', 'public'],
  }
  const overseer = role === 'coach' || role === 'steering_group' || role === 'platform_admin'
  const view = levels[role].includes(v) || (overseer && project.status !== 'draft')
  const open = project.status !== 'archived'
  const editor = role === 'team_lead' || role === 'team_member' || role === 'partner_on_team'
  return {
    view,
    edit: view && open && editor,
    delete: view && ((role === 'team_lead' && project.status === 'draft') || role === 'platform_admin'),
  }
}
