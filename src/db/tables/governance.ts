import type { Timestamp } from '../column-types.js'

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
