import { sql, type ColumnDataType, type Expression, type Kysely } from 'kysely'

/**
 * Column types that differ between SQLite and PostgreSQL. Migrations use these and
 * nothing else from the application, so they stay frozen in time.
 */
export function types(dialect: 'sqlite' | 'postgres') {
  const pg = dialect === 'postgres'
  return {
    timestamp: (pg ? 'timestamptz' : 'text') as ColumnDataType,
    boolean: (pg ? 'boolean' : 'integer') as ColumnDataType,
    json: (pg ? 'jsonb' : 'text') as ColumnDataType,
    bigint: 'bigint' as ColumnDataType,
    false: (pg ? sql`false` : sql`0`) as Expression<unknown>,
    true: (pg ? sql`true` : sql`1`) as Expression<unknown>,
  }
}

export async function dialectOf(db: Kysely<unknown>): Promise<'sqlite' | 'postgres'> {
  const adapter = db.getExecutor().adapter
  return adapter.constructor.name.toLowerCase().includes('postgres') ? 'postgres' : 'sqlite'
}

/** An auto-incrementing integer primary key on either database. */
export function autoIdSql(dialect: 'sqlite' | 'postgres') {
  return dialect === 'postgres'
    ? sql`bigint generated always as identity primary key`
    : sql`integer primary key autoincrement`
}
