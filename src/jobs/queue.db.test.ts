import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import { openDatabase, type Database } from '../db/database.js'
import type { DB } from '../db/schema.js'
import { TEST_DATABASE_URL, openTestDatabase, testDialects, type TestDatabase } from '../testing/databases.js'
import { JobQueue } from './queue.js'

/** A clock the test moves by hand. */
function handClock(start = Date.UTC(2027, 0, 10, 9)) {
  let now = start
  return { clock: () => new Date(now), advance: (ms: number) => (now += ms) }
}

/** What a handler stores: one settings row per job, so a second commit of the same job would fail. */
async function results(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom('settings')
    .select('key')
    .where('key', 'like', 'job:%')
    .orderBy('key')
    .execute()
  return rows.map((r) => r.key)
}

for (const { dialect, skip } of await testDialects()) {
  describe(`background jobs on ${dialect}`, { skip }, () => {
    let t: TestDatabase
    // A second app instance: its own pool on the same PostgreSQL schema (SQLite has one writer anyway).
    let other: Database | null = null
    let db: Kysely<DB>
    let otherDb: Kysely<DB>
    before(async () => {
      t = await openTestDatabase(dialect)
      db = t.database.db
      if (t.pgSchema)
        other = await openDatabase({ databaseUrl: TEST_DATABASE_URL, pgSchema: t.pgSchema, pgPoolSize: 5 })
      otherDb = other?.db ?? db
    })
    after(async () => {
      await other?.destroy()
      await t?.cleanup()
    })

    const store = (queue: JobQueue, kind: string, seen: string[] = []) =>
      queue.handle<{ n: number }>(kind, async (job, ctx) => {
        seen.push(job.id)
        await ctx.commit(async (trx) => {
          await trx
            .insertInto('settings')
            .values({
              key: `job:${kind}:${job.payload.n}`,
              value: job.id,
              updated_at: new Date().toISOString(),
            })
            .execute()
        })
      })

    test('a queued job runs once, stores its results and is done', async () => {
      const { clock } = handClock()
      const queue = new JobQueue(db, { clock })
      store(queue, 'once')
      const id = await queue.enqueue('once', { n: 1 })
      assert.equal((await queue.get(id))?.status, 'queued')
      assert.equal(await queue.runDue(), 1)
      assert.equal(await queue.runDue(), 0, 'nothing left')
      const job = await queue.get(id)
      assert.deepEqual([job?.status, job?.attempts, job?.payload], ['done', 1, { n: 1 }])
      assert.deepEqual(await results(db), ['job:once:1'])
      await queue.prune(new Date(clock().getTime() - 1000))
      assert.ok(await queue.get(id), 'kept while recent')
      await queue.prune(new Date(clock().getTime() + 1000))
      assert.equal(await queue.get(id), null, 'pruned once old')
    })

    test('a job for later waits until it is due', async () => {
      const { clock, advance } = handClock()
      const queue = new JobQueue(db, { clock })
      store(queue, 'later')
      await queue.enqueue('later', { n: 1 }, { runAt: new Date(clock().getTime() + 60_000) })
      assert.equal(await queue.runDue(), 0)
      advance(61_000)
      assert.equal(await queue.runDue(), 1)
    })

    test('the same key queues one job while it is still to run, and a new one after it is done', async () => {
      const { clock } = handClock()
      const queue = new JobQueue(db, { clock })
      const second = new JobQueue(otherDb, { clock })
      store(queue, 'keyed')
      const ids = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? second : queue).enqueue('keyed', { n: 1 }, { key: 'poster-7' }),
        ),
      )
      assert.equal(new Set(ids).size, 1, 'one job for eight requests, from two instances at once')
      await queue.runDue()
      const next = await queue.enqueue('keyed', { n: 2 }, { key: 'poster-7' })
      assert.notEqual(next, ids[0], 'a finished job frees its key')
    })

    test('a failing job is retried with back-off, then kept as failed with its error', async () => {
      const { clock, advance } = handClock()
      const queue = new JobQueue(db, { clock })
      let calls = 0
      queue.handle('flaky', async () => {
        calls++
        throw new Error(`thumbnail failed ${'x'.repeat(600)}`)
      })
      const id = await queue.enqueue('flaky', {}, { maxAttempts: 3 })
      assert.equal(await queue.runDue(), 1)
      let job = await queue.get(id)
      assert.deepEqual([job?.status, job?.attempts], ['queued', 1])
      assert.ok(job!.runAt > clock().toISOString(), 'not again at once')
      assert.equal(await queue.runDue(), 0, 'waits for its back-off')
      advance(31_000)
      assert.equal(await queue.runDue(), 1)
      advance(61_000)
      assert.equal(await queue.runDue(), 1)
      job = await queue.get(id)
      assert.deepEqual([job?.status, job?.attempts, calls], ['failed', 3, 3])
      assert.match(job!.lastError!, /^thumbnail failed x+$/)
      assert.equal(job!.lastError!.length, 500)
      assert.equal((await queue.counts()).failed, 1)
      advance(3_600_000)
      assert.equal(await queue.runDue(), 0, 'a failed job is not run again')
    })

    test('two instances share the queue: every job is done once, none twice', async () => {
      const { clock } = handClock()
      const a = new JobQueue(db, { clock, workerId: 'a' })
      const b = new JobQueue(otherDb, { clock, workerId: 'b' })
      const seenA: string[] = []
      const seenB: string[] = []
      store(a, 'shared', seenA)
      store(b, 'shared', seenB)
      for (let n = 0; n < 40; n++) await a.enqueue('shared', { n })
      const [ranA, ranB] = await Promise.all([a.runDue(100), b.runDue(100)])
      assert.equal(ranA + ranB, 40)
      assert.equal(new Set([...seenA, ...seenB]).size, 40, 'no job handled twice')
      assert.equal(seenA.length + seenB.length, 40)
      assert.equal((await results(db)).filter((k) => k.startsWith('job:shared:')).length, 40)
      const left = await db
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', 'shared')
        .where('status', '!=', 'done')
        .execute()
      assert.deepEqual(left, [], 'every shared job is done')
    })

    test('a worker that stops mid-job loses its lease; the job is done once by the next', async () => {
      const { clock, advance } = handClock()
      const a = new JobQueue(db, { clock, workerId: 'slow', leaseMs: 60_000 })
      const b = new JobQueue(otherDb, { clock, workerId: 'next', leaseMs: 60_000 })
      let release!: () => void
      const stuck = new Promise<void>((resolve) => (release = resolve))
      let started!: () => void
      const running = new Promise<void>((resolve) => (started = resolve))
      let lostLease = false
      a.handle<{ n: number }>('lease', async (job, ctx) => {
        started()
        await stuck
        lostLease = ctx.leaseLeft() === 0
        await ctx.commit(async (trx) => {
          await trx
            .insertInto('settings')
            .values({ key: 'job:lease:slow', value: job.id, updated_at: '' })
            .execute()
        })
      })
      store(b, 'lease')
      const id = await a.enqueue('lease', { n: 1 })
      const slow = a.runOne()
      await running
      assert.equal(await b.runDue(), 0, 'the lease still holds')
      advance(61_000)
      assert.equal(await b.runDue(), 1, 'the lapsed lease is taken over')
      release()
      assert.equal(await slow, true)
      assert.ok(lostLease)
      const job = await a.get(id)
      assert.deepEqual([job?.status, job?.attempts], ['done', 2])
      const stored = (await results(db)).filter((k) => k.startsWith('job:lease:'))
      assert.deepEqual(stored, ['job:lease:1'], 'only the worker holding the lease committed')
    })
  })
}
