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
      await dropSchema(schema)
    },
  }
}

/**
 * A stand-in for a PostgreSQL read replica: a new schema on the same server holding a copy of
 * the primary's tables and rows at this moment (no foreign keys or triggers: nothing writes to
 * it). Open it with `openDatabase({ …, databaseReadUrl: TEST_DATABASE_URL, readPgSchema })`;
 * it never sees later writes, as a replica that lags would not yet.
 */
export async function copyTestSchema(
  primary: TestDatabase,
): Promise<{ schema: string; cleanup: () => Promise<void> }> {
  if (!primary.pgSchema) throw new RangeError('only a PostgreSQL test database has a schema to copy')
  const from = primary.pgSchema
  const schema = `${from}_replica`
  await withClient(async (client) => {
    await client.query(`CREATE SCHEMA ${schema}`)
    const { rows } = await client.query<{ table: string; columns: string }>(
      `select c.table_name as table, string_agg(quote_ident(c.column_name), ', ' order by c.ordinal_position) as columns
       from information_schema.columns c join information_schema.tables t
         on t.table_schema = c.table_schema and t.table_name = c.table_name
       where c.table_schema = $1 and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
       group by c.table_name`,
      [from],
    )
    for (const { table, columns } of rows) {
      const name = `"${table.replaceAll('"', '""')}"`
      await client.query(`CREATE TABLE ${schema}.${name} (LIKE ${from}.${name} INCLUDING ALL)`)
      await client.query(
        `INSERT INTO ${schema}.${name} (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM ${from}.${name}`,
      )
    }
  })
  return { schema, cleanup: () => dropSchema(schema) }
}

async function withClient(work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await client.connect()
  try {
    await work(client)
  } finally {
    await client.end()
  }
}

function dropSchema(schema: string): Promise<void> {
  return withClient(async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  })
}
