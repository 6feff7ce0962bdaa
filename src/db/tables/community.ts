import type { Generated } from 'kysely'
import type { Json, Timestamp } from '../column-types.js'

export interface AimsTable {
  code: string
  group_code: string
  text: string
  sort: number
}

export interface FacultiesTable {
  id: string
  slug: string
  name: string
  host_organisation_id: string | null
  eligibility: Generated<string>
  offers: Generated<string>
  contact: string | null
  level_names: Json | null
  notes: string | null
  created_at: Timestamp
}

export interface ProgrammesTable {
  id: string
  slug: string
  name: string
  support: Generated<string>
  participants: string | null
  organisation_id: string | null
  created_at: Timestamp
}

export interface ResourcesTable {
  id: string
  slug: string
  title: string
  publisher_organisation_id: string | null
  url: string | null
  tags: Generated<string>
  created_at: Timestamp
}

export interface ContactRoutesTable {
  id: string
  purpose: string
  published_address: string | null
  demo_address: string
  sort: number
}

export interface SettingsTable {
  key: string
  value: string
  updated_at: Timestamp
}
