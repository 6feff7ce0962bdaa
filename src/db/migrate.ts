import { Migrator, type MigrationResultSet } from 'kysely/migration'
import type { Database } from './database.js'
import { migrationProvider } from './migrations/index.js'

function migrator(database: Database) {
  // Kysely looks for its own tables across every schema: pin them to ours, so that
  // databases in other schemas (tests run several at once) are not mistaken for this one.
  return new Migrator({
    db: database.db,
    provider: migrationProvider,
    ...(database.schema ? { migrationTableSchema: database.schema } : {}),
  })
}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    const reason = result.error instanceof Error ? result.error.message : JSON.stringify(result.error)
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${reason}`)
  }
  return (result.results ?? []).map(
    (r) => `${r.direction === 'Up' ? 'applied' : 'reverted'} ${r.migrationName}`,
  )
}

/** Brings the schema up to date. Safe to run from several instances: Kysely takes a lock. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  return check(await migrator(database).migrateToLatest())
}

export async function migrateDown(database: Database): Promise<string[]> {
  return check(await migrator(database).migrateDown())
}

export async function migrateAllDown(database: Database): Promise<string[]> {
  const { NO_MIGRATIONS } = await import('kysely/migration')
  return check(await migrator(database).migrateTo(NO_MIGRATIONS))
}
