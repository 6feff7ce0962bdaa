import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { requestForm } from '../facilitation/test-helpers.js'

const NOW = new Date('2026-12-01T10:00:00Z')

/** The one-time key of the first form on the page whose action is `action`. */
function onceKeyOf(html: string, action: string): string {
  const form = new RegExp(`<form[^>]*action="${action}"[^>]*>([\\s\\S]*?)</form>`).exec(html)
  const key = form && /name="_once" value="([^"]+)"/.exec(form[1])
  assert.ok(key, `no _once field in the form posting to ${action}`)
  return key[1]
}

for (const { dialect, skip } of await testDialects()) {
  describe(`one-time submission keys on ${dialect}`, { skip }, () => {
    let t: TestApp
    let now = NOW
    before(async () => {
      t = await startTestApp(dialect, { clock: () => now })
    })
    after(() => t?.close())

    const countRequests = async (title: string) =>
      (
        await t.db.database.db
          .selectFrom('support_requests')
          .select('id')
          .where('title', '=', title)
          .execute()
      ).length

    test('Back and Send again shows what the first submission created instead of creating it twice', async () => {
      const gus = new TestBrowser(t.app)
      await gus.signIn('gus.gateway@example.invalid')
      const page = await gus.get('/support/requests/new')
      const key = onceKeyOf(page.body, '/support/requests')
      const form = requestForm({ title: 'Sent twice by mistake', _once: key })
      const first = await gus.post('/support/requests', form)
      assert.equal(first.statusCode, 303)
      const again = await gus.post('/support/requests', form)
      assert.equal(again.statusCode, 303)
      assert.equal(again.headers.location, first.headers.location)
      assert.equal(await countRequests('Sent twice by mistake'), 1)
      const shown = await gus.get(String(again.headers.location))
      assert.match(shown.body, /already been sent/)
    })

    test('ten copies sent at once create one request, and every copy is sent to it', async () => {
      const gus = new TestBrowser(t.app)
      await gus.signIn('gus.gateway@example.invalid')
      const key = onceKeyOf((await gus.get('/support/requests/new')).body, '/support/requests')
      const form = requestForm({ title: 'Double clicked', _once: key })
      const answers = await Promise.all(Array.from({ length: 10 }, () => gus.post('/support/requests', form)))
      assert.deepEqual(
        answers.map((a) => a.statusCode),
        Array(10).fill(303),
      )
      assert.equal(new Set(answers.map((a) => a.headers.location)).size, 1)
      assert.equal(await countRequests('Double clicked'), 1)
    })

    test('the form fetched again by Back (a new key) with the same content is still the same submission', async () => {
      const gus = new TestBrowser(t.app)
      await gus.signIn('gus.gateway@example.invalid')
      const first = await gus.post(
        '/support/requests',
        requestForm({
          title: 'Back and sent again',
          _once: onceKeyOf((await gus.get('/support/requests/new')).body, '/support/requests'),
        }),
      )
      assert.equal(first.statusCode, 303)
      const refetched = onceKeyOf((await gus.get('/support/requests/new')).body, '/support/requests')
      const again = await gus.post(
        '/support/requests',
        requestForm({ title: 'Back and sent again', _once: refetched }),
      )
      assert.equal(again.headers.location, first.headers.location)
      assert.equal(await countRequests('Back and sent again'), 1)
      // Half an hour later the same words are a new request, made on purpose.
      now = new Date(NOW.getTime() + 31 * 60_000)
      try {
        const later = onceKeyOf((await gus.get('/support/requests/new')).body, '/support/requests')
        const second = await gus.post(
          '/support/requests',
          requestForm({ title: 'Back and sent again', _once: later }),
        )
        assert.equal(second.statusCode, 303)
        assert.notEqual(second.headers.location, first.headers.location)
        assert.equal(await countRequests('Back and sent again'), 2)
      } finally {
        now = NOW
      }
    })

    test('a form without a key (a script) is not held back', async () => {
      const gus = new TestBrowser(t.app)
      await gus.signIn('gus.gateway@example.invalid')
      await gus.get('/support/requests/new')
      const a = await gus.post('/support/requests', requestForm({ title: 'Scripted twice' }))
      const b = await gus.post('/support/requests', requestForm({ title: 'Scripted twice' }))
      assert.notEqual(a.headers.location, b.headers.location)
      assert.equal(await countRequests('Scripted twice'), 2)
    })

    test('a refused submission frees its key, so the corrected form goes through', async () => {
      const gus = new TestBrowser(t.app)
      await gus.signIn('gus.gateway@example.invalid')
      const key = onceKeyOf((await gus.get('/support/requests/new')).body, '/support/requests')
      const refused = await gus.post('/support/requests', requestForm({ title: '', _once: key }))
      assert.equal(refused.statusCode, 400)
      const sent = await gus.post('/support/requests', requestForm({ title: 'Corrected', _once: key }))
      assert.equal(sent.statusCode, 303)
      assert.equal(await countRequests('Corrected'), 1)
    })

    test('a key is bound to its browser: another browser with the same key is not sent elsewhere', async () => {
      const gus = new TestBrowser(t.app)
      await gus.signIn('gus.gateway@example.invalid')
      const key = onceKeyOf((await gus.get('/support/requests/new')).body, '/support/requests')
      const first = await gus.post('/support/requests', requestForm({ title: 'Mine', _once: key }))
      const other = new TestBrowser(t.app)
      await other.signIn('gus.gateway@example.invalid')
      await other.get('/support/requests/new')
      const second = await other.post('/support/requests', requestForm({ title: 'Mine', _once: key }))
      assert.equal(second.statusCode, 303)
      assert.notEqual(second.headers.location, first.headers.location)
    })

    test('a project created twice from the same form is one project', async () => {
      const ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      const page = await ada.get('/projects/new')
      const key = onceKeyOf(page.body, '/projects')
      const form = {
        title: 'Fewer missed insulin doses',
        problem: 'Doses are missed on the ward',
        organisationIds: ['org-ghft'],
        _once: key,
      }
      const [a, b] = await Promise.all([ada.post('/projects', form), ada.post('/projects', form)])
      assert.equal(a.statusCode, 303, a.body.slice(0, 300))
      assert.equal(b.headers.location, a.headers.location)
      const rows = await t.db.database.db
        .selectFrom('projects')
        .select('id')
        .where('title', '=', 'Fewer missed insulin doses')
        .execute()
      assert.equal(rows.length, 1)
    })

    test('every form the app renders carries a key', async () => {
      const ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      for (const url of [
        '/projects/new',
        '/profile/edit',
        '/account/tokens',
        '/support/requests/new',
        '/get-involved',
      ]) {
        const html = (await ada.get(url)).body
        const forms = [...html.matchAll(/<form[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/g)].filter(
          (f) => !f[0].includes('action="/sign-out'),
        )
        assert.ok(forms.length > 0, url)
        for (const f of forms) assert.match(f[1], /name="_once" value="[A-Za-z0-9_-]{20,}"/, url)
      }
    })
  })
}
