import type { Generated } from 'kysely'
import type { AutoId, GeneratedBool, Timestamp } from '../column-types.js'

export interface ProjectsTable {
  id: string
  title: string
  problem: Generated<string>
  status: string
  visibility: string
  public_approved_at: Timestamp | null
  public_approved_by: string | null
  /** When a lead asked for public visibility (pending a coach's approval while public_approved_at is null). */
  public_requested_at: Timestamp | null
  /** Consent for quotes and images confirmed by a lead when asking to go public. */
  public_consent_at: Timestamp | null
  public_consent_by: string | null
  programme_id: string | null
  qsir_stage: Generated<string>
  progress_score: number | null
  research_answer: string | null
  research_notes: Generated<string>
  submitted_at: Timestamp | null
  approved_at: Timestamp | null
  approved_by: string | null
  returned_comment: string | null
  abandoned_reason: string | null
  status_changed_at: Timestamp | null
  lessons: Generated<string>
  last_activity_at: Timestamp
  is_demo: GeneratedBool
  created_by: string | null
  version: Generated<number>
  search_text: Generated<string>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ProjectOrganisationsTable {
  project_id: string
  organisation_id: string
}

export interface ProjectMembersTable {
  project_id: string
  user_id: string
  role: string
  added_at: Timestamp
  added_by: string | null
}

export interface ProjectAimCodesTable {
  project_id: string
  aim_code: string
}

export interface ProjectPrioritiesTable {
  project_id: string
  priority_id: string
}

export interface ProjectAimsTable {
  id: string
  project_id: string
  version: number
  what: string
  measure: Generated<string>
  baseline: Generated<string>
  target: Generated<string>
  for_whom: string
  by_when: string
  statement: string
  created_at: Timestamp
  created_by: string | null
}

export interface ProjectProgressScoresTable {
  id: AutoId
  project_id: string
  score: number
  note: Generated<string>
  created_at: Timestamp
  created_by: string | null
}

export interface ProjectActivityTable {
  id: AutoId
  project_id: string
  at: Timestamp
  actor_id: string | null
  kind: string
  summary: string
  /** A reviewer's note for the team only (not for everyone who sees the timeline). */
  team_note: string | null
}

export interface CommentsTable {
  id: string
  project_id: string
  /** 'project' or 'pdsa' (or another part of a project); comments inherit the project's visibility. */
  target_type: string
  target_id: string
  author_id: string | null
  body: string
  created_at: Timestamp
}
