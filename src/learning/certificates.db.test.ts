import { attendanceRow } from '../db/rows.js'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openTestDatabase, testDialects, type TestDatabase } from '../testing/databases.js'
import { ValidationError } from '../core/errors.js'
import { facultyAdmin, learningService, NOW, seedCohort, seedLearners } from './test-fixtures.js'

const DAY = 86_400_000
const session = (title: string, date: string) => ({
  title,
  date,
  startTime: '09:30',
  endTime: '12:30',
  venue: '',
  onlineUrl: '',
})

/** Honest certificates (issue 15): they say only what happened. */
for (const { dialect, skip } of await testDialects()) {
  describe(`honest certificates on ${dialect}`, { skip }, () => {
    let t: TestDatabase
    let now = NOW
    const admin = facultyAdmin()
    before(async () => {
      t = await openTestDatabase(dialect)
    })
    after(() => t?.cleanup())
    const service = () => learningService(t.database.db, () => now).learning

    const rejects = async (promise: Promise<unknown>, field: string, pattern: RegExp) => {
      await assert.rejects(promise, (e: unknown) => {
        assert.ok(e instanceof ValidationError, String(e))
        assert.match(e.fields[field] ?? '', pattern)
        return true
      })
    }

    test('a cohort with no sessions completes nobody', async () => {
      now = NOW
      const learning = service()
      const { cohortId } = await seedCohort(t.database.db, { id: 'empty', capacity: 5 })
      const [ann] = await seedLearners(t.database.db, 1, 'empty')
      await learning.enrolments.request(ann, cohortId)
      const page = await learning.completion.cohortAdmin(admin, cohortId)
      assert.equal(page.learners[0].progress.met, false)
      assert.equal(page.learners[0].progress.attendancePct, 0)
      await rejects(learning.completion.complete(admin, cohortId, true), 'close', /no sessions/)
      const certificates = await t.database.db.selectFrom('certificates').selectAll().execute()
      assert.equal(certificates.length, 0)
    })

    test('a register cannot be taken before its session starts; marks on sessions to come never count', async () => {
      now = NOW // Sunday 10 January 2027
      const learning = service()
      const { cohortId } = await seedCohort(t.database.db, { id: 'held', capacity: 5 })
      const [bo, cy] = await seedLearners(t.database.db, 2, 'held')
      for (const u of [bo, cy]) await learning.enrolments.request(u, cohortId)
      await learning.cohorts.saveSession(admin, { cohortId }, session('Day one', '2027-01-12'))
      await learning.cohorts.saveSession(admin, { cohortId }, session('Day two', '2027-01-19'))
      const [one, two] = (await learning.completion.cohortAdmin(admin, cohortId)).sessions
      assert.equal(one.started, false)

      const early = await learning.completion.register(admin, one.id)
      assert.match(early.notStarted ?? '', /once the session has started/)
      const enrolmentIds = early.rows.map((r) => r.enrolmentId)
      await rejects(learning.completion.saveRegister(admin, one.id, enrolmentIds), 'present', /has started/)
      assert.equal((await t.database.db.selectFrom('attendance').selectAll().execute()).length, 0)

      now = new Date('2027-01-12T10:00:00.000Z') // during day one
      assert.equal((await learning.completion.register(admin, one.id)).notStarted, null)
      await learning.completion.saveRegister(admin, one.id, enrolmentIds)
      // A mark written on day two before it starts (as the platform once allowed) is not attendance.
      await t.database.db
        .insertInto('attendance')
        .values(
          attendanceRow({
            session_id: two.id,
            enrolment_id: enrolmentIds[0],
            marked_by: admin.id,
            marked_at: now.toISOString(),
          }),
        )
        .execute()
      const page = await learning.completion.cohortAdmin(admin, cohortId)
      assert.deepEqual(
        page.learners.map((l) => l.progress.attendancePct),
        [50, 50],
      )
      assert.deepEqual(
        page.sessions.map((s) => s.started),
        [true, false],
      )
      await rejects(learning.completion.complete(admin, cohortId, false), 'close', /Day two is still to come/)
      assert.equal((await t.database.db.selectFrom('certificates').selectAll().execute()).length, 0)
    })

    test('after the last session, completion dates the certificate on the completion day', async () => {
      now = new Date('2027-01-20T15:00:00.000Z')
      const learning = service()
      const cohortId = 'held'
      const page = await learning.completion.cohortAdmin(admin, cohortId)
      const two = page.sessions[1]
      await learning.completion.saveRegister(admin, two.id, [page.learners[0].id])
      const result = await learning.completion.complete(admin, cohortId, true)
      // min attendance is 50%: both attended day one; the first learner day two as well.
      assert.deepEqual(result, { completed: 2, notCompleted: 0, waiting: 0 })
      const certs = await t.database.db.selectFrom('certificates').select(['issued_at']).execute()
      assert.equal(certs.length, 2)
      for (const c of certs) {
        assert.equal(new Date(String(c.issued_at)).toISOString(), now.toISOString())
        assert.ok(new Date(String(c.issued_at)) >= new Date(two.startsAt), 'not before the course was held')
      }
    })

    test('the approval queue lists only requests awaiting approval, never people already enrolled', async () => {
      now = NOW
      const learning = service()
      const open = await seedCohort(t.database.db, { id: 'open', capacity: 5 })
      const approval = await seedCohort(t.database.db, { id: 'approve', capacity: 5, requiresApproval: true })
      const [di, ed, flo] = await seedLearners(t.database.db, 3, 'queue')
      assert.equal(await learning.enrolments.request(di, open.cohortId), 'enrolled')
      const openPage = await learning.completion.cohortAdmin(admin, open.cohortId)
      assert.equal(openPage.learners.length, 1)
      assert.deepEqual(openPage.requests, [])

      assert.equal(await learning.enrolments.request(ed, approval.cohortId), 'requested')
      assert.equal(await learning.enrolments.request(flo, approval.cohortId), 'requested')
      const [first] = (await learning.completion.cohortAdmin(admin, approval.cohortId)).requests
      await learning.enrolments.decide(admin, first.id, 'approve')
      const approvalPage = await learning.completion.cohortAdmin(admin, approval.cohortId)
      assert.deepEqual(
        approvalPage.requests.map((r) => [r.name, r.status]),
        [['Learner queue 3', 'requested']],
      )
      now = new Date(NOW.getTime() + DAY)
    })
  })
}
