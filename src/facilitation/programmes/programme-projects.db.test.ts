import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { insertProject } from '../../projects/fixtures.js'
import { h1, startTestApp, TestBrowser, type TestApp } from '../../testing/app.js'
import { testDialects } from '../../testing/databases.js'
import { NOW } from '../test-helpers.js'

const PAGE = '/programmes/virtual-ward'

for (const { dialect, skip } of await testDialects()) {
  describe(`a programme's linked projects on ${dialect}`, { skip }, () => {
    let t: TestApp
    before(async () => {
      t = await startTestApp(dialect, { clock: () => NOW })
      const { db } = t.db.database
      const ada = (
        await db
          .selectFrom('users')
          .select('id')
          .where('email', '=', 'ada.aimwell@example.invalid')
          .executeTakeFirstOrThrow()
      ).id
      const projects = [
        { id: 'vw-community', title: 'Virtual ward community project', visibility: 'community', day: 3 },
        { id: 'vw-team', title: 'Virtual ward team project', visibility: 'team', day: 4 },
        { id: 'vw-private', title: 'Virtual ward private project', visibility: 'private', day: 5 },
        {
          id: 'vw-public',
          title: 'Virtual ward public project',
          visibility: 'public',
          day: 2,
          approved: true,
        },
        { id: 'vw-pending', title: 'Virtual ward pending public project', visibility: 'public', day: 6 },
        { id: 'peol-community', title: 'End of life community project', visibility: 'community', day: 7 },
      ]
      for (const p of projects) {
        await insertProject(db, {
          id: p.id,
          title: p.title,
          createdBy: ada,
          visibility: p.visibility,
          publicApproved: p.approved ?? false,
          now: `2026-11-0${p.day}T09:00:00.000Z`,
        })
        await db
          .updateTable('projects')
          .set({ programme_id: p.id.startsWith('vw-') ? 'prog-virtual-ward' : 'prog-peol' })
          .where('id', '=', p.id)
          .execute()
      }
    })
    after(() => t?.close())

    const titles = (html: string) =>
      [...html.matchAll(/<a href="\/projects\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1])

    test('a signed-in member sees community projects, newest activity first, not a team or private one', async () => {
      const ben = new TestBrowser(t.app)
      await ben.signIn('ben.baseline@example.invalid')
      const page = await ben.get(PAGE)
      assert.equal(h1(page.body), 'Virtual Ward Programme')
      assert.deepEqual(titles(page.body), [
        'Virtual ward pending public project',
        'Virtual ward community project',
        'Virtual ward public project',
      ])
      assert.match(
        page.body,
        /<a href="\/projects\/vw-community">Virtual ward community project<\/a>, active/,
      )
      assert.doesNotMatch(page.body, /Virtual ward team project|Virtual ward private project/)
      assert.doesNotMatch(page.body, /End of life community project/, 'another programme’s project')
    })

    test('the project team sees its own team and private projects', async () => {
      const ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      const page = await ada.get(PAGE)
      assert.match(page.body, /Virtual ward team project/)
      assert.match(page.body, /Virtual ward private project/)
    })

    test('an anonymous visitor sees approved public projects only', async () => {
      const page = await new TestBrowser(t.app).get(PAGE)
      assert.equal(page.statusCode, 200)
      assert.deepEqual(titles(page.body), ['Virtual ward public project'])
    })

    test('the service answers the same through its provider', async () => {
      const anonymous = await t.services.facilitation.programmes.linkedProjects('prog-virtual-ward', null)
      assert.deepEqual(anonymous, [
        {
          title: 'Virtual ward public project',
          status: 'active',
          statusText: 'Active',
          href: '/projects/vw-public',
        },
      ])
    })
  })
}
