import type { Generated } from 'kysely'
import type { Bool, GeneratedBool, Json, Timestamp } from '../column-types.js'

/** Columns the learning migration adds to the community's `faculties` table. */
export interface FacultyLearningColumns {
  description: Generated<string>
  contact_text: Generated<string>
  /** { "Bronze": "awareness", … } */
  level_map: Json | null
}

export interface CoursesTable {
  id: string
  faculty_id: string
  slug: string
  title: string
  summary: Generated<string>
  level: string
  local_level: string | null
  mode: string
  open_to_all: Bool
  eligible_org_ids: Json | null
  eligible_roles: Json | null
  min_attendance_pct: number
  requires_project: Bool
  requires_assessment: Bool
  requires_approval: Bool
  certificate_valid_months: number | null
  published: Bool
  is_demo: GeneratedBool
  version: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface CoursePrerequisitesTable {
  course_id: string
  prerequisite_id: string
}

export interface CohortsTable {
  id: string
  course_id: string
  name: string
  capacity: number
  enrolment_closes_at: Timestamp
  venue: Generated<string>
  online_url: Generated<string>
  facilitators: Generated<string>
  starts_at: Timestamp | null
  ends_at: Timestamp | null
  enrolled_count: Generated<number>
  waitlisted_count: Generated<number>
  requested_count: Generated<number>
  next_queue_no: Generated<number>
  is_demo: GeneratedBool
  version: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface CohortSessionsTable {
  id: string
  cohort_id: string
  title: string
  starts_at: Timestamp
  ends_at: Timestamp
  venue: Generated<string>
  online_url: Generated<string>
  sequence: Generated<number>
  reminder_sent_at: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface EnrolmentsTable {
  id: string
  cohort_id: string
  user_id: string
  status: string
  queue_no: number
  requested_at: Timestamp
  status_changed_at: Timestamp
  decided_by: string | null
  /** A project on the platform the learner did on this course (null when none, or when it was deleted). */
  project_id: string | null
  /** Free-text reference for a project done outside the platform. */
  project_ref: Generated<string>
  project_submitted: GeneratedBool
  assessment_passed: GeneratedBool
  completed_at: Timestamp | null
  is_demo: GeneratedBool
}

export interface AttendanceTable {
  session_id: string
  enrolment_id: string
  present: Bool
  marked_by: string | null
  marked_at: Timestamp
}

export interface CertificatesTable {
  id: string
  enrolment_id: string
  user_id: string
  course_id: string
  code: string
  person_name: string
  course_title: string
  faculty_name: string
  level: string
  local_level: string | null
  issued_at: Timestamp
  expires_at: Timestamp | null
  revoked_at: Timestamp | null
  revoked_reason: string | null
}

export interface ExternalTrainingTable {
  id: string
  user_id: string
  title: string
  provider: string
  level: string
  completed_on: string
  evidence_text: Generated<string>
  evidence_url: Generated<string>
  faculty_id: string | null
  status: string
  reviewed_by: string | null
  reviewed_at: Timestamp | null
  review_note: Generated<string>
  created_at: Timestamp
}
