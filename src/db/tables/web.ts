import type { Timestamp } from '../column-types.js'

/** One row per form submission key: see `once.ts`. */
export interface FormSubmissionsTable {
  /** SHA-256 of the browser's CSRF cookie, the key, the method and the path. */
  id: string
  created_at: Timestamp
  /** Where the first submission sent the browser; null while it is still being handled. */
  location: string | null
}
