import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type Database, type Dialect } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

let pgAvailable: Promise<boolean> | null = null

async function checkPostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('select 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
}

/**
 * The dialects database tests run on. PostgreSQL is always included in CI: when it
 * cannot be reached there, the tests fail rather than skip. Outside CI a missing
 * PostgreSQL is reported as a skip with the reason.
 */
export async function testDialects(): Promise<{ dialect: Dialect; skip: string | false }[]> {
  pgAvailable ??= checkPostgres()
  const ok = await pgAvailable
  const inCi = process.env.CI === 'true' || process.env.CI === '1'
  return [
    { dialect: 'sqlite', skip: false },
    {
      dialect: 'postgres',
      skip: ok || inCi ? false : `PostgreSQL not reachable at ${TEST_DATABASE_URL} (set TEST_DATABASE_URL)`,
    },
  ]
}

export interface TestDatabase {
  database: Database
  /** The PostgreSQL schema (null on SQLite): another pool opened on it with `openDatabase` sees the same data. */
  pgSchema: string | null
  cleanup: () => Promise<void>
}

/** A fresh, migrated database: SQLite in memory, or a new PostgreSQL schema dropped afterwards. */
export async function openTestDatabase(
  dialect: Dialect,
  options: { migrate?: boolean; pgPoolSize?: number } = {},
): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const database = await openDatabase({ sqliteFile: ':memory:' })
    if (options.migrate !== false) await migrateToLatest(database)
    return { database, pgSchema: null, cleanup: () => database.destroy() }
  }
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`
  const database = await openDatabase({
    databaseUrl: TEST_DATABASE_URL,
    pgSchema: schema,
    pgPoolSize: options.pgPoolSize ?? 5,
  })
  if (options.migrate !== false) await migrateToLatest(database)
  return {
    database,
    pgSchema: schema,
    async cleanup() {
      await database.destroy()
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
      await client.connect()
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      } finally {
        await client.end()
      }
    },
  }
}
