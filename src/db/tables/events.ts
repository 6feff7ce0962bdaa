import type { Generated } from 'kysely'
import type { GeneratedBool, Timestamp } from '../column-types.js'

export interface EventsTable {
  id: string
  title: string
  description: Generated<string>
  format: string
  venue: Generated<string>
  joining_details: Generated<string>
  starts_at: Timestamp
  ends_at: Timestamp
  capacity: number
  programme_id: string | null
  support_request_id: string | null
  organiser_id: string | null
  status: Generated<string>
  is_demo: GeneratedBool
  version: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface EventRegistrationsTable {
  id: string
  event_id: string
  user_id: string
  status: string
  access_needs: Generated<string>
  /** When the person joined the queue. */
  queued_at: Timestamp
  /** First come, first served: 1, 2, 3… per event, assigned while the event row is locked. */
  queue_no: number
  checked_in_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface EventFeedbackTable {
  id: string
  event_id: string
  user_id: string | null
  rating: number
  went_well: Generated<string>
  even_better: Generated<string>
  created_at: Timestamp
}
