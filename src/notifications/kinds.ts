/**
 * Every kind of e-mail the platform sends, as a person chooses them on /settings/notifications.
 * Each mail the features enqueue names its own `kind` (project_team_added, learning_enrolled,
 * …); `preferenceOf` says which choice governs it, or that it is always sent. A new mail kind
 * must be added here (kinds.test.ts reads every `mail.enqueue` in src/ and fails on one that
 * is not).
 */

export const FREQUENCIES = ['immediately', 'daily', 'weekly', 'never'] as const
export type Frequency = (typeof FREQUENCIES)[number]
export const FREQUENCY_LABELS: Record<Frequency, string> = {
  immediately: 'Immediately',
  daily: 'In a daily digest',
  weekly: 'In a weekly digest',
  never: 'Never',
}

export const PREFERENCE_KINDS = {
  project_team: {
    label: 'Being added to a project team',
    hint: 'When a project lead adds you to their team.',
  },
  project_comments: {
    label: 'Mentions in project comments',
    hint: 'When someone mentions you in a comment on a project, a PDSA cycle or a measure.',
  },
  project_lifecycle: {
    label: 'Project registration, status and publication',
    hint: 'Projects submitted for your review, approved or returned, their status, and requests to publish them.',
  },
  support: {
    label: 'Support requests',
    hint: 'New requests for the facilitation team, and changes to your own requests.',
  },
  learning: {
    label: 'Courses and learning records',
    hint: 'Your places on courses (enrolled, waiting list, declined), reminders, certificates and reviews of training you recorded.',
  },
  events: {
    label: 'Event registrations',
    hint: 'Your registrations for events and changes to them.',
  },
  network_mentions: {
    label: 'Mentions in networks',
    hint: 'When someone mentions you in a network post.',
  },
  network_posts: {
    label: 'Network posts and digests',
    hint: 'Posts and digests from networks you belong to. Each network’s own choice (every post, a digest or none) still applies; this one applies on top of it.',
  },
  network_moderation: {
    label: 'Reported network posts',
    hint: 'For owners and moderators: when a member reports a post.',
  },
  membership: {
    label: 'Your organisation membership',
    hint: 'When your organisation confirms that you work there.',
  },
} as const
export type PreferenceKind = keyof typeof PREFERENCE_KINDS
export const PREFERENCE_KIND_NAMES = Object.keys(PREFERENCE_KINDS) as PreferenceKind[]

/** Always sent, never offered: what keeps an account safe or answers a request just made. */
export const ALWAYS_SENT = {
  verify_email: 'Confirming your e-mail address when you join',
  join_existing: 'Someone tried to join with your address',
  reset_password: 'Resetting your password',
  enquiry_ack: 'The receipt for a message you sent us',
  network_report_patient_data: 'For information governance leads: a post reported as patient data',
  notification_digest_daily: 'Your daily digest itself (its contents follow your choices)',
  notification_digest_weekly: 'Your weekly digest itself (its contents follow your choices)',
  governance_digest:
    'The Steering Group’s weekly digest: chosen on its own page, with its own one-click unsubscribe link',
} as const

const EXACT: Record<string, PreferenceKind> = {
  project_team_added: 'project_team',
  project_mention: 'project_comments',
  project_submitted: 'project_lifecycle',
  project_approved: 'project_lifecycle',
  project_returned: 'project_lifecycle',
  project_status: 'project_lifecycle',
  project_publication_request: 'project_lifecycle',
  project_publication_decision: 'project_lifecycle',
  support_request_new: 'support',
  support_request_status: 'support',
  event_registration: 'events',
  network_mention: 'network_mentions',
  network_post: 'network_posts',
  network_digest_daily: 'network_posts',
  network_digest_weekly: 'network_posts',
  network_report: 'network_moderation',
  membership_verified: 'membership',
}

/** The choice that governs a mail kind; 'always' for the critical ones; null for a kind nobody mapped. */
export function preferenceOf(mailKind: string): PreferenceKind | 'always' | null {
  if (mailKind in ALWAYS_SENT) return 'always'
  if (EXACT[mailKind]) return EXACT[mailKind]
  if (/^learning_[a-z_]+$/.test(mailKind)) return 'learning'
  return null
}

/** The networks' kinds carry their own per-network unsubscribe link (networks/notify.ts). */
export const isNetworkKind = (mailKind: string) => /^network_(mention|post|digest_)/.test(mailKind)
/** A network digest is already a digest: the central choice only stops it ("never"). */
export const isNetworkDigest = (mailKind: string) => mailKind.startsWith('network_digest_')
