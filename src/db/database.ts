import { mkdirSync } from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  sql,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type DatabaseMetadataOptions,
  type Driver,
  type QueryResult,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely'
import type { DB } from './schema.js'

export type Dialect = 'sqlite' | 'postgres'

export interface Database {
  /** The primary: every write, and every read that is not one of the lists below. */
  db: Kysely<DB>
  /**
   * Where the read-heavy lists may read (the project list and search, the directory, the
   * learning catalogue, the events list): a pool on DATABASE_READ_URL, a replica that may lag
   * the primary by a moment; the primary itself when there is none, and always on SQLite.
   */
  reader: Kysely<DB>
  dialect: Dialect
  /** Human-readable location (file path or URL without password). */
  location: string
  /** PostgreSQL schema when one was chosen (tests); migrations keep their tables there. */
  schema?: string
  destroy(): Promise<void>
}

export interface DatabaseOptions {
  /** postgres://… switches to PostgreSQL; otherwise SQLite. */
  databaseUrl?: string | null
  /** SQLite file, or ':memory:'. */
  sqliteFile?: string
  /** PostgreSQL schema (search_path) to use; created when missing. Tests use one schema each. */
  pgSchema?: string
  pgPoolSize?: number
  /** postgres://… of a read replica (DATABASE_READ_URL); only with databaseUrl. */
  databaseReadUrl?: string | null
  /** The replica's schema (tests: a copy of the primary's schema on the same server); not created. */
  readPgSchema?: string
}

/**
 * Which pool a read-heavy list reads from: `replica` (database.reader) for visitors and for
 * people who have not written lately, `primary` for someone who has just written, so they see
 * what they wrote (web/ decides per request: `request.readFrom`).
 */
export type ReadFrom = 'primary' | 'replica'

/** The pool for a read from `from`: the reader for `replica`, the primary otherwise. */
export function poolFor(primary: Kysely<DB>, reader: Kysely<DB>, from: ReadFrom): Kysely<DB> {
  return from === 'replica' ? reader : primary
}

/**
 * better-sqlite3 rejects JS booleans and Dates as parameters: convert them once here
 * so services can pass the same values to either database.
 */
function sqliteParameter(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Date) return value.toISOString()
  return value
}

/** Prepared statements kept per SQL text: preparing costs more than running most of our queries. */
class StatementCache {
  private readonly statements = new Map<string, SQLite.Statement>()

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly max = 1000,
  ) {}

  get(sql: string): SQLite.Statement {
    let statement = this.statements.get(sql)
    if (statement) return statement
    statement = this.sqlite.prepare(sql)
    // Oldest first out (a Map iterates in insertion order); SQL built with a varying number of
    // parameters makes many texts that are each used rarely.
    if (this.statements.size >= this.max) this.statements.delete(this.statements.keys().next().value!)
    this.statements.set(sql, statement)
    return statement
  }
}

class SqliteSafeDialect extends SqliteDialect {
  private readonly cache: StatementCache

  constructor(private readonly sqlite: SQLite.Database) {
    super({ database: sqlite })
    this.cache = new StatementCache(sqlite)
  }

  override createDriver(): Driver {
    const driver = super.createDriver()
    const acquire = driver.acquireConnection.bind(driver)
    const cache = this.cache
    driver.acquireConnection = async (): Promise<DatabaseConnection> => {
      const connection = await acquire()
      return {
        // As Kysely's own SQLite connection does, with a statement from the cache. One
        // connection runs one query at a time and `all`/`run` finish before returning, so a
        // cached statement is never busy when it is used again.
        executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
          const statement = cache.get(compiled.sql)
          const parameters = compiled.parameters.map(sqliteParameter)
          if (statement.reader) return Promise.resolve({ rows: statement.all(parameters) as R[] })
          const { changes, lastInsertRowid } = statement.run(parameters)
          return Promise.resolve({
            numAffectedRows: BigInt(changes),
            insertId: BigInt(lastInsertRowid),
            rows: [],
          })
        },
        streamQuery<R>(compiled: CompiledQuery, chunkSize: number) {
          return connection.streamQuery<R>(
            { ...compiled, parameters: compiled.parameters.map(sqliteParameter) },
            chunkSize,
          )
        },
      }
    }
    return driver
  }
}

