import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// The variation icon of a stored result when its latest point is a special cause (improvement_…
// or concern_…), null otherwise, so the portfolio finds the measures showing special cause now
// with one indexed query instead of reading every measure's analysis. Existing rows are filled in
// from their stored analysis.

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  await db.schema.alterTable('measure_results').addColumn('signal', 'text').execute()
  const icon =
    dialect === 'postgres'
      ? sql`(view::json #>> '{summary,variationIcon}')`
      : sql`json_extract(view, '$.summary.variationIcon')`
  await sql`update measure_results set signal = ${icon}
    where ${icon} like 'improvement%' or ${icon} like 'concern%'`.execute(db)
  await db.schema.createIndex('measure_results_signal').on('measure_results').column('signal').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('measure_results_signal').execute()
  await db.schema.alterTable('measure_results').dropColumn('signal').execute()
}
