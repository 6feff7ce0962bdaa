import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'

/** The text of a page without its markup, for reading what a card says. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

for (const { dialect, skip } of await testDialects()) {
  describe(`the public face and the archive on ${dialect}`, { skip }, () => {
    let t: TestApp
    const as = async (email: string) => {
      const b = new TestBrowser(t.app)
      await b.signIn(email)
      return b
    }
    before(async () => {
      t = await startTestApp(dialect)
      // Falls stops, with lessons; it stays visible to its organisation only.
      await t.db.database.db
        .updateTable('projects')
        .set({
          status: 'abandoned',
          abandoned_reason: 'DEMO: the service was redesigned before the test could run.',
          lessons: 'DEMO: agree the measure with the service manager first.',
          status_changed_at: '2026-11-20T10:00:00.000Z',
        })
        .where('id', '=', 'demo-project-falls')
        .execute()
    })
    after(() => t?.close())

    test('robots.txt keeps sign-in and private areas out and names the sitemap', async () => {
      const res = await new TestBrowser(t.app).get('/robots.txt')
      assert.equal(res.statusCode, 200)
      assert.match(String(res.headers['content-type']), /^text\/plain/)
      for (const path of ['/sign-in', '/join', '/admin', '/steering-group', '/board', '/account', '/api'])
        assert.match(res.body, new RegExp(`^Disallow: ${path}$`, 'm'))
      assert.match(res.body, /^Sitemap: http:\/\/[^/]+\/sitemap\.xml$/m)
    })

    test('every address in the sitemap opens for a visitor; nothing private is in it', async () => {
      const visitor = new TestBrowser(t.app)
      const res = await visitor.get('/sitemap.xml')
      assert.equal(res.statusCode, 200)
      assert.match(String(res.headers['content-type']), /^application\/xml/)
      assert.match(
        res.body,
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/,
      )
      const paths = [...res.body.matchAll(/<loc>https?:\/\/[^/<]+([^<]*)<\/loc>/g)].map((m) => m[1])
      assert.ok(paths.includes('/showcase') && paths.includes('/showcase/archive') && paths.includes('/'))
      assert.ok(
        paths.some((p) => p.startsWith('/showcase/occasions/')),
        'the occasions are listed',
      )
      for (const path of paths) {
        const page = await visitor.get(path.replace(/&amp;/g, '&'))
        assert.equal(page.statusCode, 200, `${path} is in the sitemap but a visitor gets ${page.statusCode}`)
      }
      for (const id of ['demo-project-falls', 'demo-project-discharge', 'demo-project-referrals'])
        assert.ok(!paths.includes(`/projects/${id}`), `${id} is not public`)
    })

    test('the archive shows finished projects as their visibility allows, lessons as learning', async () => {
      const visitor = new TestBrowser(t.app)
      const open = await visitor.get('/showcase/archive')
      assert.equal(open.statusCode, 200)
      assert.equal(h1(open.body), 'Archive of finished projects')
      assert.match(open.body, /<meta name="description" content="Finished improvement projects/)
      assert.match(text(open.body), /0 finished projects/, 'both finished demo projects are for members only')

      const leo = await as('leo.learner@example.invalid') // a member outside Gloucestershire Health and Care
      const member = text((await leo.get('/showcase/archive')).body)
      assert.match(member, /1 finished project /)
      assert.match(member, /Faster routine referrals from primary care \(DEMO\)/)
      assert.match(member, /What we learnt DEMO: One shared referrals inbox/)
      assert.doesNotMatch(
        member,
        /Fewer falls at home/,
        'an organisation-only project stays in its organisation',
      )

      const ben = await as('ben.baseline@example.invalid') // Falls' lead
      const team = text((await ben.get('/showcase/archive')).body)
      assert.match(team, /2 finished projects/)
      assert.match(team, /Stopped, with lessons/)
      assert.match(team, /Why it stopped DEMO: the service was redesigned/)
      assert.match(team, /What we learnt DEMO: agree the measure with the service manager first/)

      const stopped = text((await ben.get('/showcase/archive?status=abandoned')).body)
      assert.match(stopped, /1 finished project found/)
      assert.doesNotMatch(stopped, /Faster routine referrals/)
      const byOrg = text((await ben.get('/showcase/archive?organisation=org-primary-care&q=referrals')).body)
      assert.match(byOrg, /1 finished project found/)
      assert.match(byOrg, /Faster routine referrals/)
      const none = text((await ben.get('/showcase/archive?aim=ZZ9&status=nonsense')).body)
      assert.match(none, /0 finished projects found|No finished projects match/)
    })
  })
}
