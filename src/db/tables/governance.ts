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
