import type { AutoId, Json, Timestamp } from '../column-types.js'

export interface AuditLogTable {
  id: AutoId
  at: Timestamp
  actor_id: string | null
  actor_label: string
  action: string
  entity_type: string
  entity_id: string | null
  ip: string | null
  before: Json | null
  after: Json | null
}
