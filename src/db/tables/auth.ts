import type { Timestamp } from '../column-types.js'

export interface SessionsTable {
  /** sha256 of the cookie's token: a stolen database does not yield live cookies. */
  id: string
  user_id: string
  auth_method: string
  ip: string | null
  user_agent: string | null
  created_at: Timestamp
  last_seen_at: Timestamp
  expires_at: Timestamp
}

export interface OneTimeTokensTable {
  id: string
  user_id: string
  purpose: string
  created_at: Timestamp
  expires_at: Timestamp
  used_at: Timestamp | null
}

export interface RateLimitsTable {
  key: string
  window_start: Timestamp
  count: number
}