/**
 * Kysely's PostgreSQL introspector reads every schema of the database and, per column, parses
 * "schema.table" again (pg_get_serial_sequence): when another process drops its schema in
 * between (tests run side by side, each in its own schema), the query fails with "schema …
 * does not exist". The migrator only asks whether its schema and tables exist, so a database
 * opened on its own schema looks at that schema alone. Columns are not listed (nothing uses them).
 */
class OwnSchemaIntrospector implements DatabaseIntrospector {
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly schema: string,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{
      name: string
    }>`select nspname as name from pg_namespace where nspname = ${this.schema}`.execute(this.db)
    return rows
  }

  async getTables(
    options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
  ): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; kind: string }>`
      select c.relname as name, c.relkind as kind from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${this.schema} and c.relkind in ('r', 'v', 'p')`.execute(this.db)
    return rows
      .filter((r) => options.withInternalKyselyTables || !r.name.startsWith('kysely_'))
      .map((r) => ({
        name: r.name,
        schema: this.schema,
        isView: r.kind === 'v',
        isForeign: false,
        columns: [],
      }))
  }
}

class OwnSchemaPostgresDialect extends PostgresDialect {
  constructor(
    pool: pg.Pool,
    private readonly schema: string,
  ) {
    super({ pool })
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new OwnSchemaIntrospector(db, this.schema)
  }
}

/** pg returns int8/numeric as strings and timestamps as Dates; make both databases answer alike. */
const pgTypes = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    switch (oid) {
      case 20: // int8 (count(*))
      case 1700: // numeric (avg, sum)
        return (v: string) => Number(v)
      case 1184: // timestamptz
      case 1114: // timestamp
        return (v: string) =>
          new Date(
            v.includes('T') || v.endsWith('Z') ? v : v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'),
          ).toISOString()
      case 1082: // date
        return (v: string) => v
      default:
        return pg.types.getTypeParser(oid, format as 'text')
    }
  },
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return 'postgres://…'
  }
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const schema = options.pgSchema
    if (schema) {
      if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new RangeError(`invalid schema name ${schema}`)
      const client = new pg.Client({ connectionString: options.databaseUrl })
      await client.connect()
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
      } finally {
        await client.end()
      }
    }
    // One pool for the primary and, with DATABASE_READ_URL, one for the replica.
    // JIT off: our queries are short, and PostgreSQL compiles any plan its estimate calls
    // expensive (a search's union of per-kind branches, a report's aggregates), which cost 0.5 s
    // per query on this 2-core machine for a query that then ran in 10 ms.
    const pool = (url: string, searchPath: string | undefined) =>
      new pg.Pool({
        connectionString: url,
        max: options.pgPoolSize ?? 10,
        types: pgTypes,
        options: ['-c jit=off', ...(searchPath ? [`-c search_path=${searchPath}`] : [])].join(' '),
      })
    const kysely = (url: string, searchPath: string | undefined) =>
      new Kysely<DB>({
        dialect: searchPath
          ? new OwnSchemaPostgresDialect(pool(url, searchPath), searchPath)
          : new PostgresDialect({ pool: pool(url, searchPath) }),
      })
    const readSchema = options.readPgSchema
    if (readSchema && !/^[a-z_][a-z0-9_]*$/.test(readSchema))
      throw new RangeError(`invalid schema name ${readSchema}`)
    const db = kysely(options.databaseUrl, schema)
    const reader = options.databaseReadUrl ? kysely(options.databaseReadUrl, readSchema) : db
    return {
      db,
      reader,
      dialect: 'postgres',
      location: redactUrl(options.databaseUrl),
      schema,
      destroy: async () => {
        await Promise.all([db.destroy(), reader === db ? undefined : reader.destroy()])
      },
    }
  }
  const file = options.sqliteFile ?? ':memory:'
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true })
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('synchronous = NORMAL')
  const db = new Kysely<DB>({ dialect: new SqliteSafeDialect(sqlite) })
  return { db, reader: db, dialect: 'sqlite', location: file, destroy: () => db.destroy() }
}

/** Normalises the few values that differ between the two drivers. */
export const read = {
  bool: (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't',
  json: <T>(v: unknown, fallback: T): T => {
    if (v === null || v === undefined) return fallback
    if (typeof v === 'string') {
      try {
        return JSON.parse(v) as T
      } catch {
        return fallback
      }
    }
    return v as T
  },
  num: (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0)),
  numOrNull: (v: unknown): number | null => (v === null || v === undefined ? null : Number(v)),
}

export const nowIso = (clock: () => Date = () => new Date()): string => clock().toISOString()
