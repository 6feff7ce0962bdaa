import type { GeneratedBool, Timestamp } from '../column-types.js'

/** Personal API tokens: only the SHA-256 hash of the secret is stored. */
export interface ApiTokensTable {
  id: string
  user_id: string
  name: string
  token_hash: string
  /** The first characters of the token, to recognise it in the list. */
  prefix: string
  can_write: GeneratedBool
  created_at: Timestamp
  expires_at: Timestamp
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
}
