import type { ColumnType, Generated } from 'kysely'

/** SQLite stores 0/1, PostgreSQL true/false: read with `read.bool`. */
export type Bool = ColumnType<boolean | number, boolean, boolean>
/** A boolean column with a database default. */
export type GeneratedBool = ColumnType<boolean | number, boolean | undefined, boolean>
/** ISO 8601 text on SQLite, timestamptz on PostgreSQL (parsed back to ISO text). */
export type Timestamp = string
/** text on SQLite, jsonb on PostgreSQL: write JSON.stringify(...), read with `read.json`. */
export type Json = ColumnType<unknown, string, string>
export type AutoId = Generated<number>
