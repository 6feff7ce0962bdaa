import type { Kysely, Transaction } from 'kysely'

export type DialectName = 'sqlite' | 'postgres'

const known = new WeakMap<object, DialectName>()

/**
 * Which database a Kysely instance or transaction talks to, read once per adapter. Services
 * see `Kysely<DB>`, not `Database`, so this is where they learn it: PostgreSQL needs explicit
 * row locks (SELECT … FOR UPDATE) where SQLite runs one write transaction at a time.
 */
export function dialectOf<T>(db: Kysely<T> | Transaction<T>): DialectName {
  const adapter = db.getExecutor().adapter
  let dialect = known.get(adapter)
  if (!dialect) {
    dialect = adapter.constructor.name.toLowerCase().includes('postgres') ? 'postgres' : 'sqlite'
    known.set(adapter, dialect)
  }
  return dialect
}

export function isPostgres<T>(db: Kysely<T> | Transaction<T>): boolean {
  return dialectOf(db) === 'postgres'
}
