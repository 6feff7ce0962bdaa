import { supportRequestRow } from '../../db/rows.js'
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { read } from '../../db/database.js'
import { openTestDatabase, testDialects } from '../../testing/databases.js'
import { SCALE_NAMES, suggestedPriority, suggestedPrioritySql } from './priority-score.js'

const TODAY = '2026-12-01'
const day = (n: number) =>
  new Date(Date.parse(`${TODAY}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

for (const { dialect, skip } of await testDialects()) {
  describe(`suggested priority in SQL on ${dialect}`, { skip }, () => {
    test('the database orders the queue with exactly the documented formula, edges included', async () => {
      const { database, cleanup } = await openTestDatabase(dialect)
      try {
        const { db } = database
        const now = `${TODAY}T10:00:00.000Z`
        await db
          .insertInto('system_priorities')
          .values(
            [0, 1, 2].map((i) => ({
              id: `p${i}`,
              name: `Priority ${i}`,
              owner: 'SG',
              created_at: now,
              updated_at: now,
            })),
          )
          .execute()
        const offsets = [-10, 0, 27, 28, 29, 55, 56, 57, 90, 91, 92, 200]
        const cases = offsets.flatMap((offset, i) =>
          SCALE_NAMES.map((scale, j) => ({
            id: `r-${i}-${j}`,
            scale,
            startDate: day(offset),
            tags: (i + j) % 4,
          })),
        )
        await db
          .insertInto('support_requests')
          .values(
            cases.map((c) =>
              supportRequestRow({
                id: c.id,
                title: c.id,
                need: 'n',
                scale: c.scale,
                start_date: c.startDate,
                end_date: c.startDate,
                priority_count: Math.min(c.tags, 3),
                created_at: now,
              }),
            ),
          )
          .execute()
        const tags = cases.flatMap((c) =>
          Array.from({ length: Math.min(c.tags, 3) }, (_, k) => ({ request_id: c.id, priority_id: `p${k}` })),
        )
        await db.insertInto('support_request_priorities').values(tags).execute()
        const rows = await db
          .selectFrom('support_requests as r')
          .select(['r.id', suggestedPrioritySql(TODAY).as('score')])
          .execute()
        assert.equal(rows.length, cases.length)
        for (const c of cases) {
          const expected = suggestedPriority(
            { priorityCount: Math.min(c.tags, 3), scale: c.scale, startDate: c.startDate },
            TODAY,
          ).total
          const got = read.num(rows.find((r) => r.id === c.id)!.score)
          assert.equal(got, expected, `${c.id}: ${c.scale}, starts ${c.startDate}, ${c.tags} tags`)
        }
      } finally {
        await cleanup()
      }
    })
  })
}
