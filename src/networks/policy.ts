import { hasRole, isPlatformAdmin, type CurrentUser } from '../core/identity.js'

export const JOIN_POLICIES = {
  open: 'Open: any member can join and read its discussions',
  request: 'By request: owners or moderators approve each member; only members read its discussions',
} as const
export type JoinPolicy = keyof typeof JOIN_POLICIES

export const EMAIL_PREFS = {
  every: 'Every post, by e-mail',
  daily: 'A daily digest',
  weekly: 'A weekly digest',
  none: 'No e-mails',
} as const
export type EmailPref = keyof typeof EMAIL_PREFS

/** Why a post is reported. `patient_data` goes to the IG lead and hides the post at once. */
export const REPORT_REASONS = {
  patient_data: 'It contains information that could identify a patient',
  personal: 'It shares someone’s personal details without their agreement',
  offensive: 'It is abusive, offensive or discriminatory',
  confidential: 'It shares confidential organisational information',
  spam: 'It is spam or advertising',
  other: 'Something else that breaks the community’s guidelines',
} as const
export type ReportReason = keyof typeof REPORT_REASONS

/** A post may be edited by its author for this long after it was written. */
export const EDIT_WINDOW_MS = 15 * 60_000
/** The longest post, in characters. */
export const MAX_POST_CHARS = 20_000

/** Slugs the routes use for their own pages. */
export const RESERVED_SLUGS = new Set(['new', 'ig-reports', 'reports'])

export interface Membership {
  role: string
  status: string
  emailPref: string
}

export interface NetworkAccess {
  /** Threads, posts and the member list. */
  read: boolean
  /** Start threads and reply. */
  post: boolean
  /** Approve requests, remove posts, handle reports. */
  moderate: boolean
  /** Appoint moderators. */
  own: boolean
  member: boolean
  requested: boolean
}

export function isIgLead(user: CurrentUser | null | undefined): boolean {
  return hasRole(user, 'ig_lead') || isPlatformAdmin(user)
}

/** The one rule for who may do what in a network. */
export function networkAccess(
  user: CurrentUser | null | undefined,
  network: { joinPolicy: string },
  membership: Membership | null,
): NetworkAccess {
  const member = membership?.status === 'active'
  const moderate = member && (membership.role === 'owner' || membership.role === 'moderator')
  return {
    read: Boolean(user) && (network.joinPolicy === 'open' || member),
    post: member,
    moderate,
    own: member && membership.role === 'owner',
    member,
    requested: membership?.status === 'requested',
  }
}

/** The author may edit a visible post within the window. */
export function canEdit(
  user: CurrentUser | null | undefined,
  post: { authorId: string | null; status: string; createdAt: string },
  now: Date,
): boolean {
  return (
    Boolean(user) &&
    post.authorId === user!.id &&
    post.status === 'visible' &&
    now.getTime() - Date.parse(post.createdAt) <= EDIT_WINDOW_MS
  )
}
