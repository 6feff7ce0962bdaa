import { hasRole, isPlatformAdmin, type CurrentUser } from '../core/identity.js'

/** A poster's review lifecycle. `awaiting_files`: seeded by the Steering Group, "poster to come". */
export const POSTER_STATUSES = [
  'awaiting_files',
  'draft',
  'submitted',
  'returned',
  'approved',
  'withdrawn',
] as const
export type PosterStatus = (typeof POSTER_STATUSES)[number]

export const POSTER_STATUS_LABELS: Record<string, string> = {
  awaiting_files: 'Poster to come',
  draft: 'Draft',
  submitted: 'Waiting for the Steering Group',
  returned: 'Returned with comments',
  approved: 'Approved',
  withdrawn: 'Withdrawn',
}

/** Who sees an approved poster: anyone, or signed-in members only. */
export const POSTER_VISIBILITIES = ['public', 'community'] as const

export const CONSENT_METHODS = {
  written: 'Signed consent form',
  email: 'By e-mail',
  verbal_recorded: 'Spoken, recorded by the team',
} as const
export const APPEARS_AS = {
  shown: 'Shown (photo or image)',
  quoted: 'Quoted',
  shown_and_quoted: 'Shown and quoted',
} as const

/** What the policy needs to know about a poster. */
export interface PosterFacts {
  status: string
  visibility: string
  fileStatus: string
  consentConfirmed: boolean
  withdrawnConsents: number
  createdBy: string | null
  /** Submitted at least once (the Steering Group sees posters from then on). */
  submittedAt: string | null
}

export interface PosterAccess {
  /** Shown in the gallery and to this viewer as published work. */
  listed: boolean
  view: boolean
  /** Change details, file and consent (drafts and returned posters). */
  edit: boolean
  /** Record or withdraw consent (any time, so a withdrawal can be recorded after approval). */
  consent: boolean
  review: boolean
  isTeam: boolean
}

export function isSteeringGroup(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'steering_group') || isPlatformAdmin(user)
}

/**
 * Published: approved, its file checked and ready, consent confirmed, and nobody's consent
 * withdrawn. The one rule; the repository's SQL (`listedWhere`) says the same and is tested
 * against it.
 */
export function isPublished(p: PosterFacts): boolean {
  return (
    p.status === 'approved' && p.fileStatus === 'ready' && p.consentConfirmed && p.withdrawnConsents === 0
  )
}

/** The single source of truth for who may do what with a poster. `isTeam`: its creator, or its project's team. */
export function posterAccess(
  user: CurrentUser | null | undefined,
  p: PosterFacts,
  isTeam: boolean,
): PosterAccess {
  const listed = isPublished(p) && (p.visibility === 'public' || Boolean(user?.emailVerified))
  const steering = isSteeringGroup(user)
  const seenBySteering = steering && (p.submittedAt !== null || p.status !== 'draft')
  const view = listed || isTeam || seenBySteering
  const editable =
    p.status === 'draft' || p.status === 'returned' || (p.status === 'awaiting_files' && steering)
  return {
    listed,
    view,
    edit: view && (isTeam || (p.status === 'awaiting_files' && steering)) && editable,
    consent: view && (isTeam || steering),
    review: view && steering && p.status !== 'awaiting_files',
    isTeam,
  }
}
