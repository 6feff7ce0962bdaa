import type { Timestamp } from '../column-types.js'

/** How often a person wants one kind of e-mail: immediately, daily, weekly or never (no row: immediately). */
export interface NotificationPreferencesTable {
  user_id: string
  /** A kind of notifications/kinds.ts (project_team, network_posts, …). */
  kind: string
  frequency: string
  updated_at: Timestamp
}

/** A message held for a person's daily or weekly digest; `digest_key` names the digest that sent it. */
export interface NotificationDigestItemsTable {
  id: string
  user_id: string
  kind: string
  /** daily or weekly */
  frequency: string
  subject: string
  text_body: string
  created_at: Timestamp
  digest_key: string | null
}
