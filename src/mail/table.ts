import type { Generated } from 'kysely'
import type { AutoId, Timestamp } from '../db/column-types.js'

export interface MailOutboxTable {
  id: AutoId
  created_at: Timestamp
  kind: string
  to_address: string
  subject: string
  text_body: string
  /** local (kept in the outbox, no SMTP), pending, sent, failed, refused */
  status: string
  attempts: Generated<number>
  next_attempt_at: Timestamp | null
  locked_until: Timestamp | null
  last_error: string | null
  sent_at: Timestamp | null
}
