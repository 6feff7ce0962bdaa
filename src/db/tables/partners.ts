import type { Timestamp } from '../column-types.js'

/** "You said, we did" (issue 13 point 1): how the team used an improvement partner's input. */
export interface PartnerYouSaidTable {
  id: string
  project_id: string
  /** Plain text, screened: what partners said. */
  you_said: string
  /** Plain text, screened: what the team did about it. */
  we_did: string
  /** The day it was said or done, YYYY-MM-DD. */
  said_on: string
  author_id: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

/**
 * An improvement partner's involvement (DOMAIN I2): sessions, time and expenses for one project.
 * `status`: claimed, approved or paid. Amounts are integer pence.
 */
export interface PartnerInvolvementTable {
  id: string
  project_id: string
  partner_id: string
  /** YYYY-MM-DD, never in the future. */
  involved_on: string
  sessions: number
  minutes: number
  /** Plain text, screened: what the time was for. */
  what_for: string
  expenses_pence: number
  status: string
  created_at: Timestamp
  decided_by: string | null
  decided_at: Timestamp | null
  paid_by: string | null
  paid_at: Timestamp | null
}

/** The Steering Group's settings for partners: one row, id 'system'. */
export interface PartnerSettingsTable {
  id: string
  /** Text for partners above this UK reading age gets a warning. */
  max_reading_age: number
  updated_by: string | null
  updated_at: Timestamp
}
