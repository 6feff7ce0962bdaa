import type { Generated } from 'kysely'
import type { Json, Timestamp } from '../column-types.js'

/** Primary and secondary drivers of a project's driver diagram. */
export interface DriversTable {
  id: string
  project_id: string
  /** 'primary' or 'secondary' */
  kind: string
  title: string
  position: number
  version: Generated<number>
  created_by: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

/** Secondary driver → its primary parents (one or more). */
export interface DriverParentsTable {
  secondary_id: string
  primary_id: string
}

export interface ChangeIdeasTable {
  id: string
  project_id: string
  title: string
  description: Generated<string>
  /** idea / testing / adopted / abandoned */
  status: string
  position: number
  version: Generated<number>
  created_by: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

/** Change idea ↔ driver (secondary, or primary). */
export interface ChangeIdeaDriversTable {
  change_idea_id: string
  driver_id: string
}

export interface PdsaCyclesTable {
  id: string
  project_id: string
  change_idea_id: string
  /** The cycle this one adapts (a ramp is the chain of previous_id links). */
  previous_id: string | null
  title: string
  /** planned / doing / studying / decided / closed */
  status: string
  objective: string
  prediction: string
  plan_who: Generated<string>
  plan_what: Generated<string>
  plan_when: Generated<string>
  plan_where: Generated<string>
  /** YYYY-MM-DD or null */
  planned_date: string | null
  data_to_collect: Generated<string>
  do_notes: Generated<string>
  do_start: string | null
  do_end: string | null
  findings: Generated<string>
  /** yes / no / partly */
  prediction_met: string | null
  /** adopt / adapt / abandon */
  decision: string | null
  decision_reason: Generated<string>
  decided_at: Timestamp | null
  closed_at: Timestamp | null
  version: Generated<number>
  created_by: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

/** PDSA cycle ↔ measure (measures.id, deliberately without a foreign key). */
export interface PdsaMeasuresTable {
  pdsa_id: string
  measure_id: string
}

/** A QI tool: fishbone, five_whys, process_map, stakeholders, sustainability. */
export interface ProjectToolsTable {
  id: string
  project_id: string
  type: string
  title: string
  data: Json
  version: Generated<number>
  created_by: string | null
  created_at: Timestamp
  updated_at: Timestamp
}
