import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely'

/**
 * `column LIKE '%term%'`, case-insensitive, with %, _ and \ in the term taken literally
 * on both databases. A column already stored lower-case (`lowerCased`) is compared as
 * it is, without a per-row lower().
 */
export function containsLike(
  column: Expression<unknown> | RawBuilder<unknown>,
  term: string,
  options: { lowerCased?: boolean } = {},
): RawBuilder<SqlBool> {
  const pattern = `%${term.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`
  if (options.lowerCased) return sql<SqlBool>`${column} like ${pattern} escape '\\'`
  return sql<SqlBool>`lower(${column}) like ${pattern} escape '\\'`
}
