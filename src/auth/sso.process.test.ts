import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { AxeBuilder } from '@axe-core/playwright'
import { h1, startTestApp, type TestApp } from '../testing/app.js'
import {
  closedPort,
  startLateServer,
  startOidcProvider,
  type LateServer,
  type TestOidcProvider,
} from '../testing/oidc-provider.js'
import { hmac } from '../core/ids.js'

// SSO is not dialect-specific: it runs on SQLite only (its service is covered on both by auth.db.test.ts).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
const PROVIDER_NAME = 'Test NHSmail'

const ACCOUNTS = [
  { login: 'nia', email: 'Nia.Newcomer@example.org', name: 'Nia Newcomer' },
  { login: 'ben', email: 'ben.baseline@example.invalid', name: 'Benjamin Baseline' },
  { login: 'una', email: 'una.unverified@example.org', name: 'Una Unverified', emailVerified: false },
]

describe('single sign-on with a real OpenID Connect provider (SQLite)', () => {
  let appServer: LateServer
  let provider: TestOidcProvider
  let t: TestApp
  let browser: Browser
  let base: string

  before(async () => {
    appServer = await startLateServer()
    base = appServer.url
    provider = await startOidcProvider({
      redirectUri: `${base}/sign-in/sso/callback`,
      accounts: ACCOUNTS,
      name: PROVIDER_NAME,
    })
    t = await startTestApp('sqlite', { env: { BASE_URL: base, ...provider.env } })
    appServer.setHandler((request, response) => t.app.routing(request, response))
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  })

  after(async () => {
    await browser?.close()
    await appServer?.close()
    await provider?.close()
    await t?.close()
  })

  /** A fresh browser profile that can reach nothing but this machine. */
  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext()
    // A shared CI machine can be slow: allow more than Playwright's 30 s per step.
    context.setDefaultTimeout(60_000)
    await context.route('**/*', (route) =>
      new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
    )
    return context
  }

  async function expectAccessible(page: Page) {
    const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze()
    assert.deepEqual(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      [],
      `no accessibility violations on ${page.url()}`,
    )
  }

  /** Clicks "Sign in with …" on /sign-in, logs in at the provider and consents. Returns where the app lands. */
  async function signInThroughProvider(page: Page, login: string): Promise<URL> {
    await page.goto(`${base}/sign-in`)
    await expectAccessible(page)
    await page.getByRole('link', { name: `Sign in with ${PROVIDER_NAME}` }).click()
    await page.waitForURL((url) => url.origin === provider.issuer && url.pathname.startsWith('/interaction/'))
    await page.locator('input[name="login"]').fill(login)
    await page.locator('input[name="password"]').fill('any password will do')
    await page.getByRole('button', { name: 'Sign-in' }).click()
    await page.getByRole('button', { name: 'Continue' }).click()
    // The callback redirects on success, so the page settles on it only when it failed.
    await page.waitForURL((url) => url.origin === base)
    return new URL(page.url())
  }

  async function auditActions(userId: string) {
    const { items } = await t.services.audit.search({ actorId: userId })
    return items
  }

  async function userCount() {
    const row = await t.db.database.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  test('a first sign-in with a new e-mail address creates a verified member and opens the profile editor', async () => {
    const before = await userCount()
    const context = await newContext()
    try {
      const page = await context.newPage()
      const landed = await signInThroughProvider(page, 'nia')
      assert.equal(landed.pathname, '/profile/edit')
      assert.equal(h1(await page.content()), 'Edit your profile')
      await assert.doesNotReject(
        page.getByText('Welcome to the community').waitFor({ timeout: 2000 }),
        'the welcome message shows',
      )
      assert.equal(
        await page.locator('#name').inputValue(),
        'Nia Newcomer',
        'the name came from the provider',
      )
      await expectAccessible(page)

      assert.equal(await userCount(), before + 1)
      const user = await t.db.database.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'nia.newcomer@example.org')
        .executeTakeFirstOrThrow()
      assert.ok(user.email_verified_at, 'the e-mail address counts as verified')
      assert.equal(user.password_hash, null)
      const roles = await t.db.database.db
        .selectFrom('role_grants')
        .select('role')
        .where('user_id', '=', user.id)
        .execute()
      assert.deepEqual(
        roles.map((r) => r.role),
        ['member'],
      )
      const audit = await auditActions(user.id)
      const join = audit.find((a) => a.action === 'auth.sso_join')
      assert.ok(join, `audit has auth.sso_join (got ${audit.map((a) => a.action).join(', ')})`)
      assert.deepEqual(join.after, { method: 'sso', issuer: provider.issuer, subject: 'nia' })

      // The session works: the profile page shows the new member.
      await page.goto(`${base}/profile`)
      assert.equal(new URL(page.url()).pathname, '/profile')
      assert.match(await page.content(), /Nia Newcomer/)
    } finally {
      await context.close()
    }
  })

  test('an existing member signing in with the same e-mail address is linked to their account', async () => {
    const ben = await t.db.database.db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('email', '=', 'ben.baseline@example.invalid')
      .executeTakeFirstOrThrow()
    const before = await userCount()
    const context = await newContext()
    try {
      const page = await context.newPage()
      const landed = await signInThroughProvider(page, 'ben')
      assert.equal(
        landed.pathname,
        '/',
        'an existing member goes where they were going, not to the profile editor',
      )
      assert.equal(await userCount(), before, 'no new user')
      await page.goto(`${base}/profile`)
      assert.equal(new URL(page.url()).pathname, '/profile')
      assert.match(
        await page.content(),
        /Ben Baseline \(DEMO\)/,
        'signed in as the existing demo user, name unchanged',
      )
      const signIn = (await auditActions(ben.id)).find((a) => a.action === 'auth.sign_in')
      assert.ok(signIn, 'audit has auth.sign_in')
      assert.deepEqual(signIn.after, { method: 'sso', issuer: provider.issuer, subject: 'ben' })
      assert.equal((await auditActions(ben.id)).filter((a) => a.action === 'auth.sso_join').length, 0)
      const session = await t.db.database.db
        .selectFrom('sessions')
        .select('auth_method')
        .where('user_id', '=', ben.id)
        .execute()
      assert.ok(session.some((s) => s.auth_method === 'sso'))
    } finally {
      await context.close()
    }
  })

  test('a provider that does not vouch for the e-mail address gets a clear 400 page and no account', async () => {
    const before = await userCount()
    const context = await newContext()
    try {
      const page = await context.newPage()
      let status = 0
      page.on('response', (response) => {
        if (new URL(response.url()).pathname === '/sign-in/sso/callback') status = response.status()
      })
      const landed = await signInThroughProvider(page, 'una')
      assert.equal(landed.pathname, '/sign-in/sso/callback')
      assert.equal(status, 400)
      assert.equal(h1(await page.content()), 'There is a problem')
      assert.match(await page.content(), /did not share a verified e-mail address/)
      await expectAccessible(page)
      assert.equal(await userCount(), before)
    } finally {
      await context.close()
    }
  })

  test('a wrong state from the provider gives a clear 400 page, not a 500', async () => {
    const context = await newContext()
    try {
      // Change the state in the provider's redirect back to the app, keeping the real code. The
      // browser does not route redirect hops, so the consent form's POST is routed and its redirects
      // followed here, with the context's own cookies.
      let changed = 0
      await context.route(
        (url) => url.origin === provider.issuer && url.pathname.startsWith('/interaction/'),
        async (route) => {
          if (route.request().method() !== 'POST') return route.continue()
          let response = await route.fetch({ maxRedirects: 0 })
          let location = response.headers()['location'] ?? ''
          for (
            let hop = 0;
            hop < 5 && (location.startsWith(provider.issuer) || location.startsWith('/'));
            hop++
          ) {
            response = await context.request.get(new URL(location, provider.issuer).href, { maxRedirects: 0 })
            location = response.headers()['location'] ?? ''
          }
          if (!location.startsWith(`${base}/sign-in/sso/callback`)) return route.fulfill({ response })
          const url = new URL(location)
          url.searchParams.set('state', 'not-the-state-we-sent')
          changed++
          return route.fulfill({ status: 303, headers: { location: url.href } })
        },
      )
      const page = await context.newPage()
      let status = 0
      page.on('response', (response) => {
        if (new URL(response.url()).pathname === '/sign-in/sso/callback') status = response.status()
      })
      await signInThroughProvider(page, 'ben')
      assert.equal(changed, 1, 'the redirect back was changed')
      assert.equal(status, 400)
      assert.equal(h1(await page.content()), 'There is a problem')
      assert.match(
        await page.content(),
        /Single sign-on did not complete\. Start again from the sign-in page\./,
      )
      assert.equal(
        (await context.cookies(base)).find((c) => c.name === 'qi_session'),
        undefined,
        'not signed in',
      )
      await expectAccessible(page)
    } finally {
      await context.close()
    }
  })

  /** Starts an attempt over real HTTP: the signed state cookie and the state sent to the provider. */
  async function startAttempt(): Promise<{ cookie: string; state: string }> {
    const res = await fetch(`${base}/sign-in/sso`, { redirect: 'manual' })
    assert.equal(res.status, 303)
    const location = new URL(res.headers.get('location')!)
    assert.equal(location.origin, provider.issuer)
    assert.equal(location.searchParams.get('code_challenge_method'), 'S256')
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('qi_sso='))!
    assert.match(setCookie, /Path=\/sign-in\/sso/)
    assert.match(setCookie, /HttpOnly/)
    return {
      cookie: setCookie.split(';')[0].slice('qi_sso='.length),
      state: location.searchParams.get('state')!,
    }
  }

  async function callback(query: string, cookie?: string) {
    const res = await fetch(`${base}/sign-in/sso/callback?${query}`, {
      redirect: 'manual',
      headers: cookie === undefined ? {} : { cookie: `qi_sso=${cookie}` },
    })
    return { status: res.status, body: await res.text() }
  }

  test('a missing, tampered or expired state cookie gives a clear 400 page, not a 500', async () => {
    const { cookie, state } = await startAttempt()
    const query = `code=anything&state=${state}&iss=${encodeURIComponent(provider.issuer)}`
    const expired = /Your single sign-on attempt expired\. Start again from the sign-in page\./
    const missing = await callback(query)
    assert.equal(missing.status, 400)
    assert.match(missing.body, expired)
    assert.equal(h1(missing.body), 'There is a problem')

    const [payload, signature] = cookie.split('.') as [string, string]
    const saved = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>
    const otherPayload = Buffer.from(JSON.stringify({ ...saved, next: '/admin' })).toString('base64url')
    for (const bad of [
      `${otherPayload}.${signature}`,
      `${payload}.${signature.slice(1)}x`,
      payload,
      'garbage',
      '',
    ]) {
      const res = await callback(query, bad)
      assert.equal(res.status, 400, `tampered cookie ${bad.slice(0, 20)}…`)
      assert.match(res.body, expired)
    }

    // Correctly signed (the test knows the secret) but older than 10 minutes.
    const old = Buffer.from(JSON.stringify({ ...saved, at: Date.now() - 11 * 60_000 })).toString('base64url')
    const oldCookie = `${old}.${hmac(t.config.sessionSecret, `sso:${old}`)}`
    const stale = await callback(query, oldCookie)
    assert.equal(stale.status, 400)
    assert.match(stale.body, expired)
    // Correctly signed but not JSON.
    const junk = Buffer.from('not json').toString('base64url')
    assert.equal(
      (await callback(query, `${junk}.${hmac(t.config.sessionSecret, `sso:${junk}`)}`)).status,
      400,
    )
  })

  test('a refusal or a bad code from the provider gives a clear 400 page', async () => {
    const iss = encodeURIComponent(provider.issuer)
    const refused = await startAttempt()
    const denied = await callback(
      `error=access_denied&error_description=End-User+aborted&state=${refused.state}&iss=${iss}`,
      refused.cookie,
    )
    assert.equal(denied.status, 400)
    assert.match(denied.body, /Single sign-on did not complete/)
    const forged = await startAttempt()
    const badCode = await callback(`code=made-up-code&state=${forged.state}&iss=${iss}`, forged.cookie)
    assert.equal(badCode.status, 400)
    assert.match(badCode.body, /Single sign-on did not complete/)
  })

  test('when the provider is down, /sign-in/sso shows a clear 503 page', async () => {
    const port = await closedPort()
    const down = await startTestApp('sqlite', {
      demo: false,
      env: { BASE_URL: base, ...provider.env, OIDC_ISSUER: `http://127.0.0.1:${port}` },
    })
    try {
      const res = await down.app.inject({ url: '/sign-in/sso' })
      assert.equal(res.statusCode, 503)
      assert.equal(h1(res.body), 'There is a problem')
      assert.match(
        res.body,
        /Single sign-on is not available at the moment\. Sign in with your e-mail address and password, or try again later\./,
      )
      const signIn = await down.app.inject({ url: '/sign-in' })
      assert.equal(signIn.statusCode, 200, 'password sign-in still works')
    } finally {
      await down.close()
    }
  })

  test('a production build refuses a provider over plain http, except on this machine', async () => {
    const env = { NODE_ENV: 'production', BASE_URL: base, ...provider.env }
    const remote = await startTestApp('sqlite', {
      demo: false,
      env: { ...env, OIDC_ISSUER: 'http://sso.example.invalid' },
    })
    try {
      const res = await remote.app.inject({ url: '/sign-in/sso' })
      assert.equal(res.statusCode, 503, 'tokens and the client secret never travel unencrypted')
    } finally {
      await remote.close()
    }
    const local = await startTestApp('sqlite', { demo: false, env })
    try {
      const res = await local.app.inject({ url: '/sign-in/sso' })
      assert.equal(res.statusCode, 303)
      assert.ok((res.headers.location as string).startsWith(`${provider.issuer}/auth?`))
    } finally {
      await local.close()
    }
  })

  test('the 503 page is accessible and offers password sign-in in a browser', async () => {
    const port = await closedPort()
    const downServer = await startLateServer()
    const down = await startTestApp('sqlite', {
      demo: false,
      env: { BASE_URL: downServer.url, ...provider.env, OIDC_ISSUER: `http://127.0.0.1:${port}` },
    })
    downServer.setHandler((request, response) => down.app.routing(request, response))
    const context = await newContext()
    try {
      const page = await context.newPage()
      await page.goto(`${downServer.url}/sign-in`)
      const response = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/sign-in/sso'),
        page.getByRole('link', { name: `Sign in with ${PROVIDER_NAME}` }).click(),
      ])
      assert.equal(response[0].status(), 503)
      await page.waitForLoadState()
      assert.match(await page.content(), /Single sign-on is not available at the moment/)
      await expectAccessible(page)
    } finally {
      await context.close()
      await downServer.close()
      await down.close()
    }
  })
})
