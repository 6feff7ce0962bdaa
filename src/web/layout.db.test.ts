import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'

/** The site header's markup (the header and footer are rendered once per variant and kept: web/layout.ts). */
const headerOf = (html: string) => /<header[\s\S]*?<\/header>/.exec(html)?.[0] ?? ''
/** Where the header's current section links to (the link NHS.UK marks `aria-current="page"`). */
const currentSection = (html: string) =>
  /class="nhsuk-header__navigation-link" href="([^"]+)" aria-current="page"/.exec(headerOf(html))?.[1] ?? null
const signOutToken = (html: string) => /action="\/sign-out\?_csrf=([^"]+)"/.exec(headerOf(html))?.[1] ?? null

for (const { dialect, skip } of await testDialects()) {
  describe(`the site header and footer on ${dialect}`, { skip }, () => {
    let t: TestApp
    before(async () => {
      t = await startTestApp(dialect)
    })
    after(() => t?.close())

    test('a visitor is offered sign-in and joining, with no account links', async () => {
      const page = await new TestBrowser(t.app).get('/about')
      const header = headerOf(page.body)
      assert.match(header, /href="\/sign-in"/)
      assert.match(header, /href="\/join"/)
      assert.doesNotMatch(header, /sign-out|href="\/profile"|href="\/admin"/)
      assert.match(page.body, /<footer[\s\S]*Accessibility statement[\s\S]*<\/footer>/)
    })

    test("each person's header has their own name, escaped, and the Admin link only for admins", async () => {
      await t.db.database.db
        .updateTable('users')
        .set({ name: 'Cara <b>"Cycle"</b> & Co' })
        .where('email', '=', 'cara.cycle@example.invalid')
        .execute()
      const cara = new TestBrowser(t.app)
      await cara.signIn('cara.cycle@example.invalid')
      const ivy = new TestBrowser(t.app)
      await ivy.signIn('ivy.infogov@example.invalid')
      // The same variant of the header (signed in, same section) for both, one after the other.
      const forCara = headerOf((await cara.get('/projects')).body)
      const forIvy = headerOf((await ivy.get('/projects')).body)
      assert.match(forCara, /Cara &lt;b&gt;&quot;Cycle&quot;&lt;\/b&gt; &amp; Co/)
      assert.doesNotMatch(forCara, /<b>"Cycle"<\/b>/)
      assert.doesNotMatch(forCara, /Ivy|href="\/admin"/)
      assert.doesNotMatch(forIvy, /Cara/)
      assert.match(forIvy, /href="\/admin"/, 'a platform and organisation admin has the Admin link')
    })

    test('the current section follows the page, and the sign-out token is fresh on every page and signs out', async () => {
      const gus = new TestBrowser(t.app)
      await gus.signIn('gus.gateway@example.invalid')
      const events = await gus.get('/events')
      assert.equal(currentSection(events.body), '/facilitation')
      const projects = await gus.get('/projects')
      assert.equal(currentSection(projects.body), '/projects')
      assert.equal(currentSection((await gus.get('/search?q=falls')).body), null)
      const first = signOutToken(events.body)
      const second = signOutToken(projects.body)
      assert.ok(first && second)
      assert.notEqual(first, second, 'masked afresh on every page (BREACH)')
      const out = await gus.post(`/sign-out?_csrf=${first}`, { _csrf: decodeURIComponent(first) })
      assert.equal(out.statusCode, 303)
      const after = await gus.get('/my-work')
      assert.notEqual(after.statusCode, 200, 'signed out: my work is not shown')
    })
  })
}
