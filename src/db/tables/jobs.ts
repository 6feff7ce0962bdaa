import type { Generated } from 'kysely'
import type { Json, Timestamp } from '../column-types.js'

export interface JobsTable {
  id: string
  /** What to do: the name a handler is registered under (e.g. `showcase.thumbnail`). */
  kind: string
  /** With a key, one live (queued or running) job per kind and key. */
  dedupe_key: string | null
  /** Ids and options only, never free text: JSON. */
  payload: Json
  /** queued | running | done | failed */
  status: string
  attempts: Generated<number>
  max_attempts: number
  run_at: Timestamp
  locked_until: Timestamp | null
  /** The worker holding the lease: a finish from any other is refused. */
  locked_by: string | null
  last_error: string | null
  created_at: Timestamp
  finished_at: Timestamp | null
}
