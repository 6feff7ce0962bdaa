import type { Generated } from 'kysely'
import type { GeneratedBool, Timestamp } from '../column-types.js'

/** A named showing of posters (an event such as a launch) or an open collection. */
export interface ShowcaseOccasionsTable {
  id: string
  slug: string
  title: string
  /** 'YYYY-MM' when only the month is known (the seed's "May 2024"). */
  month: string | null
  /** 'event' (dates, maybe a vote) or 'collection' (open, undated). */
  kind: Generated<string>
  summary: Generated<string>
  starts_on: string | null
  ends_on: string | null
  voting_opens_at: Timestamp | null
  voting_closes_at: Timestamp | null
  /** 'open' or 'closed' (the Steering Group closed it; voting is over). */
  status: Generated<string>
  closed_at: Timestamp | null
  created_by: string | null
  created_at: Timestamp | null
}

/** A poster. `status`: awaiting_files (seeded, "poster to come"), draft, submitted, returned, approved, withdrawn. */
export interface ShowcaseItemsTable {
  id: string
  slug: string
  title: string
  occasion_id: string | null
  funder_organisation_id: string | null
  scheme: string | null
  funded_year: number | null
  external_url: string | null
  status: string
  /** 'public' (anyone) or 'community' (signed-in members), once approved. */
  visibility: string
  created_at: Timestamp
  summary: Generated<string>
  project_id: string | null
  programme_id: string | null
  funder: string | null
  year: number | null
  created_by: string | null
  updated_at: Timestamp | null
  submitted_at: Timestamp | null
  submitted_by: string | null
  decided_at: Timestamp | null
  decided_by: string | null
  decision_comment: string | null
  /** none, processing (the background job has it), ready, failed. */
  file_status: Generated<string>
  file_error: string | null
  /** 'pdf' or 'image'. */
  file_kind: string | null
  file_name: string | null
  nobody_identifiable: GeneratedBool
  consent_confirmed_at: Timestamp | null
  consent_confirmed_by: string | null
  /** Title and summary, lower-cased: what the gallery's search reads. */
  search_text: Generated<string>
  version: Generated<number>
}

export interface ShowcaseCategoriesTable {
  id: string
  occasion_id: string
  name: string
  sort: number
}

export interface ShowcaseItemOrganisationsTable {
  item_id: string
  organisation_id: string
}

export interface ShowcaseItemAimCodesTable {
  item_id: string
  aim_code: string
}

/** `role`: original (as uploaded, until checked), poster (offered for download), preview, thumbnail. */
export interface ShowcaseFilesTable {
  id: string
  item_id: string
  role: string
  content_type: string
  byte_size: number
  width: number | null
  height: number | null
  bytes: Buffer
  created_at: Timestamp
}

export interface ShowcaseConsentsTable {
  id: string
  item_id: string
  person_name: string
  /** 'shown', 'quoted' or 'shown_and_quoted'. */
  appears_as: string
  /** 'written', 'email', 'verbal_recorded'. */
  method: string
  given_on: string
  recorded_by: string | null
  recorded_at: Timestamp
  withdrawn_at: Timestamp | null
  withdrawn_by: string | null
}

export interface ShowcaseVotesTable {
  id: string
  occasion_id: string
  category_id: string
  voter_id: string
  item_id: string
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ShowcaseJudgesTable {
  occasion_id: string
  user_id: string
}

export interface ShowcaseCriteriaTable {
  id: string
  occasion_id: string
  name: string
  max_score: number
  sort: number
}

export interface ShowcaseScoresTable {
  id: string
  occasion_id: string
  criterion_id: string
  judge_id: string
  item_id: string
  score: number
  updated_at: Timestamp
}
