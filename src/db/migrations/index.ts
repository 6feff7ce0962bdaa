import type { Migration, MigrationProvider } from 'kysely'
import * as createFoundation from './2026-11-26T0930-create-foundation.js'

/** Every migration, in order. Add new files here; never edit a released one. */
export const migrations: Record<string, Migration> = {
  '2026-11-26T0930-create-foundation': createFoundation,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
