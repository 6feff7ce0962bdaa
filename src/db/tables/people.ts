import type { Generated } from 'kysely'
import type { GeneratedBool, Timestamp } from '../column-types.js'

export interface UsersTable {
  id: string
  email: string
  name: string
  password_hash: string | null
  organisation_id: string | null
  affiliation: string
  job_role: Generated<string>
  interests: Generated<string>
  bio: Generated<string>
  skills: Generated<string>
  qi_level: Generated<string>
  in_directory: GeneratedBool
  share_email: GeneratedBool
  share_organisation: GeneratedBool
  share_job_role: GeneratedBool
  share_bio: GeneratedBool
  share_skills: GeneratedBool
  is_partner: GeneratedBool
  email_verified_at: Timestamp | null
  org_verified_at: Timestamp | null
  org_verified_by: string | null
  is_demo: GeneratedBool
  disabled_at: Timestamp | null
  search_text: Generated<string>
  version: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
}

export interface RoleGrantsTable {
  id: string
  user_id: string
  role: string
  scope_type: string
  scope_id: Generated<string>
  granted_by: string | null
  created_at: Timestamp
}
