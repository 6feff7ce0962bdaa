import type { Bool, Timestamp } from '../column-types.js'

/** The Steering Group's portfolio settings: one row, id 'system'. */
export interface GovernanceSettingsTable {
  id: string
  /** Days without a data point and without a PDSA change before an active project is stalled. */
  stalled_days: number
  updated_by: string | null
  updated_at: Timestamp
}

/** Measures the Steering Group shows the Board, optionally as a measure of a system priority. */
export interface BoardMeasuresTable {
  measure_id: string
  priority_id: string | null
  flagged_by: string | null
  flagged_at: Timestamp
}

/**
 * A board pack (issue 12 point 5): made by a background job, kept for download. `live` is 'live'
 * while the pack is queued or running (a unique index keeps one such pack) and null after.
 */
export interface BoardPacksTable {
  id: string
  status: string
  /** 0 to 100. */
  progress: number
  live: string | null
  requested_by: string | null
  requested_at: Timestamp
  /** JSON: the measure ids flagged when it was requested. */
  measure_ids: string
  job_id: string | null
  data_as_at: Timestamp | null
  /** JSON: what the pack says, for the print page. */
  content: string | null
  pptx: Buffer | null
  pdf: Buffer | null
  error: string | null
  finished_at: Timestamp | null
}

/** The Steering Group's capability targets: a share of an organisation's staff at a level by a date. */
export interface CapabilityTargetsTable {
  organisation_id: string
  level: string
  /** Per cent of the organisation's headcount, 0.1 to 100. */
  percent: number
  /** YYYY-MM-DD. */
  by_date: string
  set_by: string | null
  set_at: Timestamp
}

/** Staff headcounts, entered by each organisation's admin (the denominator of the capability targets). */
export interface OrganisationHeadcountsTable {
  organisation_id: string
  headcount: number
  updated_by: string | null
  updated_at: Timestamp
}

/**
 * An NHS IMPACT self-assessment (issue 12 point 6): of the system (organisation_id null) or of
 * one organisation, private to it unless `shared` at system level.
 */
export interface ImpactAssessmentsTable {
  id: string
  organisation_id: string | null
  /** YYYY-MM-DD: the period assessed. */
  period: string
  /** 'draft' or 'complete'. */
  status: string
  shared: Bool
  created_by: string | null
  created_at: Timestamp
  updated_at: Timestamp
  completed_at: Timestamp | null
}

/** A maturity level (1 to 5, null: not assessed) and an optional screened note per question area. */
export interface ImpactRatingsTable {
  assessment_id: string
  /** An area id of governance/impact/framework.ts. */
  area: string
  level: number | null
  note: string | null
}

/** An action for an area, optionally linked to a project (id), a course or a programme (slug). */
export interface ImpactActionsTable {
  id: string
  assessment_id: string
  area: string
  text: string
  /** 'project', 'course', 'programme' or null. */
  link_type: string | null
  link_ref: string | null
  created_by: string | null
  created_at: Timestamp
}

/** A recipient's choice of the weekly digest; without a row, on for the Steering Group and off for the Board. */
export interface GovernanceDigestPrefsTable {
  user_id: string
  weekly: Bool
  updated_at: Timestamp
}

/** One row per recipient and week (the Monday it covers): a digest is sent once. */
export interface GovernanceDigestsSentTable {
  user_id: string
  week: string
  sent_at: Timestamp
}
