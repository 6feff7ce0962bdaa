import type { Generated } from 'kysely'
import type { AutoId, Timestamp } from '../column-types.js'

export interface MailOutboxTable {
  id: AutoId
  created_at: Timestamp
  kind: string
  to_address: string
  /** The recipient's name for the To line (null: address only, or written before names were kept). */
  to_name: string | null
  subject: string
  text_body: string
  /** The HTML part, made from the text when queued (null for rows written before). */
  html_body: string | null
  /** local (kept in the outbox, no SMTP), pending, sent, failed, refused */
  status: string
  attempts: Generated<number>
  next_attempt_at: Timestamp | null
  locked_until: Timestamp | null
  last_error: string | null
  sent_at: Timestamp | null
  /** Extra headers as JSON (e.g. List-Unsubscribe), or null. */
  headers: string | null
}

/** One-click unsubscribe links (RFC 8058) for every mailing list: the token's SHA-256, used once. */
export interface MailUnsubscribeTokensTable {
  token_hash: string
  user_id: string
  /**
   * Which e-mails the link stops: 'governance.digest', a notification kind or 'digest:weekly'
   * (notifications/), 'network:<id>' (networks/). Each feature accepts only its own lists.
   */
  list: string
  created_at: Timestamp
  used_at: Timestamp | null
}
