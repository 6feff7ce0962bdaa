import type { Generated } from 'kysely'
import type { AutoId, Timestamp } from '../column-types.js'

/**
 * The resources library (issue 11 point 2): guides in our own words (`kind` 'guide', Markdown
 * body, a link into the tool in the app) and curated links to other publishers (`kind` 'link').
 */
export interface LibraryResourcesTable {
  id: string
  slug: string
  kind: string
  title: string
  summary: Generated<string>
  body_md: Generated<string>
  /** A curated link's address (null for a guide, or a link whose address is not published yet). */
  url: string | null
  publisher: Generated<string>
  /** YYYY-MM-DD: when someone last checked the link still works; null when never checked. */
  checked_on: string | null
  /** The tool in the app this guide leads to, and the link's words. */
  app_href: string | null
  app_text: Generated<string>
  /** A QSIR stage key (projects' QSIR_STAGES), or null for every stage. */
  qsir_stage: string | null
  audience: string
  /** Comma-wrapped, lower case: ",measures,charts," (a tag filter is one LIKE). */
  tags: Generated<string>
  sort: Generated<number>
  version: Generated<number>
  created_at: Timestamp
  updated_at: Timestamp
  updated_by: string | null
}

export interface LibraryResourceRevisionsTable {
  id: AutoId
  resource_id: string
  version: number
  title: string
  summary: Generated<string>
  body_md: Generated<string>
  url: string | null
  created_at: Timestamp
  author_id: string | null
}
