import type { Generated } from 'kysely'
import type { GeneratedBool, Json, Timestamp } from '../column-types.js'

export interface SystemPrioritiesTable {
  id: string
  name: string
  owner: string
  description: Generated<string>
  version: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface SupportRequestsTable {
  id: string
  requester_id: string | null
  organisation_id: string | null
  programme_id: string | null
  title: string
  need: string
  scale: string
  stakeholders: Generated<string>
  /** YYYY-MM-DD */
  start_date: string
  end_date: string
  help_wanted: Json
  aim_codes: Json
  status: string
  status_changed_at: Timestamp
  signpost_faculty_id: string | null
  outcome: string | null
  priority_override: number | null
  priority_override_reason: string | null
  /** How many system priorities the request serves, kept with support_request_priorities. */
  priority_count: Generated<number>
  is_demo: GeneratedBool
  version: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface SupportRequestPrioritiesTable {
  request_id: string
  priority_id: string
}

export interface SupportRequestDecisionsTable {
  id: string
  request_id: string
  at: Timestamp
  actor_id: string | null
  actor_name: string
  from_status: string | null
  to_status: string
  reason: Generated<string>
}

export interface CoachCapacityTable {
  coach_id: string
  /** YYYY-MM */
  month: string
  available_hours: number
  updated_at: Timestamp
}

export interface SupportAssignmentsTable {
  id: string
  request_id: string
  coach_id: string
  month: string
  estimated_hours: number
  actual_hours: number | null
  override_reason: string | null
  /** The request's status, programme and organisation, copied so capacity sums need no join. */
  request_status: string
  programme_id: string | null
  organisation_id: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

/** Columns this feature adds to the foundation's `programmes` table. */
export interface ProgrammeFacilitationColumns {
  description: Generated<string>
  is_demo: GeneratedBool
}
