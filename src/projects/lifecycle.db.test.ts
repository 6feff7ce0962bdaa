import { projectAimRow, projectMemberRow } from '../db/rows.js'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { insertProject } from './fixtures.js'
import { PROJECT_ACTIONS, type ProjectAction } from './lifecycle.js'
import { PROJECT_STATUSES, type ProjectStatus } from './policy.js'

/** DOMAIN.md §3, written out by hand: where each action may start, and where it ends. */
const ALLOWED: Record<ProjectAction, { from: ProjectStatus[]; to: ProjectStatus }> = {
  submit: { from: ['draft'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'active' },
  return: { from: ['submitted'], to: 'returned' },
  revise: { from: ['returned'], to: 'draft' },
  hold: { from: ['active'], to: 'on_hold' },
  resume: { from: ['on_hold'], to: 'active' },
  sustain: { from: ['active'], to: 'sustaining' },
  complete: { from: ['sustaining'], to: 'completed' },
  archive: { from: ['completed'], to: 'archived' },
  abandon: { from: ['draft', 'submitted', 'returned', 'active', 'on_hold', 'sustaining'], to: 'abandoned' },
}
const BY_COACH: ProjectAction[] = ['approve', 'return']

for (const { dialect, skip } of await testDialects()) {
  describe(`the project lifecycle on ${dialect}`, { skip }, () => {
    let t: TestApp
    let ada: TestBrowser
    let cara: TestBrowser
    let ben: TestBrowser
    const ids: Record<string, string> = {}

    before(async () => {
      t = await startTestApp(dialect)
      const db = t.db.database.db
      for (const u of await db.selectFrom('users').select(['id', 'email']).execute())
        ids[u.email.split('@')[0]] = u.id
      const signedIn = async (email: string) => {
        const browser = new TestBrowser(t.app)
        await browser.signIn(email)
        await browser.get('/projects') // the CSRF token of the new session
        return browser
      }
      ada = await signedIn('ada.aimwell@example.invalid')
      cara = await signedIn('cara.cycle@example.invalid')
      ben = await signedIn('ben.baseline@example.invalid')
    })

    after(async () => {
      await t?.close()
    })

    /** A team-visible project led by Ada (Ben a member) in this status, with a problem and an aim. */
    async function projectIn(status: ProjectStatus, title = `Lifecycle ${status}`): Promise<string> {
      const db = t.db.database.db
      const id = await insertProject(db, {
        title,
        createdBy: ids['ada.aimwell'],
        status,
        visibility: 'team',
        organisationIds: ['org-ghft'],
        members: [
          { userId: ids['ada.aimwell'], role: 'lead' },
          { userId: ids['ben.baseline'], role: 'member' },
        ],
      })
      await db
        .updateTable('projects')
        .set({ problem: 'Patients wait too long' })
        .where('id', '=', id)
        .execute()
      await db
        .insertInto('project_aims')
        .values(
          projectAimRow({
            id: `${id}-aim`,
            project_id: id,
            what: 'Reduce',
            measure: 'waits',
            target: '10%',
            for_whom: 'patients',
            by_when: 'May 2027',
            statement: 'Reduce waits to 10% for patients by May 2027.',
            created_by: ids['ada.aimwell'],
          }),
        )
        .execute()
      return id
    }

    const stateOf = async (id: string) =>
      t.db.database.db
        .selectFrom('projects')
        .select(['status', 'version', 'lessons', 'abandoned_reason', 'returned_comment', 'approved_by'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()

    test('every action from every status: allowed moves happen, are audited and recorded; refused ones change nothing', async () => {
      const db = t.db.database.db
      const wrong: string[] = []
      for (const action of PROJECT_ACTIONS) {
        for (const status of PROJECT_STATUSES) {
          const id = await projectIn(status)
          const browser = BY_COACH.includes(action) ? cara : ada
          const before = await stateOf(id)
          const res = await browser.post(`/projects/${id}/status/${action}`, {
            note: 'A reason or a note',
            lessons: 'What we learnt',
            version: String(before.version),
          })
          const after = await stateOf(id)
          const allowed = ALLOWED[action].from.includes(status)
          const cell = `${action} from ${status}`
          if (allowed) {
            if (res.statusCode !== 303)
              wrong.push(`${cell}: answered ${res.statusCode} ${errorSummary(res.body).join('; ')}`)
            if (after.status !== ALLOWED[action].to) wrong.push(`${cell}: status is ${after.status}`)
            const audit = await db
              .selectFrom('audit_log')
              .select('action')
              .where('entity_id', '=', id)
              .where('action', '=', `project.${action}`)
              .execute()
            if (audit.length !== 1) wrong.push(`${cell}: ${audit.length} audit entries`)
            const activity = await db
              .selectFrom('project_activity')
              .select('kind')
              .where('project_id', '=', id)
              .where('kind', '=', `project.${action}`)
              .execute()
            if (activity.length !== 1) wrong.push(`${cell}: ${activity.length} activity entries`)
          } else {
            if (![403, 404, 409].includes(res.statusCode))
              wrong.push(`${cell}: refused with ${res.statusCode}`)
            if (after.status !== status || after.version !== before.version)
              wrong.push(`${cell}: a refused move changed the project`)
          }
        }
      }
      assert.deepEqual(wrong, [])
    })

    test('only coaches and the Steering Group approve or return; only leads move the project on', async () => {
      const submitted = await projectIn('submitted')
      let res = await ada.post(`/projects/${submitted}/status/approve`, { version: '1' })
      assert.equal(res.statusCode, 403, 'the lead cannot approve their own project')
      res = await ben.post(`/projects/${submitted}/status/return`, { note: 'x', version: '1' })
      assert.equal(res.statusCode, 403)
      const active = await projectIn('active')
      res = await ben.post(`/projects/${active}/status/hold`, { version: '1' })
      assert.equal(res.statusCode, 403, 'a team member who is not a lead cannot put it on hold')
      res = await cara.post(`/projects/${active}/status/hold`, { version: '1' })
      assert.equal(res.statusCode, 403, 'a coach who is not a lead cannot put it on hold')
      assert.equal((await stateOf(active)).status, 'active')
    })

    test('a coach who leads the project cannot register it themselves', async () => {
      const db = t.db.database.db
      const id = await projectIn('submitted')
      await db
        .insertInto('project_members')
        .values(projectMemberRow({ project_id: id, user_id: ids['cara.cycle'], role: 'lead' }))
        .execute()
      const res = await cara.post(`/projects/${id}/status/approve`, { version: '1' })
      assert.equal(res.statusCode, 403)
      assert.equal((await stateOf(id)).status, 'submitted')
    })

    test('submitting needs a problem statement and an aim, and e-mails the coaches and the Steering Group', async () => {
      const db = t.db.database.db
      const id = await projectIn('draft', 'Lifecycle submit checks')
      await db.deleteFrom('project_aims').where('project_id', '=', id).execute()
      await db.updateTable('projects').set({ problem: '' }).where('id', '=', id).execute()
      let res = await ada.submit(`/projects/${id}/status/submit`, `/projects/${id}/status/submit`, {
        version: '1',
      })
      assert.equal(res.statusCode, 400)
      assert.deepEqual(errorSummary(res.body), [
        'Write the problem statement before you submit the project',
        'Write the aim before you submit the project',
      ])
      assert.equal((await stateOf(id)).status, 'draft')

      await ada.submit(`/projects/${id}/edit`, `/projects/${id}/edit`, {
        title: 'Lifecycle submit checks',
        problem: 'Patients wait',
        organisationIds: 'org-ghft',
        qsirStage: 'start_out',
        version: '1',
      })
      await ada.submit(`/projects/${id}/aim`, `/projects/${id}/aim`, {
        what: 'Reduce',
        measure: 'waits',
        target: '10%',
        forWhom: 'patients',
        byWhen: 'May 2027',
        aimVersion: '0',
      })
      const { version } = await stateOf(id)
      res = await ada.submit(`/projects/${id}/status/submit`, `/projects/${id}/status/submit`, {
        note: 'Please look',
        version: String(version),
      })
      assert.equal(res.statusCode, 303)
      assert.equal((await stateOf(id)).status, 'submitted')
      const mails = await db
        .selectFrom('mail_outbox')
        .select(['to_address', 'kind', 'text_body'])
        .where('kind', '=', 'project_submitted')
        .where('subject', 'like', '%Lifecycle submit checks%')
        .execute()
      assert.deepEqual(mails.map((m) => m.to_address).sort(), ['cara.cycle@example.invalid'])
      assert.match(mails[0].text_body, /Please look/)
    })

    test('the coach approves from the review queue, and the leads are e-mailed', async () => {
      const db = t.db.database.db
      const id = await projectIn('submitted', 'Lifecycle approve me')
      let res = await cara.get('/projects/review')
      assert.equal(res.statusCode, 200)
      assert.match(res.body, /Lifecycle approve me/)
      res = await ada.get('/projects/review')
      assert.equal(res.statusCode, 403, 'the queue is for coaches and the Steering Group')
      res = await cara.submit(`/projects/${id}/status/approve`, `/projects/${id}/status/approve`, {
        note: 'Well scoped',
        version: '1',
      })
      assert.equal(res.statusCode, 303)
      const state = await stateOf(id)
      assert.equal(state.status, 'active')
      assert.equal(state.approved_by, ids['cara.cycle'])
      const mails = await db
        .selectFrom('mail_outbox')
        .select(['to_address', 'text_body'])
        .where('kind', '=', 'project_approved')
        .where('subject', 'like', '%Lifecycle approve me%')
        .execute()
      assert.deepEqual(
        mails.map((m) => m.to_address),
        ['ada.aimwell@example.invalid'],
      )
      res = await cara.get('/projects/review')
      assert.doesNotMatch(res.body, /Lifecycle approve me/)
    })

    test('returning needs comments, e-mails them to the leads, and the lead revises and resubmits', async () => {
      const db = t.db.database.db
      const id = await projectIn('submitted', 'Lifecycle return me')
      let res = await cara.submit(`/projects/${id}/status/return`, `/projects/${id}/status/return`, {
        note: '',
        version: '1',
      })
      assert.equal(res.statusCode, 400)
      assert.deepEqual(errorSummary(res.body), ['Enter your comments for the project leads'])
      res = await cara.post(`/projects/${id}/status/return`, {
        note: 'Add a balancing measure',
        version: '1',
      })
      assert.equal(res.statusCode, 303)
      assert.equal((await stateOf(id)).returned_comment, 'Add a balancing measure')
      const mail = await db
        .selectFrom('mail_outbox')
        .select(['to_address', 'text_body'])
        .where('kind', '=', 'project_returned')
        .where('subject', 'like', '%Lifecycle return me%')
        .executeTakeFirstOrThrow()
      assert.equal(mail.to_address, 'ada.aimwell@example.invalid')
      assert.match(mail.text_body, /Add a balancing measure/)
      res = await ada.get(`/projects/${id}`)
      assert.match(res.body, /Returned with comments/)
      assert.match(res.body, /Add a balancing measure/)
      res = await ada.post(`/projects/${id}/status/revise`, { version: '2' })
      assert.equal(res.statusCode, 303)
      assert.equal((await stateOf(id)).status, 'draft')
      res = await ada.post(`/projects/${id}/status/submit`, { version: '3' })
      assert.equal((await stateOf(id)).status, 'submitted')
    })

    test("a reviewer's note goes to the team and reviewers, not into the timeline everyone sees", async () => {
      const db = t.db.database.db
      const id = await projectIn('submitted', 'Lifecycle note for the team')
      const res = await cara.submit(`/projects/${id}/status/approve`, `/projects/${id}/status/approve`, {
        note: 'Check the baseline with the ward sister',
        version: '1',
      })
      assert.equal(res.statusCode, 303)
      const entry = await db
        .selectFrom('project_activity')
        .select(['summary', 'team_note'])
        .where('project_id', '=', id)
        .where('kind', '=', 'project.approve')
        .executeTakeFirstOrThrow()
      assert.doesNotMatch(entry.summary, /ward sister/)
      assert.equal(entry.team_note, 'Check the baseline with the ward sister')
      await db.updateTable('projects').set({ visibility: 'community' }).where('id', '=', id).execute()
      const leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      for (const path of [`/projects/${id}`, `/projects/${id}/activity`]) {
        const seen = await leo.get(path)
        assert.equal(seen.statusCode, 200, path)
        assert.match(seen.body, /Approved and registered the project/, path)
        assert.doesNotMatch(seen.body, /ward sister/, `${path}: not for a member outside the team`)
        assert.match((await ada.get(path)).body, /ward sister/, `${path}: the lead sees it`)
        assert.match((await cara.get(path)).body, /ward sister/, `${path}: the reviewer sees it`)
      }
    })

    test('completing and abandoning need the lessons learnt (and abandoning its reason), which are kept and shown', async () => {
      const sustaining = await projectIn('sustaining', 'Lifecycle complete me')
      let res = await ada.submit(
        `/projects/${sustaining}/status/complete`,
        `/projects/${sustaining}/status/complete`,
        { lessons: '', version: '1' },
      )
      assert.equal(res.statusCode, 400)
      assert.deepEqual(errorSummary(res.body), [
        'Enter the lessons learnt, so others can learn from this project',
      ])
      res = await ada.post(`/projects/${sustaining}/status/complete`, {
        lessons: 'Measure first',
        version: '1',
      })
      assert.equal(res.statusCode, 303)
      assert.equal((await stateOf(sustaining)).lessons, 'Measure first')

      const active = await projectIn('active', 'Lifecycle abandon me')
      res = await ada.submit(`/projects/${active}/status/abandon`, `/projects/${active}/status/abandon`, {
        note: '',
        lessons: '',
        version: '1',
      })
      assert.equal(res.statusCode, 400)
      assert.deepEqual(errorSummary(res.body), [
        'Enter why the project is being abandoned',
        'Enter the lessons learnt, so others can learn from this project',
      ])
      res = await ada.post(`/projects/${active}/status/abandon`, {
        note: 'The ward closed',
        lessons: 'Check estates plans first',
        version: '1',
      })
      assert.equal(res.statusCode, 303)
      const state = await stateOf(active)
      assert.equal(state.status, 'abandoned')
      assert.equal(state.abandoned_reason, 'The ward closed')
      res = await ada.get(`/projects/${active}`)
      assert.match(res.body, /The ward closed/)
      assert.match(res.body, /Check estates plans first/)
      const mail = await t.db.database.db
        .selectFrom('mail_outbox')
        .select('to_address')
        .where('kind', '=', 'project_status')
        .where('subject', 'like', '%Lifecycle abandon me%')
        .execute()
      assert.deepEqual(
        mail.map((m) => m.to_address),
        ['ben.baseline@example.invalid'],
        'the rest of the team hears about it',
      )
    })

    test('a status page for a move that is not open from here explains why', async () => {
      const id = await projectIn('active')
      const res = await ada.get(`/projects/${id}/status/submit`)
      assert.equal(res.statusCode, 409)
      assert.match(res.body, /This project is active, so you cannot submit for registration/)
      assert.equal((await ada.get(`/projects/${id}/status/nonsense`)).statusCode, 404)
    })
  })
}
