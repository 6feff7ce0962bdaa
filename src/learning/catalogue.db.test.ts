import { courseRow } from '../db/rows.js'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { NOW } from './test-fixtures.js'

const course = (o: Record<string, string | string[]> = {}) => ({
  title: 'Measurement for improvement',
  summary: 'Run charts and SPC for teams.',
  level: 'foundation',
  mode: 'online',
  eligibility: 'all',
  minAttendancePct: '100',
  published: 'on',
  version: '0',
  ...o,
})

for (const { dialect, skip } of await testDialects()) {
  describe(`learning catalogue and course administration on ${dialect}`, { skip }, () => {
    let t: TestApp
    before(async () => {
      t = await startTestApp(dialect, { clock: () => NOW })
    })
    after(() => t?.close())

    test('the public catalogue lists courses and filters by faculty, level and mode without JavaScript', async () => {
      const anon = new TestBrowser(t.app)
      const all = await anon.get('/learning')
      assert.equal(h1(all.body), 'Learning')
      for (const title of ['QSIR Practitioner', 'GSQIA Bronze', 'Productive General Practice Quick Start'])
        assert.match(all.body, new RegExp(title))
      const qsir = await anon.get('/learning?faculty=qsir')
      assert.match(qsir.body, /QSIR Fundamentals/)
      assert.doesNotMatch(qsir.body, /GSQIA Bronze/)
      const awareness = await anon.get('/learning?level=awareness')
      assert.match(awareness.body, /Bronze \(Awareness\)/)
      assert.doesNotMatch(awareness.body, /QSIR Practitioner/)
      assert.doesNotMatch((await anon.get('/learning?mode=online')).body, /QSIR Practitioner/)
      assert.match((await anon.get('/learning?faculty=nowhere')).body, /No courses match your choices/)
    })

    test('"open to me" keeps the courses a learner may join, and says why others are closed', async () => {
      const leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      const mine = await leo.get('/learning?open=on')
      assert.match(mine.body, /QSIR Fundamentals/)
      assert.match(mine.body, /Productive General Practice Quick Start/)
      assert.doesNotMatch(mine.body, /GSQIA Bronze/)
      const all = await leo.get('/learning')
      assert.match(
        all.body,
        /This course is only for people who work for Gloucestershire Hospitals NHS Foundation Trust/,
      )
    })

    test('each faculty has a public page with its host, who may attend, admins and courses', async () => {
      const anon = new TestBrowser(t.app)
      const page = await anon.get('/learning/faculties/gsqia')
      assert.equal(h1(page.body), 'Gloucestershire Safety and Quality Improvement Academy (GSQIA)')
      assert.match(page.body, /Gloucestershire Hospitals NHS Foundation Trust/)
      assert.match(page.body, /people who work for Gloucestershire Hospitals/)
      assert.match(page.body, /GSQIA Silver/)
      assert.doesNotMatch(page.body, /Manage courses/)
      assert.match((await anon.get('/learning/faculties/qsir')).body, /Dev Driver \(DEMO\)/)
      assert.equal((await anon.get('/learning/faculties/nowhere')).statusCode, 404)
    })

    test('faculty admins manage only their own faculty; learners and visitors cannot', async () => {
      const dev = new TestBrowser(t.app)
      await dev.signIn('dev.driver@example.invalid')
      assert.equal((await dev.get('/learning/faculties/qsir/manage')).statusCode, 200)
      assert.match(
        (await dev.get('/learning')).body,
        /You manage: <a href="\/learning\/faculties\/qsir\/manage">/,
      )
      for (const url of [
        '/learning/faculties/gsqia/manage',
        '/learning/faculties/gsqia/dashboard',
        '/learning/courses/gsqia-bronze/edit',
        '/learning/cohorts/coh-gsqia-bronze-next/manage',
        '/learning/sessions/coh-gsqia-bronze-next-s1/register',
      ]) {
        assert.equal((await dev.get(url)).statusCode, 403, url)
      }
      const leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      assert.equal((await leo.get('/learning/faculties/qsir/manage')).statusCode, 403)
      assert.equal((await leo.post('/learning/faculties/qsir/courses/new', course())).statusCode, 403)
      const anon = new TestBrowser(t.app)
      const redirect = await anon.get('/learning/faculties/qsir/manage')
      assert.equal(redirect.statusCode, 303)
      assert.match(String(redirect.headers.location), /^\/sign-in/)
      const ivy = new TestBrowser(t.app)
      await ivy.signIn('ivy.infogov@example.invalid')
      assert.equal(
        (await ivy.get('/learning/faculties/gsqia/manage')).statusCode,
        200,
        'platform admins manage every faculty',
      )
    })

    test('a course with bad input is explained; a draft stays out of the catalogue until published', async () => {
      const dev = new TestBrowser(t.app)
      await dev.signIn('dev.driver@example.invalid')
      await dev.get('/learning/faculties/qsir/courses/new')
      const bad = await dev.post(
        '/learning/faculties/qsir/courses/new',
        course({ title: '', level: '', eligibility: 'restricted', minAttendancePct: 'most' }),
      )
      assert.equal(bad.statusCode, 400)
      assert.deepEqual(errorSummary(bad.body), [
        'Enter the course title',
        'Select the level',
        'Select at least one organisation or role, or make the course open to everyone',
        'Share of sessions to attend must be a whole number, like 80',
      ])
      const restricted = await dev.post(
        '/learning/faculties/qsir/courses/new',
        course({ eligibility: 'restricted' }),
      )
      assert.deepEqual(errorSummary(restricted.body), [
        'Select at least one organisation or role, or make the course open to everyone',
      ])
      const selfish = await dev.post('/learning/faculties/qsir/courses/new', course({ level: 'local:Gold' }))
      assert.deepEqual(
        errorSummary(selfish.body),
        ['Select a level from the list'],
        "another faculty's level names are refused",
      )
      const draft = await dev.post('/learning/faculties/qsir/courses/new', course({ published: '' }))
      assert.equal(draft.statusCode, 303)
      assert.equal(draft.headers.location, '/learning/courses/measurement-for-improvement')
      const anon = new TestBrowser(t.app)
      assert.equal((await anon.get('/learning/courses/measurement-for-improvement')).statusCode, 404)
      assert.doesNotMatch((await anon.get('/learning')).body, /Measurement for improvement/)
      const edit = await dev.get('/learning/courses/measurement-for-improvement/edit')
      assert.equal(h1(edit.body), 'Edit Measurement for improvement')
      const published = await dev.post(
        '/learning/courses/measurement-for-improvement/edit',
        course({ version: '1', prerequisites: ['crs-qsir-fundamentals'] }),
      )
      assert.equal(published.statusCode, 303)
      const page = await anon.get('/learning/courses/measurement-for-improvement')
      assert.match(page.body, /QSIR Fundamentals/)
      const stale = await dev.post(
        '/learning/courses/measurement-for-improvement/edit',
        course({ version: '1' }),
      )
      assert.equal(stale.statusCode, 409)
    })

    test('a faculty with its own level names maps them onto the ladder', async () => {
      const ivy = new TestBrowser(t.app)
      await ivy.signIn('ivy.infogov@example.invalid')
      await ivy.get('/learning/faculties/gsqia/courses/new')
      const made = await ivy.post(
        '/learning/faculties/gsqia/courses/new',
        course({
          title: 'GSQIA Gold',
          level: 'local:Gold',
          eligibility: 'restricted',
          eligibleOrgIds: ['org-ghft'],
        }),
      )
      assert.equal(made.statusCode, 303)
      assert.match((await ivy.get(String(made.headers.location))).body, /Gold \(Practitioner\)/)
      const loop = await ivy.post(
        '/learning/courses/gsqia-bronze/edit',
        course({ title: 'GSQIA Bronze', version: '1', prerequisites: ['crs-gsqia-silver'] }),
      )
      assert.deepEqual(errorSummary(loop.body), [
        'These prerequisites would make the course depend on itself. Remove the course that already needs this one.',
      ])
    })

    test('asking for a place: booked, refused a second time, and refused with the reason when not eligible', async () => {
      const leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      await leo.get('/learning/courses/qsir-fundamentals')
      const booked = await leo.post('/learning/cohorts/coh-qsir-fund-1/enrol', {})
      assert.equal(booked.statusCode, 303)
      const page = await leo.get(String(booked.headers.location).split('#')[0])
      assert.match(page.body, /You have a place/)
      assert.match(page.body, /Withdraw/)
      const again = await leo.post('/learning/cohorts/coh-qsir-fund-1/enrol', {})
      assert.equal(again.statusCode, 400)
      assert.deepEqual(errorSummary(again.body), ['You already have a place on this cohort.'])
      const gsqia = await leo.post('/learning/cohorts/coh-gsqia-bronze-next/enrol', {})
      assert.equal(gsqia.statusCode, 400)
      assert.match(errorSummary(gsqia.body)[0], /only for people who work for Gloucestershire Hospitals/)
      const closed = await leo.post('/learning/cohorts/coh-gsqia-bronze-past/enrol', {})
      assert.match(errorSummary(closed.body)[0], /Enrolment for this cohort closed on/)
      const anon = new TestBrowser(t.app)
      await anon.get('/sign-in')
      const signIn = await anon.post('/learning/cohorts/coh-qsir-fund-1/enrol', {})
      assert.equal(signIn.statusCode, 401, 'a form sent without signing in is refused, not redirected')
      assert.match(signIn.body, /Sign in, then open the page again/)
      const { items } = await t.services.mail.list({ to: 'leo.learner@example.invalid' })
      assert.ok(items.some((m) => m.kind === 'learning_enrolled'))
    })

    test('the catalogue shows 10 courses a page, with links to the next page that keep the filters', async () => {
      const at = NOW.toISOString()
      for (let i = 0; i < 20; i++) {
        await t.db.database.db
          .insertInto('courses')
          .values(
            courseRow({
              id: `crs-page-${i}`,
              faculty_id: 'fac-pgp-quickstart',
              slug: `paged-${i}`,
              title: `Paged course ${String(i).padStart(2, '0')}`,
              summary: 'x',
              level: 'awareness',
              eligible_org_ids: '[]',
              eligible_roles: '[]',
              min_attendance_pct: 0,
              created_at: at,
            }),
          )
          .execute()
      }
      const anon = new TestBrowser(t.app)
      const first = await anon.get('/learning?faculty=pgp-quickstart')
      assert.match(first.body, /21 courses, showing 1 to 10/)
      assert.match(first.body, /href="\/learning\?faculty=pgp-quickstart&amp;page=2"/)
      const last = await anon.get('/learning?faculty=pgp-quickstart&page=3')
      assert.match(last.body, /showing 21 to 21/)
      assert.equal((last.body.match(/<h2 class="nhsuk-card__heading/g) ?? []).length, 1)
    })
  })
}
