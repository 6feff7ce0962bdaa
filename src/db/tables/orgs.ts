import type { Bool, Timestamp } from '../column-types.js'

export interface OrganisationsTable {
  id: string
  slug: string
  name: string
  kind: string
  ods_code: string | null
  notes: string | null
  is_partner: Bool
  is_demo: Bool
  created_at: Timestamp
}
