import type { AutoId } from '../column-types.js'

/**
 * The site-wide search index (db/search-index.ts): written only by triggers on the source
 * tables. PostgreSQL adds a generated `document` tsvector (GIN); SQLite mirrors it into the
 * FTS5 table `search_fts` (read with raw SQL, so it has no type here).
 */
export interface SearchDocsTable {
  id: AutoId
  kind: string
  ref_id: string
  path: string
  title: string
  body: string
}
