import type { Generated } from 'kysely'
import type { AutoId, Timestamp } from '../column-types.js'

export interface PagesTable {
  slug: string
  title: string
  summary: Generated<string>
  body_md: string
  version: Generated<number>
  updated_at: Timestamp
  updated_by: string | null
}

export interface PageRevisionsTable {
  id: AutoId
  slug: string
  version: number
  title: string
  summary: Generated<string>
  body_md: string
  created_at: Timestamp
  author_id: string | null
}

export interface EnquiriesTable {
  id: string
  created_at: Timestamp
  name: string
  email: string
  organisation: Generated<string>
  topic: string
  message: string
  status: Generated<string>
  handled_by: string | null
  handled_at: Timestamp | null
}
