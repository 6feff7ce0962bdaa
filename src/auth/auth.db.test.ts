import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  errorSummary,
  h1,
  linkFromOutbox,
  startTestApp,
  TestBrowser,
  TEST_PASSWORD,
  type TestApp,
} from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { PASSWORD_RULE } from './passwords.js'
import { LIMITS } from './service.js'

const GOOD_PASSWORD = 'a-long-enough-passphrase'
let counter = 0
const freshEmail = () => `newcomer${Date.now()}${counter++}@example.org`

function joinForm(overrides: Record<string, string> = {}) {
  return {
    name: 'Nia Newcomer',
    email: freshEmail(),
    password: GOOD_PASSWORD,
    affiliation: 'organisation',
    organisationId: 'org-ghc',
    jobRole: 'Nurse',
    interests: 'frailty',
    privacy: 'on',
    ...overrides,
  }
}

for (const { dialect, skip } of await testDialects()) {
  describe(`joining and signing in on ${dialect}`, { skip }, () => {
    let t: TestApp
    let now = new Date()
    before(async () => {
      t = await startTestApp(dialect, { clock: () => now })
    })
    after(() => t?.close())

    test('a newcomer joins, confirms the e-mail address from the outbox, signs in and out', async () => {
      const browser = new TestBrowser(t.app, '10.0.0.1')
      const form = joinForm()
      const joined = await browser.submit('/join', '/join', form)
      assert.equal(joined.statusCode, 303)
      assert.match(joined.headers.location as string, /^\/join\/check-email/)
      const unverified = await browser.submit('/sign-in', '/sign-in', {
        email: form.email,
        password: GOOD_PASSWORD,
      })
      assert.equal(h1(unverified.body), 'Confirm your e-mail address first')
      const link = await linkFromOutbox(t.services, form.email, '/verify-email/')
      const verified = await browser.get(link)
      assert.equal(verified.statusCode, 200)
      assert.equal(h1(verified.body), 'Your e-mail address is confirmed')
      const reused = await browser.get(link)
      assert.equal(reused.statusCode, 400)
      assert.equal(h1(reused.body), 'This link has already been used')
      const signedIn = await browser.submit('/sign-in?next=/people', '/sign-in', {
        email: form.email.toUpperCase(),
        password: GOOD_PASSWORD,
        next: '/people',
      })
      assert.equal(signedIn.statusCode, 303)
      assert.equal(signedIn.headers.location, '/people')
      const profile = await browser.get('/profile')
      assert.equal(profile.statusCode, 200)
      assert.match(profile.body, /Nia Newcomer/)
      assert.match(profile.body, /Waiting for your organisation/)
      const cookie = browser.cookies.get('qi_session')!
      const out = await browser.post('/sign-out', {})
      assert.equal(out.statusCode, 303)
      const afterOut = await t.app.inject({ url: '/profile', cookies: { qi_session: cookie } })
      assert.equal(afterOut.statusCode, 303, 'the old session cookie no longer works')
      assert.match(afterOut.headers.location as string, /^\/sign-in/)
      const audit = await t.services.audit.search({ q: form.email })
      const actions = audit.items.map((i) => i.action)
      for (const a of ['user.join', 'auth.sign_in', 'auth.sign_out'])
        assert.ok(actions.includes(a), `audit has ${a}`)
    })

    test('an empty join form shows every problem in the error summary', async () => {
      const browser = new TestBrowser(t.app)
      const res = await browser.submit('/join', '/join', {})
      assert.equal(res.statusCode, 400)
      const messages = errorSummary(res.body)
      for (const m of [
        'Enter your full name',
        'Enter your e-mail address',
        'Enter a password',
        'Select how you are connected to the community',
        'Confirm that you have read the privacy notice',
      ]) {
        assert.ok(messages.includes(m), `summary has "${m}" (got ${messages.join(' | ')})`)
      }
      assert.match(res.body, /<title>Error: /)
    })

    test('bad join input is explained and the input is kept', async () => {
      const browser = new TestBrowser(t.app)
      const cases: [Record<string, string>, string][] = [
        [{ name: 'x'.repeat(121) }, 'Full name must be 120 characters or fewer'],
        [{ email: 'not-an-email' }, 'Enter an e-mail address in the correct format, like name@example.com'],
        [{ password: 'short' }, PASSWORD_RULE],
        [{ password: 'password1234' }, PASSWORD_RULE],
        [{ organisationId: 'org-nowhere' }, 'Select an organisation from the list'],
        [{ organisationId: '' }, 'Select your organisation'],
        [{ interests: 'y'.repeat(501) }, 'Interests must be 500 characters or fewer'],
      ]
      for (const [override, message] of cases) {
        const form = joinForm(override)
        const res = await browser.submit('/join', '/join', form)
        assert.equal(res.statusCode, 400, JSON.stringify(override))
        assert.deepEqual(errorSummary(res.body), [message], JSON.stringify(override))
        if (override.password === undefined)
          assert.match(res.body, new RegExp(`value="${form.email.replace(/[.+]/g, '\\$&')}"`), 'e-mail kept')
        assert.doesNotMatch(res.body, new RegExp(GOOD_PASSWORD), 'the password is never echoed back')
      }
    })

    test('HTML in a name is shown escaped, never run', async () => {
      const browser = new TestBrowser(t.app)
      const res = await browser.submit(
        '/join',
        '/join',
        joinForm({ name: '<script>alert(1)</script>', email: 'bad' }),
      )
      assert.equal(res.statusCode, 400)
      assert.doesNotMatch(res.body, /<script>alert\(1\)<\/script>/)
      assert.match(res.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
    })

    test('joining with a registered address looks the same and tells the owner instead', async () => {
      const browser = new TestBrowser(t.app, '10.0.0.2')
      const res = await browser.submit('/join', '/join', joinForm({ email: 'ben.baseline@example.invalid' }))
      assert.equal(res.statusCode, 303)
      assert.match(res.headers.location as string, /^\/join\/check-email/)
      const { items } = await t.services.mail.list({ to: 'ben.baseline@example.invalid' })
      assert.equal(items[0]?.kind, 'join_existing')
      const count = await t.db.database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'ben.baseline@example.invalid')
        .execute()
      assert.equal(count.length, 1)
    })

    test('a wrong password and an unknown address get the same message', async () => {
      const browser = new TestBrowser(t.app, '10.0.0.3')
      const wrong = await browser.submit('/sign-in', '/sign-in', {
        email: 'cara.cycle@example.invalid',
        password: 'not-the-password',
      })
      const unknown = await browser.submit('/sign-in', '/sign-in', {
        email: 'nobody@example.invalid',
        password: 'not-the-password',
      })
      assert.equal(wrong.statusCode, 400)
      assert.deepEqual(errorSummary(wrong.body), ['Enter a correct e-mail address and password'])
      assert.deepEqual(errorSummary(unknown.body), errorSummary(wrong.body))
      const audit = await t.services.audit.search({ action: 'auth.sign_in_failed' })
      assert.ok(audit.total >= 2)
    })

    test('sign-in is rate-limited per account', async () => {
      const browser = new TestBrowser(t.app, '10.0.0.4')
      let last = await browser.submit('/sign-in', '/sign-in', {
        email: 'dev.driver@example.invalid',
        password: 'wrong-password',
      })
      for (let i = 0; i < 8; i++)
        last = await browser.submit('/sign-in', '/sign-in', {
          email: 'dev.driver@example.invalid',
          password: 'wrong-password-' + i,
        })
      assert.equal(last.statusCode, 429)
      assert.match(last.body, /Too many failed attempts/)
      const correct = await browser.submit('/sign-in', '/sign-in', {
        email: 'dev.driver@example.invalid',
        password: TEST_PASSWORD,
      })
      assert.equal(correct.statusCode, 429, 'even the right password waits for the window to pass')
      now = new Date(now.getTime() + 16 * 60_000)
      const later = await browser.submit('/sign-in', '/sign-in', {
        email: 'dev.driver@example.invalid',
        password: TEST_PASSWORD,
      })
      assert.equal(later.statusCode, 303)
    })

    test('sixty people behind one hospital address join and sign in within a minute', async () => {
      const room = '10.60.0.1'
      const people = Array.from({ length: 60 }, (_, i) => ({ ...joinForm(), name: `Trainee ${i + 1}` }))
      const joiner = new TestBrowser(t.app, room)
      await joiner.get('/join')
      for (const person of people) {
        const joined = await joiner.post('/join', person)
        assert.equal(joined.statusCode, 303, `${person.name} joins from the shared address`)
        const link = await linkFromOutbox(t.services, person.email, '/verify-email/')
        assert.equal((await joiner.get(link)).statusCode, 200)
      }
      const minute = now
      for (const [i, person] of people.entries()) {
        now = new Date(minute.getTime() + i * 900) // 60 sign-ins inside 54 seconds
        const browser = new TestBrowser(t.app, room)
        const res = await browser.submit('/sign-in', '/sign-in', {
          email: person.email,
          password: GOOD_PASSWORD,
        })
        assert.equal(res.statusCode, 303, `${person.name} signs in (got ${res.statusCode}: ${h1(res.body)})`)
        assert.equal((await browser.get('/profile')).statusCode, 200)
      }
      now = minute
    })

    test('failed sign-ins from one address are limited, and successful ones do not count', async () => {
      const address = '10.0.0.5'
      const browser = new TestBrowser(t.app, address)
      // Successes first: had they counted, the limit would come sooner.
      for (let i = 0; i < 20; i++)
        await new TestBrowser(t.app, address).signIn('ben.baseline@example.invalid')
      await browser.get('/sign-in')
      const max = LIMITS.signInFailuresPerIp.max
      for (let i = 0; i < max; i++) {
        const res = await browser.post('/sign-in', {
          email: `person${i}@example.invalid`,
          password: 'wrong-password',
        })
        assert.equal(res.statusCode, 400, `failure ${i + 1} of ${max} is an ordinary wrong password`)
      }
      const last = await browser.post('/sign-in', {
        email: 'person@example.invalid',
        password: 'wrong-password',
      })
      assert.equal(last.statusCode, 429)
      assert.match(last.body, /Too many failed sign-in attempts from your network/)
      assert.ok(Number(last.headers['retry-after']) > 0)
      const right = await browser.post('/sign-in', {
        email: 'ben.baseline@example.invalid',
        password: TEST_PASSWORD,
      })
      assert.equal(right.statusCode, 429, 'the address waits for the window to pass')
      const elsewhere = await new TestBrowser(t.app, '10.0.0.50').signIn('ben.baseline@example.invalid')
      assert.equal(elsewhere.statusCode, 303, 'another address is not affected')
      now = new Date(now.getTime() + 16 * 60_000)
      const later = await browser.submit('/sign-in', '/sign-in', {
        email: 'ben.baseline@example.invalid',
        password: TEST_PASSWORD,
      })
      assert.equal(later.statusCode, 303)
    })

    test('a missing or tampered CSRF token is refused with a 403 page', async () => {
      const browser = new TestBrowser(t.app, '10.0.0.6')
      await browser.get('/sign-in')
      const missing = await browser.post('/sign-in', {
        _csrf: '',
        email: 'ada.aimwell@example.invalid',
        password: TEST_PASSWORD,
      })
      assert.equal(missing.statusCode, 403)
      assert.equal(h1(missing.body), 'Your form has expired')
      const tampered = await browser.post('/sign-in', {
        _csrf: browser.csrf.slice(0, -2) + 'xx',
        email: 'ada.aimwell@example.invalid',
        password: TEST_PASSWORD,
      })
      assert.equal(tampered.statusCode, 403)
      const noCookie = await t.app.inject({
        method: 'POST',
        url: '/sign-in',
        payload: `_csrf=${browser.csrf}&email=a%40example.org&password=x`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      assert.equal(noCookie.statusCode, 403)
    })

    test('an oversized form gets a 413 page', async () => {
      const browser = new TestBrowser(t.app, '10.0.0.7')
      await browser.get('/get-involved')
      const res = await browser.post('/get-involved', { name: 'x', message: 'y'.repeat(300 * 1024) })
      assert.equal(res.statusCode, 413)
      assert.equal(h1(res.body), 'What you sent is too large')
    })

    test('a forgotten password link works once, expires, and signs out every session', async () => {
      const existing = new TestBrowser(t.app, '10.0.0.8')
      await existing.signIn('gus.gateway@example.invalid')
      const browser = new TestBrowser(t.app, '10.0.0.9')
      const unknown = await browser.submit('/forgotten-password', '/forgotten-password', {
        email: 'nobody@example.invalid',
      })
      const known = await browser.submit('/forgotten-password', '/forgotten-password', {
        email: 'gus.gateway@example.invalid',
      })
      assert.equal(h1(unknown.body), h1(known.body))
      const link = await linkFromOutbox(t.services, 'gus.gateway@example.invalid', '/reset-password/')
      const form = await browser.get(link)
      assert.equal(h1(form.body), 'Choose a new password')
      const mismatch = await browser.post(link, {
        password: 'a-new-long-passphrase',
        confirm: 'something else',
      })
      assert.deepEqual(errorSummary(mismatch.body), ['The passwords do not match'])
      const weak = await browser.post(link, { password: 'short', confirm: 'short' })
      assert.deepEqual(errorSummary(weak.body), [PASSWORD_RULE])
      const done = await browser.post(link, {
        password: 'a-new-long-passphrase',
        confirm: 'a-new-long-passphrase',
      })
      assert.equal(done.statusCode, 303)
      const again = await browser.get(link)
      assert.equal(h1(again.body), 'This link has already been used')
      assert.equal((await existing.get('/profile')).statusCode, 303, 'other sessions were revoked')
      await browser.signIn('gus.gateway@example.invalid', 'a-new-long-passphrase')
      // An expired link
      await browser.submit('/forgotten-password', '/forgotten-password', {
        email: 'leo.learner@example.invalid',
      })
      const expiredLink = await linkFromOutbox(t.services, 'leo.learner@example.invalid', '/reset-password/')
      now = new Date(now.getTime() + 2 * 3600_000)
      const expired = await browser.get(expiredLink)
      assert.equal(h1(expired.body), 'This link has expired')
      assert.equal(h1((await browser.get('/reset-password/forged-token')).body), 'This link is not valid')
    })

    test('changing the password needs the current one and revokes other sessions', async () => {
      const other = new TestBrowser(t.app, '10.0.1.1')
      await other.signIn('esme.exec@example.invalid')
      const browser = new TestBrowser(t.app, '10.0.1.2')
      await browser.signIn('esme.exec@example.invalid')
      const wrong = await browser.submit('/account/password', '/account/password', {
        current: 'not-it',
        password: 'another-long-passphrase',
        confirm: 'another-long-passphrase',
      })
      assert.deepEqual(errorSummary(wrong.body), ['Your current password is not correct'])
      const ok = await browser.submit('/account/password', '/account/password', {
        current: TEST_PASSWORD,
        password: 'another-long-passphrase',
        confirm: 'another-long-passphrase',
      })
      assert.equal(ok.statusCode, 303)
      assert.equal((await browser.get('/profile')).statusCode, 200, 'this browser stays signed in')
      assert.equal((await other.get('/profile')).statusCode, 303, 'the other session was revoked')
    })
  })
}

describe('pages and headers', () => {
  let t: TestApp
  before(async () => {
    t = await startTestApp('sqlite')
  })
  after(() => t?.close())

  test('responses carry the security headers and a nonce-based CSP', async () => {
    const res = await t.app.inject({ url: '/' })
    const csp = String(res.headers['content-security-policy'])
    assert.doesNotMatch(csp, /unsafe-inline/)
    assert.match(csp, /script-src 'self' 'nonce-[^']+'/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.equal(res.headers['x-content-type-options'], 'nosniff')
    assert.equal(res.headers['referrer-policy'], 'same-origin')
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]
    assert.match(res.body, new RegExp(`<script nonce="${nonce}">`))
    const cookie = String(res.headers['set-cookie'])
    assert.match(cookie, /HttpOnly/)
    assert.match(cookie, /SameSite=Lax/)
  })

  test('the session cookie is HttpOnly and SameSite=Lax', async () => {
    const browser = new TestBrowser(t.app)
    const res = await browser.signIn('ada.aimwell@example.invalid')
    const header = ([] as string[])
      .concat(res.headers['set-cookie'] as string[])
      .find((c) => c.startsWith('qi_session='))!
    assert.match(header, /HttpOnly/)
    assert.match(header, /SameSite=Lax/)
    assert.doesNotMatch(header, /Secure/, 'not Secure on plain http://localhost')
  })

  test('unknown addresses get the NHS-styled 404 page and the API a JSON problem', async () => {
    const res = await t.app.inject({ url: '/no/such/page' })
    assert.equal(res.statusCode, 404)
    assert.equal(h1(res.body), 'Page not found')
    assert.match(res.body, /nhsuk-header/)
    const api = await t.app.inject({ url: '/api/nothing' })
    assert.equal(api.statusCode, 404)
    assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8')
    assert.equal(api.json().status, 404)
  })

  test('/healthz answers once the database answers', async () => {
    const res = await t.app.inject({ url: '/healthz' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { status: 'ok', database: 'sqlite' })
  })

  test('signing in only redirects to paths on this site', async () => {
    const browser = new TestBrowser(t.app)
    const res = await browser.submit('/sign-in', '/sign-in', {
      email: 'ada.aimwell@example.invalid',
      password: TEST_PASSWORD,
      next: '//evil.example.com/x',
    })
    assert.equal(res.headers.location, '/')
  })

  test('a next address with a tab, a line break or an encoded trick signs in to the home page', async () => {
    for (const next of [
      '/\t/evil.example',
      '/\n/evil.example',
      '/%0a/evil.example',
      '/\\evil',
      'https://evil',
    ]) {
      const browser = new TestBrowser(t.app, '10.9.9.1')
      const res = await browser.submit('/sign-in', '/sign-in', {
        email: 'ada.aimwell@example.invalid',
        password: TEST_PASSWORD,
        next,
      })
      assert.equal(res.statusCode, 303, JSON.stringify(next))
      assert.equal(res.headers.location, '/', JSON.stringify(next))
      const again = await browser.get(`/sign-in?next=${encodeURIComponent(next)}`)
      assert.equal(again.statusCode, 303, 'signed in already: straight on')
      assert.equal(again.headers.location, '/', JSON.stringify(next))
    }
  })
})
