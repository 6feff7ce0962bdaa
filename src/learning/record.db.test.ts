import { organisationRow } from '../db/rows.js'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { NOW } from './test-fixtures.js'

const external = {
  title: 'Improvement Fundamentals',
  provider: 'NHS England',
  level: 'foundation',
  completedOn: '2026-06-01',
  evidenceText: 'Certificate number IF-1234',
  evidenceUrl: '',
  facultyId: 'fac-qsir',
}

for (const { dialect, skip } of await testDialects()) {
  describe(`training records, dashboards and reminders on ${dialect}`, { skip }, () => {
    let t: TestApp
    before(async () => {
      t = await startTestApp(dialect, { clock: () => NOW })
    })
    after(() => t?.close())

    test('a learner sees their own record and links a project to their cohort', async () => {
      const leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      const record = await leo.get('/learning/record')
      assert.equal(h1(record.body), 'Your training record')
      assert.match(record.body, /QSIR Practitioner/)
      assert.match(record.body, /Highest level reached[\s\S]*None yet/)
      const tooLong = await leo.post('/learning/enrolments/enr-demo-leo-qsir/project', {
        link: 'elsewhere',
        projectRef: 'x'.repeat(301),
      })
      assert.equal(tooLong.statusCode, 400)
      assert.deepEqual(errorSummary(tooLong.body), ['Project reference must be 300 characters or fewer'])
      const saved = await leo.post('/learning/enrolments/enr-demo-leo-qsir/project', {
        link: 'elsewhere',
        projectRef: 'https://example.org/projects/falls',
      })
      assert.equal(saved.statusCode, 303)
      assert.match((await leo.get('/learning/record')).body, /https:\/\/example.org\/projects\/falls/)
      assert.equal(
        h1((await leo.get('/learning/enrolments/enr-demo-leo-qsir/project')).body),
        'Link your project',
      )
      const ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      await ada.get('/learning/record')
      assert.equal(
        (await ada.post('/learning/enrolments/enr-demo-leo-qsir/project', { link: 'none', projectRef: '' }))
          .statusCode,
        404,
      )
      const adaRecord = await ada.get('/learning/record')
      assert.match(adaRecord.body, /Bronze \(Awareness\)/)
      assert.doesNotMatch(adaRecord.body, /QSIR Practitioner/, 'records are private to their owner')
      assert.equal((await new TestBrowser(t.app).get('/learning/record')).statusCode, 303)
      const leoId = (
        await t.db.database.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', 'leo.learner@example.invalid')
          .executeTakeFirstOrThrow()
      ).id
      assert.equal((await ada.get(`/learning/people/${leoId}/record`)).statusCode, 403)
      const ivy = new TestBrowser(t.app)
      await ivy.signIn('ivy.infogov@example.invalid')
      const seen = await ivy.get(`/learning/people/${leoId}/record`)
      assert.equal(
        h1(seen.body),
        'Training record: Leo Learner (DEMO)',
        'platform admins may read any record',
      )
      assert.doesNotMatch(seen.body, /Link a project|Add training done elsewhere/)
    })

    test('training done elsewhere is added with evidence and verified by the chosen faculty only', async () => {
      const leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      await leo.get('/learning/record/external/new')
      const bad = await leo.post('/learning/record/external/new', {
        ...external,
        title: '',
        level: 'wizard',
        completedOn: '2030-01-01',
        evidenceText: '',
        facultyId: '',
      })
      assert.equal(bad.statusCode, 400)
      assert.deepEqual(errorSummary(bad.body), [
        'Enter the name of the training',
        'Select the level it reached',
        'Give your evidence: describe it, or add a link to it',
        'Select the faculty that should check it',
      ])
      const future = await leo.post('/learning/record/external/new', {
        ...external,
        completedOn: '2030-01-01',
      })
      assert.deepEqual(errorSummary(future.body), ['The date you completed it must be today or in the past'])
      assert.equal((await leo.post('/learning/record/external/new', external)).statusCode, 303)
      assert.match(
        (await leo.get('/learning/record')).body,
        /Waiting for Quality, Service Improvement and Redesign \(QSIR\) faculty to check it/,
      )
      const item = await t.db.database.db
        .selectFrom('external_training')
        .select('id')
        .where('title', '=', 'Improvement Fundamentals')
        .executeTakeFirstOrThrow()
      const ivyOrg = new TestBrowser(t.app)
      await ivyOrg.signIn('cara.cycle@example.invalid')
      await ivyOrg.get('/learning/record')
      assert.equal(
        (await ivyOrg.post(`/learning/external/${item.id}/review`, { decision: 'verified' })).statusCode,
        403,
      )
      const dev = new TestBrowser(t.app)
      await dev.signIn('dev.driver@example.invalid')
      const manage = await dev.get('/learning/faculties/qsir/manage')
      assert.match(manage.body, /Leo Learner \(DEMO\): Improvement Fundamentals/)
      assert.equal(
        (await dev.post(`/learning/external/${item.id}/review`, { decision: 'maybe' })).statusCode,
        400,
      )
      assert.equal(
        (await dev.post(`/learning/external/${item.id}/review`, { decision: 'verified', note: 'Checked' }))
          .statusCode,
        303,
      )
      assert.equal(
        (await dev.post(`/learning/external/${item.id}/review`, { decision: 'rejected' })).statusCode,
        400,
        'decided once',
      )
      const record = await leo.get('/learning/record')
      assert.match(record.body, /Highest level reached[\s\S]*Foundation/)
      const { items } = await t.services.mail.list({ to: 'leo.learner@example.invalid' })
      assert.ok(
        items.some((m) => m.kind === 'learning_external_reviewed' && /has been verified/.test(m.subject)),
      )
    })

    test('places cannot drop below the people already enrolled', async () => {
      for (const email of ['ben.baseline@example.invalid', 'gus.gateway@example.invalid']) {
        const b = new TestBrowser(t.app)
        await b.signIn(email)
        await b.get('/learning/courses/qsir-fundamentals')
        assert.equal((await b.post('/learning/cohorts/coh-qsir-fund-1/enrol', {})).statusCode, 303)
      }
      const dev = new TestBrowser(t.app)
      await dev.signIn('dev.driver@example.invalid')
      await dev.get('/learning/cohorts/coh-qsir-fund-1/edit')
      const res = await dev.post('/learning/cohorts/coh-qsir-fund-1/edit', {
        name: 'Next cohort (demo)',
        capacity: '1',
        closesDate: '2027-01-20',
        closesTime: '23:59',
        venue: '',
        onlineUrl: '',
        facilitators: '',
        version: '1',
      })
      assert.equal(res.statusCode, 400)
      assert.deepEqual(errorSummary(res.body), [
        'The number of places cannot be less than the 2 people already enrolled',
      ])
    })

    test('the faculty dashboard shows fill rates, waiting lists and completion, and exports safe CSV', async () => {
      const { db } = t.db.database
      await db
        .insertInto('organisations')
        .values(
          organisationRow({
            id: 'org-formula',
            slug: 'formula',
            name: '=HYPERLINK("http://evil.example")',
            is_demo: true,
            created_at: NOW.toISOString(),
          }),
        )
        .execute()
      await db
        .updateTable('users')
        .set({ organisation_id: 'org-formula' })
        .where('email', '=', 'gus.gateway@example.invalid')
        .execute()
      const dev = new TestBrowser(t.app)
      await dev.signIn('dev.driver@example.invalid')
      const page = await dev.get('/learning/faculties/qsir/dashboard')
      assert.equal(h1(page.body), 'Learning dashboard')
      assert.match(page.body, /QSIR Fundamentals: Next cohort \(demo\)/)
      assert.match(page.body, /2 of 20/)
      assert.match(page.body, /10%/)
      const filtered = await dev.get('/learning/faculties/qsir/dashboard?from=2027-03-01&to=2027-12-31')
      assert.doesNotMatch(filtered.body, /QSIR Fundamentals: Next cohort/)
      assert.match(filtered.body, /Autumn cohort/)
      const csv = await dev.get('/learning/faculties/qsir/dashboard.csv')
      assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
      assert.match(csv.body, /^\uFEFFCourse,Cohort,Starts,Period,Capacity/)
      assert.match(csv.body, /"'=HYPERLINK\(""http:\/\/evil.example""\)"/)
      assert.doesNotMatch(csv.body, /,=HYPERLINK/)
      const audit = await t.services.audit.search({ action: 'learning.dashboard_export' })
      assert.equal(audit.total, 1)
      const leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      assert.equal((await leo.get('/learning/faculties/qsir/dashboard')).statusCode, 403)
      assert.equal((await leo.get('/learning/faculties/qsir/dashboard.csv')).statusCode, 403)
    })

    test('reminders go once to everyone with a place, a day before each session', async () => {
      const spring = await t.db.database.db
        .selectFrom('cohort_sessions')
        .select('starts_at')
        .where('id', '=', 'coh-qsir-prac-spring-s1')
        .executeTakeFirstOrThrow()
      const dayBefore = new Date(new Date(spring.starts_at).getTime() - 20 * 3600_000)
      const first = await t.services.learning.sendDueReminders(dayBefore)
      assert.ok(first.sessions >= 1)
      const { items } = await t.services.mail.list({ to: 'leo.learner@example.invalid' })
      const reminder = items.find((m) => m.kind === 'learning_reminder')
      assert.ok(reminder)
      assert.match(reminder.subject, /^Reminder: Session 1: start out/)
      const again = await t.services.learning.sendDueReminders(dayBefore)
      assert.deepEqual(again, { sessions: 0, mails: 0 })
    })
  })
}
