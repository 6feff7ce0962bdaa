import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import zlib from 'node:zlib'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { addMeasure, insertPoints, monthly, teamProject } from '../measures/test-helpers.js'

/** The headers every answer to a signed-in person must carry. */
function assertPrivateHeaders(res: { headers: Record<string, unknown> }, what: string) {
  assert.equal(res.headers['cache-control'], 'no-store', `${what}: no-store`)
  const policy = String(res.headers['permissions-policy'])
  for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'browsing-topics'])
    assert.match(policy, new RegExp(`(^|, )${feature}=\\(\\)`), `${what}: ${feature} denied`)
  assert.equal(res.headers['x-frame-options'], 'DENY', `${what}: framing denied, as CSP says`)
  assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/)
}

for (const { dialect, skip } of await testDialects()) {
  describe(`headers and delivery on ${dialect}`, { skip }, () => {
    let t: TestApp
    let ada: TestBrowser
    let ivy: TestBrowser
    let projectId: string
    let measureId: string
    before(async () => {
      t = await startTestApp(dialect)
      ada = new TestBrowser(t.app, '10.20.0.1')
      await ada.signIn('ada.aimwell@example.invalid')
      ivy = new TestBrowser(t.app, '10.20.0.2')
      await ivy.signIn('ivy.infogov@example.invalid')
      projectId = await teamProject(t.db.database.db)
      measureId = await addMeasure(ada, projectId)
      await insertPoints(
        t.db.database.db,
        measureId,
        monthly(12).map((period, i) => ({ period, value: 10 + (i % 4) })),
      )
    })
    after(() => t?.close())

    test('signed-in pages and personal downloads are never stored, and deny unused features and framing', async () => {
      const pages: [TestBrowser, string][] = [
        [ada, '/profile'],
        [ada, '/account/tokens'],
        [ada, `/projects/${projectId}`],
        [ada, `/measures/${measureId}`],
        [ada, `/measures/${measureId}/data.csv`],
        [ada, `/measures/${measureId}/chart.svg`],
        [ivy, '/admin/audit'],
        [ivy, '/admin/outbox'],
        [ada, '/no-such-page'],
      ]
      for (const [browser, url] of pages) {
        const res = await browser.get(url)
        assert.ok([200, 404].includes(res.statusCode), `${url}: ${res.statusCode}`)
        assertPrivateHeaders(res, url)
      }
    })

    test('an anonymous page carries the same policies but may be cached', async () => {
      const res = await t.app.inject({ url: '/about' })
      assert.equal(res.statusCode, 200)
      assert.equal(res.headers['cache-control'], undefined)
      assert.match(String(res.headers['permissions-policy']), /camera=\(\)/)
      assert.equal(res.headers['x-frame-options'], 'DENY')
    })

    test('signing out tells the browser to clear the site’s cache, cookies and storage', async () => {
      const browser = new TestBrowser(t.app, '10.20.0.3')
      await browser.signIn('ben.baseline@example.invalid')
      await browser.get('/profile')
      const out = await browser.post('/sign-out', {})
      assert.equal(out.statusCode, 303)
      assert.equal(out.headers['clear-site-data'], '"cache", "cookies", "storage"')
      assert.equal(out.headers['cache-control'], 'no-store')
      assert.equal(out.headers.location, '/signed-out')
      const page = await browser.get('/signed-out')
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /You have signed out\./)
      assert.equal((await browser.get('/profile')).statusCode, 303, 'the session is gone')
    })

    test('pages are compressed as the browser asks, with Vary: Accept-Encoding', async () => {
      const brotli = await ada.request({
        url: '/profile',
        headers: { 'accept-encoding': 'gzip, deflate, br' },
      })
      assert.equal(brotli.headers['content-encoding'], 'br')
      assert.match(String(brotli.headers.vary), /Accept-Encoding/i)
      const html = zlib.brotliDecompressSync(brotli.rawPayload).toString('utf8')
      assert.match(html, /<h1[^>]*>/)
      assert.equal(Number(brotli.headers['content-length']), brotli.rawPayload.length)
      const gzip = await ada.request({ url: '/profile', headers: { 'accept-encoding': 'gzip;q=1, br;q=0' } })
      assert.equal(gzip.headers['content-encoding'], 'gzip')
      assert.match(zlib.gunzipSync(gzip.rawPayload).toString('utf8'), /<h1[^>]*>/)
      const none = await ada.request({ url: '/profile' })
      assert.equal(none.headers['content-encoding'], undefined, 'no Accept-Encoding, no compression')
      assert.match(String(none.headers.vary), /Accept-Encoding/i)
      const small = await t.app.inject({ url: '/api/nothing', headers: { 'accept-encoding': 'br' } })
      assert.ok(small.rawPayload.length < 1024)
      assert.equal(small.headers['content-encoding'], undefined, 'under 1 KB is sent as it is')
    })

    test('static files are compressed once, hashed names are immutable, plain names cached briefly', async () => {
      const home = await t.app.inject({ url: '/' })
      const urls = [...home.body.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1])
      assert.deepEqual(
        urls.map((u) => u.replace(/\.[0-9a-f]{10}\./, '.HASH.')),
        ['/static/nhsuk-frontend.HASH.css', '/static/app.HASH.css', '/static/app.HASH.js'],
      )
      const css = urls[0]
      const first = await t.app.inject({ url: css, headers: { 'accept-encoding': 'br' } })
      assert.equal(first.statusCode, 200)
      assert.equal(first.headers['cache-control'], 'public, max-age=31536000, immutable')
      assert.equal(first.headers['content-encoding'], 'br')
      assert.equal(first.headers['content-type'], 'text/css; charset=utf-8')
      const plain = await t.app.inject({ url: css })
      assert.ok(
        first.rawPayload.length * 5 < plain.rawPayload.length,
        'the NHS.UK stylesheet shrinks at least 5 times',
      )
      assert.equal(zlib.brotliDecompressSync(first.rawPayload).toString(), plain.body)
      assert.doesNotMatch(plain.body, /@font-face/, 'no remote web font')
      const again = await t.app.inject({ url: css, headers: { 'accept-encoding': 'br' } })
      assert.ok(again.rawPayload.equals(first.rawPayload), 'the same compressed bytes, kept')
      const gzip = await t.app.inject({ url: css, headers: { 'accept-encoding': 'gzip' } })
      assert.equal(gzip.headers['content-encoding'], 'gzip')
      const revalidate = await t.app.inject({
        url: css,
        headers: { 'if-none-match': String(first.headers.etag) },
      })
      assert.equal(revalidate.statusCode, 304)

      for (const old of ['/static/app.css', '/nhsuk-frontend.css', '/static/app.js']) {
        const res = await t.app.inject({ url: old })
        assert.equal(res.statusCode, 200, old)
        assert.equal(res.headers['cache-control'], 'public, max-age=300', old)
      }
      const stale = await t.app.inject({ url: '/static/app.0123456789.css' })
      assert.equal(stale.statusCode, 200, 'an old hash still gets the file')
      assert.equal(stale.headers['cache-control'], 'public, max-age=300', 'but not for a year')
      const js = await t.app.inject({ url: urls[2] })
      const nhsukJs = /from '(\/nhsuk\/nhsuk-frontend\.min\.[0-9a-f]{10}\.js)'/.exec(js.body)?.[1]
      assert.ok(nhsukJs, 'our script imports NHS.UK’s module by its hashed name')
      const module = await t.app.inject({ url: nhsukJs })
      assert.equal(module.statusCode, 200)
      assert.equal(module.headers['cache-control'], 'public, max-age=31536000, immutable')
      assert.equal((await t.app.inject({ url: '/static/../config.ts' })).statusCode, 404)
      assert.equal((await t.app.inject({ url: '/static/%2e%2e/app.ts' })).statusCode, 404)
      const signedIn = await ada.get(urls[1])
      assert.equal(
        signedIn.headers['cache-control'],
        'public, max-age=31536000, immutable',
        'even when signed in',
      )
    })
  })
}

describe('the session cookie behind HTTPS', () => {
  let t: TestApp
  before(async () => {
    t = await startTestApp('sqlite', { env: { BASE_URL: 'https://improve.example.org' } })
  })
  after(() => t?.close())

  test('is named with the __Host- prefix: Secure, Path=/ and no Domain', async () => {
    const browser = new TestBrowser(t.app, '10.21.0.1')
    const res = await browser.signIn('ada.aimwell@example.invalid')
    const header = ([] as string[])
      .concat(res.headers['set-cookie'] as string[])
      .find((c) => c.startsWith('__Host-qi_session='))
    assert.ok(header, 'the session cookie has the __Host- prefix')
    assert.match(header, /; Secure/)
    assert.match(header, /; Path=\/(;|$)/)
    assert.doesNotMatch(header, /Domain=/i)
    assert.equal((await browser.get('/profile')).statusCode, 200, 'and signs the person in')
    const out = await browser.post('/sign-out', {})
    const cleared = ([] as string[])
      .concat(out.headers['set-cookie'] as string[])
      .find((c) => c.startsWith('__Host-qi_session='))
    assert.match(cleared ?? '', /; Secure/, 'cleared with Secure, or the browser would keep it')
  })
})
