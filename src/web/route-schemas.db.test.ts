import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'

/** Every GET route of the app with params, from `app.printRoutes` (`/projects/:id/edit`). */
function getRoutes(printed: string): string[] {
  const stack: { depth: number; path: string }[] = []
  const out: string[] = []
  for (const line of printed.split('\n')) {
    const match = /^([\s│├└─]*?)(?:[├└]── )(.+?) \(([^)]+)\)$/.exec(line)
    if (!match) continue
    const depth = match[1].length
    while (stack.length && stack[stack.length - 1].depth >= depth) stack.pop()
    const parent = stack.length ? stack[stack.length - 1].path : ''
    const path = parent === '/' ? `/${match[2]}` : parent + match[2]
    stack.push({ depth, path })
    if (match[3].split(', ').includes('GET')) out.push(path)
  }
  return out
}

/** Ids no record has, and could not have: too long, with control characters, spaces, bidi marks. */
const BAD_IDS = ['x'.repeat(300), 'bad%01id', 'two%20words', '%E2%80%AEevil', '%00']
/** Query values a hand-typed or crafted address may carry. */
const BAD_QUERIES = [
  'page=-1',
  'page=abc',
  'page=1&page=2',
  'q=a&q=b',
  `q=${'x'.repeat(3000)}`,
  'q=%01%02',
  'status[]=x',
  'page=1e400',
]

for (const { dialect, skip } of await testDialects()) {
  describe(`malformed addresses on ${dialect}`, { skip }, () => {
    let t: TestApp
    let admin: TestBrowser
    let member: TestBrowser
    let routes: string[] = []
    before(async () => {
      t = await startTestApp(dialect)
      admin = new TestBrowser(t.app)
      await admin.signIn('ivy.infogov@example.invalid')
      member = new TestBrowser(t.app)
      await member.signIn('ada.aimwell@example.invalid')
      routes = getRoutes(t.app.printRoutes({ commonPrefix: false })).filter((r) => !r.startsWith('/api/v1/'))
    })
    after(async () => t.close())

    test('a malformed id in any page address is a 400 or 404 (an error page or a problem), never a 500', async () => {
      const withParams = routes.filter((r) => r.includes('/:'))
      assert.ok(withParams.length > 50, `found ${withParams.length} routes with params`)
      const wrong: string[] = []
      for (const route of withParams)
        for (const bad of BAD_IDS)
          for (const browser of [admin, member]) {
            const res = await browser.get(route.replace(/:\w+/g, bad))
            if (![301, 302, 303, 308, 400, 403, 404].includes(res.statusCode))
              wrong.push(`${route} ${bad.slice(0, 12)}: ${res.statusCode}`)
            else if (res.statusCode === 400 && String(res.headers['content-type']).startsWith('text/html'))
              assert.match(res.body, /class="nhsuk-header"[\s\S]*<h1>/, `${route}: an NHS.UK error page`)
          }
      assert.deepEqual([...new Set(wrong)], [])
    })

    test('a malformed query on any page is refused or ignored, never a 500', async () => {
      const plain = routes.filter((r) => !r.includes(':') && !r.includes('*'))
      const wrong: string[] = []
      for (const route of plain) {
        // A page broken without any query is another test's business.
        if ((await admin.get(route)).statusCode >= 500) continue
        for (const query of BAD_QUERIES) {
          const res = await admin.get(`${route}?${query}`)
          if (res.statusCode >= 500) wrong.push(`${route}?${query.slice(0, 20)}: ${res.statusCode}`)
        }
      }
      assert.deepEqual(wrong, [])
    })

    test('pages of every feature check their params by schema: a malformed id is a 400 error page', async () => {
      for (const url of [
        '/people/two%20words',
        '/events/two%20words',
        '/events/two%20words/check-in?q=a&q=b',
        '/projects/two%20words/team',
        '/projects/two%20words/status/submit',
        '/projects/two%20words/activity?page=abc',
        '/learning/faculties/two%20words',
        '/learning/cohorts/two%20words/manage',
        '/admin/screening/two%20words/remove',
      ]) {
        const res = await admin.get(url)
        assert.equal(res.statusCode, 400, url)
        assert.match(String(res.headers['content-type']), /^text\/html/, url)
        assert.match(res.body, /class="nhsuk-header"[\s\S]*<h1>/, `${url}: an NHS.UK error page`)
        assert.match(res.body, /This address does not name anything we know/, url)
      }
      const download = await admin.get('/learning/sessions/two%20words/calendar.ics')
      assert.equal(download.statusCode, 400)
      assert.equal(download.headers['content-type'], 'application/problem+json; charset=utf-8')
      const form = await admin.post('/projects/two%20words/edit', { title: 'A title' })
      assert.equal(form.statusCode, 400)
      assert.match(form.body, /This address does not name anything we know/)
    })

    test('params and queries that were free text stay free text: the page answers as before', async () => {
      // A mangled link is answered by the page that says so, not by a bare refusal.
      const link = await member.get('/verify-email/two%20words')
      assert.equal(link.statusCode, 400)
      assert.match(link.body, /This link is not valid/)
      const code = await member.get('/certificates/verify/two%20words')
      assert.equal(code.statusCode, 404)
      assert.match(code.body, /This code is not valid/)
      assert.equal((await admin.get('/admin/redact/project/two%20words')).statusCode, 404)
      assert.equal((await admin.get('/admin/redact/nothing/x')).statusCode, 404)
      // A repeated or odd query value is ignored, as before schemas.
      for (const url of ['/get-involved?topic=a&topic=b', '/people?page=abc&q=a&q=b', '/projects?status[]=x'])
        assert.equal((await member.get(url)).statusCode, 200, url)
      const signIn = await new TestBrowser(t.app).get('/sign-in?next=a&next=b')
      assert.equal(signIn.statusCode, 200)
      assert.match(signIn.body, /name="next" value="\/"/)
    })

    test('a malformed id on a route with a schema is a 400 naming the part of the address', async () => {
      const page = await member.get(`/admin/people/${'x'.repeat(300)}`)
      assert.equal(page.statusCode, 400)
      assert.match(page.body, /This address does not name anything we know/)
      const problem = await member.request({
        method: 'GET',
        url: '/account/tokens/bad%01id/revoke',
        headers: { accept: 'application/json' },
      })
      assert.equal(problem.statusCode, 400)
      assert.equal(problem.headers['content-type'], 'application/problem+json; charset=utf-8')
      assert.ok('id' in (JSON.parse(problem.body) as { errors: Record<string, string> }).errors)
    })
  })
}
