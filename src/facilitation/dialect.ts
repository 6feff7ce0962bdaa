import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../db/schema.js'

/** PostgreSQL needs explicit row locks (SELECT … FOR UPDATE); SQLite runs one write transaction at a time. */
export function isPostgres(db: Kysely<DB> | Transaction<DB>): boolean {
  return db.getExecutor().adapter.constructor.name.toLowerCase().includes('postgres')
}
