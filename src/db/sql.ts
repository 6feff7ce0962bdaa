import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely'

/** `column LIKE '%term%'` (case-insensitive on lower-cased input), with %, _ and \ in the term taken literally on both databases. */
export function containsLike(
  column: Expression<unknown> | RawBuilder<unknown>,
  term: string,
): RawBuilder<SqlBool> {
  const pattern = `%${term.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`
  return sql<SqlBool>`lower(${column}) like ${pattern} escape '\\'`
}
