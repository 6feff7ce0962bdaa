import { cohortRow } from '../db/rows.js'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { read } from '../db/database.js'
import { openTestDatabase, testDialects, type TestDatabase } from '../testing/databases.js'
import { ValidationError } from '../core/errors.js'
import { facultyAdmin, learningService, seedCohort, seedLearners } from './test-fixtures.js'

for (const { dialect, skip } of await testDialects()) {
  describe(`enrolment and waiting lists on ${dialect}`, { skip }, () => {
    let t: TestDatabase
    before(async () => {
      t = await openTestDatabase(dialect, { pgPoolSize: 12 })
    })
    after(() => t?.cleanup())

    const statuses = async (cohortId: string) => {
      const rows = await t.database.db
        .selectFrom('enrolments')
        .select(['user_id', 'status', 'queue_no'])
        .where('cohort_id', '=', cohortId)
        .orderBy('queue_no')
        .execute()
      return rows.map((r) => ({ userId: r.user_id, status: r.status, queueNo: read.num(r.queue_no) }))
    }

    test('20 people asking at the same moment for 5 places: 5 enrolled, 15 waitlisted in a strict queue', async () => {
      const { db } = t.database
      const { cohortId } = await seedCohort(db, { id: 'race', capacity: 5 })
      const learners = await seedLearners(db, 20, 'race')
      const { learning } = learningService(db)
      const results = await Promise.allSettled(learners.map((u) => learning.enrolments.request(u, cohortId)))
      assert.deepEqual(
        results.filter((r) => r.status === 'rejected'),
        [],
      )
      const outcome = (results as PromiseFulfilledResult<string>[]).map((r) => r.value)
      assert.equal(outcome.filter((s) => s === 'enrolled').length, 5)
      assert.equal(outcome.filter((s) => s === 'waitlisted').length, 15)
      const rows = await statuses(cohortId)
      assert.equal(rows.filter((r) => r.status === 'enrolled').length, 5)
      assert.deepEqual(
        rows.map((r) => r.queueNo),
        Array.from({ length: 20 }, (_, i) => i + 1),
        'every request has its own place in the queue',
      )
      assert.deepEqual(
        [...new Set(rows.slice(0, 5).map((r) => r.status))],
        ['enrolled'],
        'the first five in the queue hold the places',
      )
      const cohort = await db
        .selectFrom('cohorts')
        .select(['enrolled_count', 'waitlisted_count'])
        .where('id', '=', cohortId)
        .executeTakeFirstOrThrow()
      assert.deepEqual([read.num(cohort.enrolled_count), read.num(cohort.waitlisted_count)], [5, 15])
    })

    test('the same person asking five times at once gets one place and a clear refusal for the rest', async () => {
      const { db } = t.database
      const { cohortId } = await seedCohort(db, { id: 'twice', capacity: 5 })
      const [leo] = await seedLearners(db, 1, 'twice')
      const { learning } = learningService(db)
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => learning.enrolments.request(leo, cohortId)),
      )
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
      for (const r of results.filter((x) => x.status === 'rejected')) {
        assert.ok(r.reason instanceof ValidationError)
        assert.equal(r.reason.message, 'You already have a place on this cohort.')
      }
      assert.equal((await statuses(cohortId)).length, 1)
    })

    test('one person asking at once for two cohorts of the same course gets one place only', async () => {
      const { db } = t.database
      const { cohortId, courseId } = await seedCohort(db, { id: 'pair-a', capacity: 5 })
      const at = new Date().toISOString()
      await db
        .insertInto('cohorts')
        .values(
          cohortRow({
            id: 'pair-b',
            course_id: courseId,
            name: 'Cohort pair-b',
            capacity: 5,
            enrolment_closes_at: '2027-02-01T17:00:00.000Z',
            created_at: at,
          }),
        )
        .execute()
      const [leo] = await seedLearners(db, 1, 'pair')
      const { learning } = learningService(db)
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => learning.enrolments.request(leo, i % 2 ? 'pair-b' : cohortId)),
      )
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
      for (const r of results.filter((x) => x.status === 'rejected'))
        assert.ok(r.reason instanceof ValidationError)
      const rows = await db
        .selectFrom('enrolments')
        .select('cohort_id')
        .where('user_id', '=', leo.id)
        .execute()
      assert.equal(rows.length, 1, 'one enrolment across both cohorts')
    })

    test('withdrawing frees the place for the first person waiting, who is told by e-mail', async () => {
      const { db } = t.database
      const { cohortId } = await seedCohort(db, { id: 'fifo', capacity: 2 })
      const people = await seedLearners(db, 5, 'fifo')
      const { learning, mail } = learningService(db)
      for (const p of people) await learning.enrolments.request(p, cohortId)
      const first = await db
        .selectFrom('enrolments')
        .select('id')
        .where('user_id', '=', people[0].id)
        .executeTakeFirstOrThrow()
      const result = await learning.enrolments.withdraw(people[0], first.id)
      assert.equal(result.promoted, 1)
      const rows = await statuses(cohortId)
      assert.equal(
        rows.find((r) => r.userId === people[2].id)!.status,
        'enrolled',
        'third in the queue, first on the waiting list',
      )
      assert.equal(rows.find((r) => r.userId === people[3].id)!.status, 'waitlisted')
      const { items } = await mail.list({ to: people[2].email })
      assert.ok(items.some((m) => m.kind === 'learning_promoted' && /A place has come up/.test(m.subject)))
      await assert.rejects(learning.enrolments.withdraw(people[0], first.id), /already ended/)
      await assert.rejects(learning.enrolments.withdraw(people[4], first.id), /only withdraw from your own/)
    })

    test('withdrawals and new requests racing never put more people in the cohort than it has places', async () => {
      const { db } = t.database
      const { cohortId } = await seedCohort(db, { id: 'churn', capacity: 5 })
      const people = await seedLearners(db, 15, 'churn')
      const { learning } = learningService(db)
      for (const p of people.slice(0, 10)) await learning.enrolments.request(p, cohortId)
      const leaving = await db
        .selectFrom('enrolments')
        .select(['id', 'user_id'])
        .where('cohort_id', '=', cohortId)
        .where('status', '=', 'enrolled')
        .limit(3)
        .execute()
      await Promise.all([
        ...leaving.map((e) =>
          learning.enrolments.withdraw(
            people.find((p) => p.id === e.user_id)!,
            e.id,
          ),
        ),
        ...people.slice(10).map((p) => learning.enrolments.request(p, cohortId)),
      ])
      const rows = await statuses(cohortId)
      assert.equal(rows.filter((r) => r.status === 'enrolled').length, 5)
      assert.equal(rows.filter((r) => r.status === 'waitlisted').length, 7)
      const waiting = rows.filter((r) => r.status === 'waitlisted').map((r) => r.queueNo)
      const enrolled = rows.filter((r) => r.status === 'enrolled').map((r) => r.queueNo)
      assert.ok(Math.max(...enrolled) < Math.min(...waiting), 'places went to the longest-waiting')
    })

    test('enrolment after the closing date is refused with the date', async () => {
      const { db } = t.database
      const { cohortId } = await seedCohort(db, {
        id: 'closed',
        capacity: 5,
        closesAt: '2027-01-09T17:00:00.000Z',
      })
      const [late] = await seedLearners(db, 1, 'late')
      const { learning } = learningService(db)
      await assert.rejects(learning.enrolments.request(late, cohortId), {
        message: 'Enrolment for this cohort closed on 9 January 2027 at 17:00.',
      })
    })

    test('courses that need approval: requested, then approved into a place or the waiting list', async () => {
      const { db } = t.database
      const { cohortId } = await seedCohort(db, { id: 'approve', capacity: 1, requiresApproval: true })
      const [a, b, c] = await seedLearners(db, 3, 'appr')
      const { learning, mail } = learningService(db)
      for (const p of [a, b, c]) assert.equal(await learning.enrolments.request(p, cohortId), 'requested')
      const ids = await db
        .selectFrom('enrolments')
        .select(['id', 'user_id'])
        .where('cohort_id', '=', cohortId)
        .orderBy('queue_no')
        .execute()
      const admin = facultyAdmin()
      assert.equal((await learning.enrolments.decide(admin, ids[0].id, 'approve')).status, 'enrolled')
      assert.equal((await learning.enrolments.decide(admin, ids[1].id, 'approve')).status, 'waitlisted')
      assert.equal((await learning.enrolments.decide(admin, ids[2].id, 'decline')).status, 'declined')
      await assert.rejects(learning.enrolments.decide(admin, ids[2].id, 'approve'), /already been decided/)
      await assert.rejects(
        learning.enrolments.decide(facultyAdmin('fac-other'), ids[1].id, 'approve'),
        /Only this faculty/,
      )
      assert.ok((await mail.list({ to: c.email })).items.some((m) => m.kind === 'learning_declined'))
    })

    test('capacity cannot go below the places taken; raising it fills from the waiting list', async () => {
      const { db } = t.database
      const { cohortId } = await seedCohort(db, { id: 'cap', capacity: 3 })
      const people = await seedLearners(db, 5, 'cap')
      const { learning } = learningService(db)
      for (const p of people) await learning.enrolments.request(p, cohortId)
      const form = {
        name: 'Cohort cap',
        closesDate: '2027-02-01',
        closesTime: '17:00',
        venue: '',
        onlineUrl: '',
        facilitators: '',
        version: 1,
      }
      await assert.rejects(
        learning.cohorts.updateCohort(facultyAdmin(), cohortId, { ...form, capacity: 2 }),
        { message: 'The number of places cannot be less than the 3 people already enrolled' },
      )
      await learning.cohorts.updateCohort(facultyAdmin(), cohortId, { ...form, capacity: 4 })
      assert.equal((await statuses(cohortId)).filter((r) => r.status === 'enrolled').length, 4)
      await assert.rejects(
        learning.cohorts.updateCohort(facultyAdmin(), cohortId, { ...form, capacity: 6 }),
        /changed this cohort/,
      )
    })
  })
}
