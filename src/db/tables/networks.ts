import type { Bool, GeneratedBool, Timestamp } from '../column-types.js'

/** An interest group any member may propose. `join_policy`: open (anyone joins) or request (owners approve). */
export interface NetworksTable {
  id: string
  slug: string
  name: string
  /** Plain text (searchable): what the network is for. */
  purpose: string
  join_policy: string
  created_by: string | null
  created_at: Timestamp
  updated_at: Timestamp
  is_demo: GeneratedBool
}

/** A member of a network. `status`: active or requested; `role`: owner, moderator or member. */
export interface NetworkMembersTable {
  network_id: string
  user_id: string
  role: string
  status: string
  /** E-mail preference: every (post), daily, weekly or none. */
  email_pref: string
  requested_at: Timestamp
  joined_at: Timestamp | null
}

/** A discussion. `status`: open or removed (the opening post was deleted; the title is cleared). */
export interface NetworkThreadsTable {
  id: string
  network_id: string
  /** Plain text (searchable). Empty once removed. */
  title: string
  created_by: string | null
  created_at: Timestamp
  last_post_at: Timestamp
  status: string
  removed_at: Timestamp | null
  removed_by: string | null
}

/** A post: a thread's opening post (`is_opening`) or a reply. `status`: visible, hidden (reported as patient data) or removed. */
export interface NetworkPostsTable {
  id: string
  thread_id: string
  network_id: string
  author_id: string | null
  /** The Markdown as written (plain text, searchable); empty once removed. */
  body: string
  is_opening: Bool
  status: string
  created_at: Timestamp
  edited_at: Timestamp | null
  removed_at: Timestamp | null
  removed_by: string | null
}

/** A report of a post. `routed_to`: moderators or ig_lead; `status`: open, upheld (post removed), dismissed, restored. */
export interface NetworkReportsTable {
  id: string
  post_id: string
  network_id: string
  reporter_id: string | null
  reason: string
  routed_to: string
  status: string
  created_at: Timestamp
  handled_by: string | null
  handled_at: Timestamp | null
}

/** An @mention in a post: who mentioned whom (shown on the mentioned person's "my work" home). */
export interface NetworkMentionsTable {
  post_id: string
  mentioned_id: string
  author_id: string | null
  created_at: Timestamp
}
