import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { keywords } from './similar.js'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

describe('similar projects: keywords', () => {
  test('drops common words, folds plurals, keeps the telling words', () => {
    assert.deepEqual(keywords('Reduce the falls at home for patients after discharges from Ward 3'), [
      'fall',
      'home',
      'discharge',
      'ward',
    ])
    assert.deepEqual(keywords('Improvement project for the team'), [])
    assert.deepEqual(keywords('Référence des délais: ÉCHOGRAPHIE'), [
      'référence',
      'des',
      'délai',
      'échographie',
    ])
  })
})

for (const { dialect, skip } of await testDialects()) {
  describe(`similar projects on ${dialect}`, { skip }, () => {
    let t: TestApp
    const as = async (email: string) => {
      const b = new TestBrowser(t.app)
      await b.signIn(email)
      return b
    }
    before(async () => {
      t = await startTestApp(dialect)
    })
    after(() => t?.close())

    test('the new-project form shows projects like the one typed, only those the member may see (no JavaScript)', async () => {
      const leo = await as('leo.learner@example.invalid')
      const typed = {
        title: 'Falls at home after physiotherapy',
        problem: 'People fall at home in the first month after community physiotherapy discharge.',
      }
      const res = await leo.submit('/projects/new', '/projects/similar', typed)
      assert.equal(res.statusCode, 200)
      const body = text(res.body)
      assert.match(body, /Similar projects/)
      // Falls is visible to its organisation only: Leo is not in it, so it never shows to him.
      assert.doesNotMatch(body, /Fewer falls at home after community physiotherapy/)
      assert.match(res.body, /value="Falls at home after physiotherapy"/, 'what was typed is kept')
      const ben = await as('ben.baseline@example.invalid')
      const mine = text((await ben.submit('/projects/new', '/projects/similar', typed)).body)
      assert.match(mine, /Fewer falls at home after community physiotherapy \(DEMO\) Shares the words/)
      assert.equal(
        await t.db.database.db
          .selectFrom('projects')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('title', '=', typed.title)
          .executeTakeFirstOrThrow()
          .then((r) => Number(r.n)),
        0,
        'nothing is stored',
      )
      const fragment = await ben.request({
        method: 'POST',
        url: '/projects/similar',
        payload: new URLSearchParams({ _csrf: ben.csrf, ...typed }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-fragment': 'similar' },
      })
      assert.equal(fragment.statusCode, 200)
      assert.match(fragment.body, /^<div id="similar-projects"/)
      assert.doesNotMatch(fragment.body, /<html/)
      const nothing = text(
        (await ben.submit('/projects/new', '/projects/similar', { title: 'Zebra xylophone', problem: '' }))
          .body,
      )
      assert.match(nothing, /No similar projects that you can see/)
      const pid = await ben.submit('/projects/new', '/projects/similar', {
        title: 'Falls',
        problem: 'Patient Mr John Smith, NHS number 943 476 5919, fell on 01/02/2026.',
      })
      assert.equal(pid.statusCode, 400, 'patient data is refused even here')
    })

    test('a project page lists projects like it, never itself and never one the viewer may not see', async () => {
      const ben = await as('ben.baseline@example.invalid')
      const made = await ben.submit('/projects/new', '/projects', {
        title: 'Home falls checks after physiotherapy discharge',
        problem: 'Falls at home after community physiotherapy: a home check and a follow-up call.',
        organisationIds: ['org-ghc'],
      })
      assert.equal(made.statusCode, 303)
      const own = text((await ben.get('/projects/demo-project-falls')).body)
      const list = own.slice(own.indexOf('Similar projects'), own.indexOf('Recent activity'))
      assert.match(list, /Home falls checks after physiotherapy discharge Shares the words/)
      assert.doesNotMatch(list, /Fewer falls at home/, 'never itself')
      // Ben's new project is his private draft: Ada, on the Falls team, does not see it anywhere.
      const ada = await as('ada.aimwell@example.invalid')
      const hers = text((await ada.get('/projects/demo-project-falls')).body)
      assert.doesNotMatch(hers, /Home falls checks after physiotherapy discharge/)
    })
  })
}
