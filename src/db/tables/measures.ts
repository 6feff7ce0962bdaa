import type { Generated } from 'kysely'
import type { GeneratedBool, Json, Timestamp } from '../column-types.js'

export interface MeasuresTable {
  id: string
  project_id: string
  /** outcome | process | balancing */
  type: string
  name: string
  unit: Generated<string>
  numerator: Generated<string>
  denominator: Generated<string>
  inclusions: Generated<string>
  exclusions: Generated<string>
  source: Generated<string>
  sampling: Generated<string>
  frequency: Generated<string>
  collector: Generated<string>
  /** increase | decrease | neutral */
  direction: string
  target: number | null
  /** continuous | proportion | rate | count */
  data_kind: string
  /** null: suggested from the data kind and the number of points */
  chart_type: string | null
  multiplier: Generated<number>
  sort: Generated<number>
  is_demo: GeneratedBool
  version: Generated<number>
  /** Goes up with every change to the data points: charts are cached by it. */
  data_version: Generated<number>
  last_data_at: Timestamp | null
  created_by: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface MeasureDataPointsTable {
  measure_id: string
  /** YYYY-MM-DD */
  period: string
  value: number | null
  numerator: number | null
  denominator: number | null
  excluded: GeneratedBool
  exclusion_reason: string | null
  entered_by: string | null
  entered_at: Timestamp | null
  version: Generated<number>
}

export interface MeasureAnnotationsTable {
  id: string
  measure_id: string
  /** YYYY-MM-DD */
  date: string
  text: string
  pdsa_id: string | null
  is_rebase: GeneratedBool
  created_by: string | null
  created_at: Timestamp
}

export interface MeasureImportsTable {
  id: string
  measure_id: string
  user_id: string
  /** csv | xlsx | paste */
  source: string
  filename: Generated<string>
  /** string[][]: the file's cells as text */
  cells: Json
  /** string[]: what the reader noticed (formulas whose saved values were taken…) */
  notes: Json
  row_count: number
  replace_existing: GeneratedBool
  /** preview | committed | discarded */
  status: string
  created_at: Timestamp
  committed_at: Timestamp | null
}

/** A measure's stored SPC result (measures/result-repository.ts): the analysis and what it was computed from. */
export interface MeasureResultsTable {
  measure_id: string
  /** The measure's version, data version and rebases, as the result was computed from them. */
  inputs_key: string
  /** The variation icon when the latest point is a special cause (improvement_… or concern_…), else null. */
  signal: string | null
  computed_at: Timestamp
}

/** A stored result's analysis, apart from its narrow row (`measure_results`): read only when shown. */
export interface MeasureResultViewsTable {
  measure_id: string
  /** The analysis as viewers outside the team see it (MeasureChartView, JSON). */
  view: string
}
