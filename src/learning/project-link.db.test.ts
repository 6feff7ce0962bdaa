import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { insertProject } from '../projects/fixtures.js'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { NOW } from './test-fixtures.js'

const FORM = '/learning/enrolments/enr-demo-leo-qsir/project'
const NOT_YOURS = 'Select one of your projects: you can only link a project whose team you are on'

for (const { dialect, skip } of await testDialects()) {
  describe(`linking a project to a cohort on ${dialect}`, { skip }, () => {
    let t: TestApp
    let leo: TestBrowser
    const idOf = async (email: string) =>
      (
        await t.db.database.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', email)
          .executeTakeFirstOrThrow()
      ).id
    const link = async () =>
      t.db.database.db
        .selectFrom('enrolments')
        .select(['project_id', 'project_ref'])
        .where('id', '=', 'enr-demo-leo-qsir')
        .executeTakeFirstOrThrow()

    before(async () => {
      t = await startTestApp(dialect, { clock: () => NOW })
      leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
    })
    after(() => t?.close())

    test('a learner links a project whose team they are on, and the record links to it', async () => {
      const form = await leo.get(FORM)
      assert.equal(h1(form.body), 'Link your project')
      assert.match(form.body, /type="radio" value="demo-project-referrals"/, 'the project Leo leads')
      assert.doesNotMatch(form.body, /value="demo-project-discharge"/, 'not a project Leo is not on')
      assert.match(form.body, /A project not on the platform/)
      assert.match(form.body, /No project/)
      const saved = await leo.post(FORM, { link: 'demo-project-referrals', projectRef: '' })
      assert.equal(saved.statusCode, 303)
      assert.deepEqual(await link(), { project_id: 'demo-project-referrals', project_ref: '' })
      const record = await leo.get('/learning/record')
      assert.match(record.body, /<a href="\/projects\/demo-project-referrals">/)
      const audit = await t.services.audit.search({ action: 'enrolment.project_link' })
      assert.ok(audit.total >= 1)
      const checked = await leo.get(FORM)
      assert.match(checked.body, /value="demo-project-referrals" checked/, 'the current link is chosen')
    })

    test('a project the learner is not on, or that does not exist, is refused with a field error', async () => {
      for (const id of ['demo-project-discharge', 'no-such-project']) {
        const res = await leo.post(FORM, { link: id, projectRef: '' })
        assert.equal(res.statusCode, 400)
        assert.deepEqual(errorSummary(res.body), [NOT_YOURS])
        assert.match(res.body, /href="#link"/)
      }
      const ada = await idOf('ada.aimwell@example.invalid')
      const leoId = await idOf('leo.learner@example.invalid')
      // Private means the leads only: a team member who is not a lead is not offered it either.
      await insertProject(t.db.database.db, {
        id: 'private-ada',
        title: 'Ada private pilot',
        createdBy: ada,
        visibility: 'private',
        members: [
          { userId: ada, role: 'lead' },
          { userId: leoId, role: 'member' },
        ],
      })
      assert.doesNotMatch((await leo.get(FORM)).body, /Ada private pilot/)
      const res = await leo.post(FORM, { link: 'private-ada', projectRef: '' })
      assert.deepEqual(errorSummary(res.body), [NOT_YOURS])
      assert.equal((await link()).project_id, 'demo-project-referrals', 'unchanged')
    })

    test('a project done elsewhere needs its reference, screened for NHS numbers', async () => {
      const empty = await leo.post(FORM, { link: 'elsewhere', projectRef: '' })
      assert.deepEqual(errorSummary(empty.body), ['Enter the web address, name or reference of your project'])
      const none = await leo.post(FORM, { projectRef: '' })
      assert.deepEqual(errorSummary(none.body), ['Select the project you did on this course, or No project'])
      const pid = await leo.post(FORM, { link: 'elsewhere', projectRef: 'Audit of 943 476 5919' })
      assert.deepEqual(errorSummary(pid.body), [
        'Project reference: this looks like it contains an NHS number. Remove patient details (NHS numbers, hospital numbers, dates of birth, postcodes and patient names): this platform holds no patient data',
      ])
      const ok = await leo.post(FORM, { link: 'elsewhere', projectRef: 'https://example.org/falls' })
      assert.equal(ok.statusCode, 303)
      assert.deepEqual(await link(), { project_id: null, project_ref: 'https://example.org/falls' })
      assert.equal((await leo.post(FORM, { link: 'none', projectRef: 'ignored' })).statusCode, 303)
      assert.deepEqual(await link(), { project_id: null, project_ref: '' })
    })

    test('the faculty sees a linked project only if they may see it, never a private title', async () => {
      const leoId = await idOf('leo.learner@example.invalid')
      await insertProject(t.db.database.db, {
        id: 'private-leo',
        title: 'Leo secret sepsis pilot',
        createdBy: leoId,
        visibility: 'private',
      })
      assert.equal((await leo.post(FORM, { link: 'private-leo', projectRef: '' })).statusCode, 303)
      assert.match((await leo.get('/learning/record')).body, /Leo secret sepsis pilot/)
      const dev = new TestBrowser(t.app)
      await dev.signIn('dev.driver@example.invalid')
      const page = await dev.get('/learning/cohorts/coh-qsir-prac-spring/manage')
      assert.equal(page.statusCode, 200)
      assert.doesNotMatch(page.body, /Leo secret sepsis pilot/)
      assert.doesNotMatch(page.body, /\/projects\/private-leo/)
      assert.match(page.body, /A project on the platform you cannot see/)

      assert.equal((await leo.post(FORM, { link: 'demo-project-referrals', projectRef: '' })).statusCode, 303)
      const community = await dev.get('/learning/cohorts/coh-qsir-prac-spring/manage')
      assert.match(community.body, /<a href="\/projects\/demo-project-referrals">/, 'a community project')
    })

    test('deleting the project clears the link, not the enrolment', async () => {
      await t.db.database.db.deleteFrom('projects').where('id', '=', 'demo-project-referrals').execute()
      assert.deepEqual(await link(), { project_id: null, project_ref: '' })
    })
  })
}
