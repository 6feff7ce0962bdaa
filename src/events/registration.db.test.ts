import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { loadDemoContent } from '../demo/load.js'
import { MailService } from '../mail/service.js'
import { openTestDatabase, testDialects, type TestDatabase } from '../testing/databases.js'
import { TEST_PASSWORD } from '../testing/app.js'
import { ValidationError } from '../core/errors.js'
import { RegistrationService } from './registration-service.js'
import { insertEvent } from './repository.js'
import { addMembers } from './test-helpers.js'

const NOW = new Date('2026-12-01T10:00:00Z')

/**
 * The seed's largest programme gathered nearly 200 people. These tests fire sign-ups at the
 * same moment, through a pool of real connections on PostgreSQL, and check that nobody gets a
 * place beyond the capacity.
 */
for (const { dialect, skip } of await testDialects()) {
  describe(`concurrent registration on ${dialect}`, { skip }, () => {
    let tdb: TestDatabase
    let registrations: RegistrationService
    const eventFor = async (id: string, capacity: number) => {
      const row = {
        title: `Event ${id}`,
        description: '',
        format: 'virtual',
        venue: '',
        joiningDetails: 'Link',
        startsAt: '2026-12-20T10:00:00.000Z',
        endsAt: '2026-12-20T12:00:00.000Z',
        capacity,
        programmeId: null,
      }
      await insertEvent(
        tdb.database.db,
        id,
        row,
        (await tdb.database.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id,
        NOW.toISOString(),
      )
    }
    const statuses = async (eventId: string) => {
      const rows = await tdb.database.db
        .selectFrom('event_registrations')
        .select(['status', 'queue_no'])
        .where('event_id', '=', eventId)
        .execute()
      return {
        registered: rows.filter((r) => r.status === 'registered').length,
        waitlisted: rows.filter((r) => r.status === 'waitlisted').length,
        queue: rows.map((r) => Number(r.queue_no)),
      }
    }

    before(async () => {
      tdb = await openTestDatabase(dialect, { pgPoolSize: 20 })
      await loadDemoContent(tdb.database.db, { password: TEST_PASSWORD, clock: () => NOW })
      const mail = new MailService(tdb.database.db, {
        smtpUrl: null,
        from: 'test@example.invalid',
        guard: true,
        clock: () => NOW,
      })
      registrations = new RegistrationService(tdb.database.db, () => NOW, mail, 'http://localhost:3000')
    })
    after(() => tdb?.cleanup())

    test('200 people signing up at once for 150 places: exactly 150 get a place and 50 wait, in one queue', async () => {
      await eventFor('crowd-event', 150)
      const crowd = await addMembers(tdb.database.db, 200, 'crowd')
      const results = await Promise.all(crowd.map((m) => registrations.register(m, 'crowd-event', '')))
      assert.equal(results.filter((r) => r.status === 'registered').length, 150)
      assert.equal(results.filter((r) => r.status === 'waitlisted').length, 50)
      const positions = results
        .filter((r) => r.status === 'waitlisted')
        .map((r) => r.position!)
        .sort((a, b) => a - b)
      assert.deepEqual(
        positions,
        Array.from({ length: 50 }, (_, i) => i + 1),
      )
      const stored = await statuses('crowd-event')
      assert.equal(stored.registered, 150)
      assert.equal(stored.waitlisted, 50)
      assert.deepEqual(
        stored.queue.sort((a, b) => a - b),
        Array.from({ length: 200 }, (_, i) => i + 1),
      )
    })

    test('the same person pressing register twice at once gets one place and a clear refusal', async () => {
      await eventFor('twice-event', 5)
      const [person] = await addMembers(tdb.database.db, 1, 'twice')
      const results = await Promise.allSettled([
        registrations.register(person, 'twice-event', ''),
        registrations.register(person, 'twice-event', ''),
      ])
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
      assert.ok(refused.reason instanceof ValidationError)
      assert.equal(refused.reason.message, 'You are already registered for this event')
      assert.equal((await statuses('twice-event')).registered, 1)
    })

    test('cancellations and new sign-ups racing each other never take an event over its capacity', async () => {
      await eventFor('churn-event', 10)
      const first = await addMembers(tdb.database.db, 20, 'churn-a')
      for (const m of first) await registrations.register(m, 'churn-event', '')
      const late = await addMembers(tdb.database.db, 15, 'churn-b')
      await Promise.all([
        ...first.slice(0, 6).map((m) => registrations.cancel(m, 'churn-event')),
        ...late.map((m) => registrations.register(m, 'churn-event', '')),
      ])
      const stored = await statuses('churn-event')
      assert.equal(stored.registered, 10)
      assert.equal(stored.waitlisted, 20 + 15 - 6 - 10)
    })
  })
}
