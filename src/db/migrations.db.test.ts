import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import pg from 'pg'
import { TEST_DATABASE_URL, openTestDatabase, testDialects } from '../testing/databases.js'
import { migrateAllDown, migrateDown, migrateToLatest } from './migrate.js'
import * as factories from './rows.js'
import { migrations } from './migrations/index.js'
import { read } from './database.js'
import { writeAudit } from '../audit/service.js'
import { RateLimiter } from '../auth/rate-limit.js'

/** Reverts migrations one at a time, newest first, until `name` is reverted (later ones come off first). */
async function downTo(database: Parameters<typeof migrateDown>[0], name: string): Promise<void> {
  for (let i = 0; i < Object.keys(migrations).length; i++) {
    const reverted = await migrateDown(database)
    assert.equal(reverted.length, 1, `one migration reverted at a time, on the way down to ${name}`)
    if (reverted[0] === `reverted ${name}`) return
  }
  assert.fail(`${name} was never reverted`)
}

for (const { dialect, skip } of await testDialects()) {
  describe(`database on ${dialect}`, { skip }, () => {
    test('every migration goes up, down and up again', async () => {
      const { database, cleanup } = await openTestDatabase(dialect, { migrate: false })
      try {
        const up = await migrateToLatest(database)
        assert.equal(up.length, Object.keys(migrations).length)
        const down = await migrateAllDown(database)
        assert.equal(down.length, Object.keys(migrations).length)
        const again = await migrateToLatest(database)
        assert.equal(again.length, Object.keys(migrations).length)
        assert.deepEqual(await migrateToLatest(database), [])
      } finally {
        await cleanup()
      }
    })

    test('unsubscribe links already sent keep working when their tokens move to one table', async () => {
      const { database, cleanup } = await openTestDatabase(dialect)
      try {
        const { db } = database
        await downTo(database, '2026-12-06T0910-one-unsubscribe-token-table')
        const user = factories.userRow({ email: 'tokens@example.invalid', name: 'Tess Tokens' })
        const network = factories.networkRow({ slug: 'token-net', name: 'Token network' })
        await db.insertInto('users').values(user).execute()
        await db.insertInto('networks').values(network).execute()
        const at = new Date().toISOString()
        await sql`insert into notification_unsubscribe_tokens (token_hash, user_id, kind, created_at, used_at)
          values ('n-hash', ${user.id}, 'project_team', ${at}, null)`.execute(db)
        await sql`insert into network_unsubscribe_tokens (token_hash, user_id, network_id, created_at, used_at)
          values ('w-hash', ${user.id}, ${network.id}, ${at}, ${at})`.execute(db)
        await migrateToLatest(database)
        const moved = await db
          .selectFrom('mail_unsubscribe_tokens')
          .select(['token_hash', 'user_id', 'list', 'used_at'])
          .orderBy('token_hash')
          .execute()
        assert.deepEqual(
          moved.map((r) => [r.token_hash, r.user_id, r.list, r.used_at === null]),
          [
            ['n-hash', user.id, 'project_team', true],
            ['w-hash', user.id, `network:${network.id}`, false],
          ],
        )
        // And back down: each token in its own table again.
        await downTo(database, '2026-12-06T0910-one-unsubscribe-token-table')
        const back = await sql<{ n: number }>`select (select count(*) from notification_unsubscribe_tokens
          where kind = 'project_team') + (select count(*) from network_unsubscribe_tokens
          where network_id = ${network.id}) as n`.execute(db)
        assert.equal(Number(back.rows[0].n), 2)
        await migrateToLatest(database)
      } finally {
        await cleanup()
      }
    })

    test('stored results keep their analysis when it moves to its own table, and when it moves back', async () => {
      const { database, cleanup } = await openTestDatabase(dialect)
      try {
        const { db } = database
        await downTo(database, '2026-12-07T0900-measure-result-views')
        const project = factories.projectRow({ title: 'Results on the move' })
        const measure = factories.measureRow({ project_id: project.id, name: 'Moved' })
        await db.insertInto('projects').values(project).execute()
        await db.insertInto('measures').values(measure).execute()
        const view = JSON.stringify({ summary: { points: 12, variationIcon: 'concern_high' } })
        const at = new Date().toISOString()
        await sql`insert into measure_results (measure_id, inputs_key, view, signal, computed_at)
          values (${measure.id}, 'key-1', ${view}, 'concern_high', ${at})`.execute(db)
        await migrateToLatest(database)
        const moved = await db
          .selectFrom('measure_results as r')
          .innerJoin('measure_result_views as v', 'v.measure_id', 'r.measure_id')
          .select(['r.inputs_key', 'r.signal', 'v.view'])
          .where('r.measure_id', '=', measure.id)
          .executeTakeFirstOrThrow()
        assert.deepEqual(moved, { inputs_key: 'key-1', signal: 'concern_high', view })
        await downTo(database, '2026-12-07T0900-measure-result-views')
        const back = await sql<{ view: string; signal: string }>`select view, signal from measure_results
          where measure_id = ${measure.id}`.execute(db)
        assert.deepEqual(back.rows, [{ view, signal: 'concern_high' }])
        await migrateToLatest(database)
      } finally {
        await cleanup()
      }
    })

    test('the audit log refuses updates and deletes', async () => {
      const { database, cleanup } = await openTestDatabase(dialect)
      try {
        const { db } = database
        await writeAudit(db, new Date().toISOString(), {
          actorId: null,
          actorLabel: 'test',
          action: 'test.write',
          entityType: 'test',
          after: { a: 1 },
        })
        await assert.rejects(db.updateTable('audit_log').set({ action: 'tampered' }).execute(), /append-only/)
        await assert.rejects(db.deleteFrom('audit_log').execute(), /append-only/)
        const rows = await db.selectFrom('audit_log').selectAll().execute()
        assert.equal(rows.length, 1)
        assert.equal(rows[0].action, 'test.write')
        assert.deepEqual(read.json(rows[0].after, null), { a: 1 })
      } finally {
        await cleanup()
      }
    })

    test('booleans, timestamps and counts read back alike', async () => {
      const { database, cleanup } = await openTestDatabase(dialect)
      try {
        const { db } = database
        const at = '2026-03-01T09:30:00.000Z'
        await db
          .insertInto('organisations')
          .values({
            id: 'o1',
            slug: 'o1',
            name: 'Org',
            kind: 'trust',
            ods_code: null,
            notes: null,
            is_partner: false,
            is_demo: true,
            created_at: at,
          })
          .execute()
        const row = await db.selectFrom('organisations').selectAll().executeTakeFirstOrThrow()
        assert.equal(read.bool(row.is_partner), false)
        assert.equal(read.bool(row.is_demo), true)
        assert.equal(row.created_at, at)
        const count = await db
          .selectFrom('organisations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
        assert.equal(read.num(count.n), 1)
        const found = await db.selectFrom('organisations').select('id').where('is_demo', '=', true).execute()
        assert.equal(found.length, 1)
        const result = await sql<{ one: number }>`select 1 as one`.execute(db)
        assert.equal(Number(result.rows[0].one), 1)
      } finally {
        await cleanup()
      }
    })

    test('the rate limiter counts within a window and starts again in the next', async () => {
      const { database, cleanup } = await openTestDatabase(dialect)
      try {
        let now = new Date('2026-01-01T10:00:00Z')
        const limiter = new RateLimiter(database.db, () => now)
        const limit = { max: 2, windowMs: 60_000 }
        assert.equal((await limiter.hit('k', limit)).allowed, true)
        assert.equal((await limiter.hit('k', limit)).allowed, true)
        const third = await limiter.hit('k', limit)
        assert.equal(third.allowed, false)
        assert.ok(third.retryAfterSeconds > 0 && third.retryAfterSeconds <= 60)
        assert.equal(await limiter.peek('k', limit), 3)
        now = new Date('2026-01-01T10:01:05Z')
        assert.equal((await limiter.hit('k', limit)).allowed, true)
        assert.equal(await limiter.peek('k', limit), 1)
      } finally {
        await cleanup()
      }
    })
  })
}

// PostgreSQL only: schemas of other databases coming and going in the same PostgreSQL database
// (tests run side by side, each in its own schema) must not break a migration here. SQLite has
// no schemas to share.
const postgres = (await testDialects()).find((d) => d.dialect === 'postgres')!
describe('migrations beside other schemas on postgres', { skip: postgres.skip }, () => {
  test('a migration is not upset by other schemas being created and dropped meanwhile', async () => {
    const churn = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await churn.connect()
    let running = true
    const churning = (async () => {
      for (let i = 0; running; i++) {
        const name = `churn_${process.pid}_${i}`
        await churn.query(`CREATE SCHEMA ${name}`)
        await churn.query(`CREATE TABLE ${name}.t (id serial primary key, a text, b int, c text)`)
        await churn.query(`DROP SCHEMA ${name} CASCADE`)
      }
    })()
    try {
      for (let round = 0; round < 4; round++) {
        const { database, cleanup } = await openTestDatabase('postgres', { migrate: false })
        try {
          for (let i = 0; i < 10; i++)
            await database.db.introspection.getTables({ withInternalKyselyTables: true })
          assert.equal((await migrateToLatest(database)).length, Object.keys(migrations).length)
        } finally {
          await cleanup()
        }
      }
    } finally {
      running = false
      await churning
      await churn.end()
    }
  })
})
