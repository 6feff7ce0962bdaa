import { hasRole, isPlatformAdmin, type CurrentUser } from '../core/identity.js'

/** DOMAIN.md §5.3: the visibility ladder, narrowest first. New work starts private. */
export const VISIBILITIES = ['private', 'team', 'organisation', 'community', 'public'] as const
export type Visibility = (typeof VISIBILITIES)[number]

export const VISIBILITY_LABELS: Record<Visibility, string> = {
  private: 'Private: the project leads only',
  team: 'Team: everyone on the project team',
  organisation: "Organisation: members of the project's organisations",
  community: 'Community: every signed-in member',
  public: 'Public: anyone, once a coach or the Steering Group approves it',
}

/** `partner`: an improvement partner on the team reads the project but does not change it (issue 13). */
export const TEAM_ROLES = ['lead', 'member', 'sponsor', 'coach', 'partner'] as const
export type TeamRole = (typeof TEAM_ROLES)[number]

/** DOMAIN.md §3: the project lifecycle. */
export const PROJECT_STATUSES = [
  'draft',
  'submitted',
  'returned',
  'active',
  'on_hold',
  'sustaining',
  'completed',
  'archived',
  'abandoned',
] as const
export type ProjectStatus = (typeof PROJECT_STATUSES)[number]

/** What the policy needs to know about a project. */
export interface ProjectAccessFacts {
  status: string
  visibility: string
  publicApprovedAt: string | null
  createdBy: string | null
  organisationIds: string[]
  members: { userId: string; role: string }[]
}

export interface ProjectAccess {
  /** Read the project, its measures (with small numbers suppressed unless seeSmallNumbers), PDSAs, tools and comments. */
  view: boolean
  /** Change content: aim, drivers, change ideas, measures and data, PDSAs, tools. */
  edit: boolean
  /** Team, visibility, lifecycle changes (submit, hold, complete, abandon), progress score. */
  manage: boolean
  /** Approve or return a submitted project, approve publication. */
  approve: boolean
  delete: boolean
  comment: boolean
  /** Team members see counts of 1–4 (DOMAIN.md §5.2); everyone else sees them suppressed. */
  seeSmallNumbers: boolean
  isTeam: boolean
  teamRole: TeamRole | null
}

/** Registered = past the draft stage: coaches, the Steering Group and admins may see it. */
export function isRegistered(status: string): boolean {
  return status !== 'draft' && status !== 'submitted' && status !== 'returned'
}

/**
 * The single source of truth for who may do what with a project (and everything in it).
 * Every route, list, search, download and API answer goes through this (lists use the
 * equivalent SQL in the repository, tested against this function).
 */
export function projectAccess(
  user: CurrentUser | null | undefined,
  project: ProjectAccessFacts,
): ProjectAccess {
  // The team is whoever is on it now: the person who created the project has no lasting
  // rights once they leave it (they were added as its first lead).
  const membership = user ? project.members.find((m) => m.userId === user.id) : undefined
  const teamRole = (membership?.role as TeamRole | undefined) ?? null
  const isTeam = Boolean(membership)
  const isLead = teamRole === 'lead'
  const overseer = hasRole(user, 'coach') || hasRole(user, 'steering_group') || isPlatformAdmin(user)
  // Submitted work is reviewed by coaches and the Steering Group before registration.
  const reviewable = project.status === 'submitted'
  const visibleByLevel = (() => {
    switch (project.visibility) {
      case 'private':
        // "Private: the project leads only" (VISIBILITY_LABELS).
        return isLead
      case 'team':
        return isTeam
      case 'organisation':
        return (
          isTeam ||
          Boolean(
            user?.orgVerified && user.organisationId && project.organisationIds.includes(user.organisationId),
          )
        )
      case 'community':
        return isTeam || Boolean(user?.emailVerified)
      case 'public':
        // Until publication is approved, "public" behaves as "community".
        return project.publicApprovedAt ? true : isTeam || Boolean(user?.emailVerified)
      default:
        return isLead
    }
  })()
  const view = visibleByLevel || (overseer && (isRegistered(project.status) || reviewable))
  const closed = project.status === 'archived' || project.status === 'abandoned'
  const edit = view && !closed && (isLead || teamRole === 'member' || teamRole === 'coach')
  return {
    view,
    edit,
    manage: view && !closed && isLead,
    approve: view && (hasRole(user, 'coach') || hasRole(user, 'steering_group')),
    delete: view && ((isLead && project.status === 'draft') || isPlatformAdmin(user)),
    comment: view && Boolean(user?.emailVerified),
    seeSmallNumbers: view && isTeam,
    isTeam,
    teamRole,
  }
}
