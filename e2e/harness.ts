// Browser tests: the real app listening on 127.0.0.1, driven by Debian's Chromium.
//
// One `E2e` per test file: `startE2e()` in `before`, `e2e.close()` in `after`.
// Every browser context it makes refuses requests to anywhere but the app, and
// records page errors, so a test can check the site made no outside requests
// and threw no JavaScript errors.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { buildApp, type Services } from '../src/app.js'
import type { Config } from '../src/config.js'
import { loadDemoContent } from '../src/demo/load.js'
import { openTestDatabase, type TestDatabase } from '../src/testing/databases.js'
import { TEST_PASSWORD, testConfig } from '../src/testing/app.js'
import { checkMarkup, markupCheckerAvailable, type ServedPage } from './markup.js'

export { TEST_PASSWORD }

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

export interface ContextOptions {
  /** `false` runs the pages without JavaScript, as some users and browsers do. */
  javaScript?: boolean
}

export interface E2e {
  /** `http://127.0.0.1:<port>`, also the app's BASE_URL (so links in e-mails point here). */
  baseUrl: string
  services: Services
  config: Config
  browser: Browser
  /** A fresh browser context (its own cookies), locked to the app's address. */
  newContext(options?: ContextOptions): Promise<BrowserContext>
  /** Requests the contexts refused (anything not to 127.0.0.1). */
  blockedRequests: string[]
  /** Uncaught page errors and console errors, with the page's address. */
  pageErrors: string[]
  close(): Promise<void>
}

/**
 * Starts the app on a fresh in-memory SQLite database with the demo content, on
 * 127.0.0.1 and a free port, and launches Chromium.
 *
 * The HTTP server listens first, so the app can be built knowing its real
 * address; the server then hands each request to Fastify's router.
 */
export async function startE2e(): Promise<E2e> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const baseUrl = `http://127.0.0.1:${port}`

  let db: TestDatabase | undefined
  let browser: Browser | undefined
  let app: Awaited<ReturnType<typeof buildApp>>['app'] | undefined
  try {
    db = await openTestDatabase('sqlite')
    await loadDemoContent(db.database.db, { password: TEST_PASSWORD })
    const config = testConfig({ BASE_URL: baseUrl })
    const built = await buildApp({ config, database: db.database })
    app = built.app
    await app.ready()
    const fastify = app
    server.on('request', (req, res) => fastify.routing(req, res))

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })

    const blockedRequests: string[] = []
    const pageErrors: string[] = []
    const served = new Map<string, Promise<ServedPage | null>>()
    const contexts: BrowserContext[] = []
    const launched = browser
    const openedDb = db
    let auditor: Promise<Page> | undefined
    const e2e: E2e = {
      baseUrl,
      services: built.services,
      config,
      browser,
      blockedRequests,
      pageErrors,
      async newContext(options: ContextOptions = {}) {
        const context = await launched.newContext({
          baseURL: baseUrl,
          javaScriptEnabled: options.javaScript !== false,
          locale: 'en-GB',
          timezoneId: 'Europe/London',
        })
        context.setDefaultTimeout(15_000)
        context.setDefaultNavigationTimeout(30_000)
        await context.route('**/*', async (route) => {
          const url = route.request().url()
          let host = ''
          try {
            host = new URL(url).hostname
          } catch {
            host = ''
          }
          // A request the auditor page's own route (auditCopy) fulfilled can reach this handler
          // too as it is unrouted: Playwright then says the route "is already handled", which is
          // no failure of the page's, so that one error is let go (any other still fails the test).
          if (host === '127.0.0.1') return route.continue().catch(unlessHandled)
          blockedRequests.push(url)
          return route.abort('blockedbyclient').catch(unlessHandled)
        })
        context.on('page', (page) => watchPage(page, pageErrors, served))
        contexts.push(context)
        if (options.javaScript === false) scriptless.set(context, auditorPage)
        return context
      },
      async close() {
        const pages = (await Promise.all(served.values())).filter((p): p is ServedPage => p !== null)
        if (process.env.E2E_TIMING)
          console.log(`axe: ${axeStats.run} run, ${axeStats.skipped} skipped as seen`)
        for (const context of contexts) await context.close().catch(() => undefined)
        await launched.close().catch(() => undefined)
        await closeServer(server)
        await fastify.close()
        await openedDb.cleanup()
        // Valid HTML (issue 15 point 8): every document the journeys were served, once each.
        if (process.env.E2E_MARKUP !== '0' && markupCheckerAvailable()) {
          const errors = checkMarkup(pages)
          if (errors.length)
            throw new Error(
              `The HTML checker found ${errors.length} error(s) in the app's markup:\n` +
                errors.map((e) => `- ${e.url} line ${e.line}: ${e.message}\n    ${e.extract}`).join('\n'),
            )
        }
      },
    }
    // The page that audits copies of pages seen without JavaScript (made when first needed).
    const auditorPage = () => (auditor ??= e2e.newContext().then((context) => context.newPage()))
    return e2e
  } catch (error) {
    await browser?.close().catch(() => undefined)
    await closeServer(server).catch(() => undefined)
    await app?.close().catch(() => undefined)
    await db?.cleanup().catch(() => undefined)
    throw error
  }
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve()
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()))
    server.closeAllConnections()
  })
}

// The Content-Security-Policy each page's document came with, for copies of it.
const documentPolicy = new WeakMap<Page, string>()

/** Console messages that are known and not this test's business (none: pages load nothing from other hosts). */
const KNOWN_CONSOLE_ERRORS: RegExp[] = []

function watchPage(page: Page, errors: string[], served: Map<string, Promise<ServedPage | null>>) {
  page.on('response', (response) => {
    const request = response.request()
    if (request.isNavigationRequest() && response.frame() === page.mainFrame()) {
      documentPolicy.set(page, response.headers()['content-security-policy'] ?? '')
      const url = new URL(response.url())
      const key = `${request.method()} ${url.pathname}${url.search} ${response.status()}`
      const isHtml = (response.headers()['content-type'] ?? '').startsWith('text/html')
      if (isHtml && !served.has(key))
        served.set(
          key,
          response.text().then(
            (html) => ({ url: key, html }),
            () => null,
          ),
        )
    } else if (response.status() >= 400) {
      // A style sheet, script or image that is missing. (Pages' own statuses are the tests' to check.)
      errors.push(`${page.url()}: ${request.resourceType()} ${response.url()} answered ${response.status()}`)
    }
  })
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    const text = message.text()
    // The browser also reports a page answering 400 (a form with errors) or 404; responses are checked above.
    if (text.startsWith('Failed to load resource:')) return
    if (KNOWN_CONSOLE_ERRORS.some((known) => known.test(text))) return
    errors.push(`${page.url()}: ${text}`)
  })
}

// Pages of contexts made with `javaScript: false`, and how to audit them (see below).
const scriptless = new WeakMap<BrowserContext, () => Promise<Page>>()

/**
 * Runs axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules) on the page as it is now
 * and fails listing every violation: its id, what it means and the nodes.
 *
 * axe needs timers, which Chromium stops when JavaScript is off. So a page of a
 * context without JavaScript is audited as a copy: its document, scripts
 * removed, is served at the same address to a page that allows JavaScript
 * (only for axe, which is injected), with the same styles from the app.
 */
export async function expectNoAxeViolations(page: Page, label = ''): Promise<void> {
  const auditor = scriptless.get(page.context())
  const key = await auditKey(page, auditor !== undefined)
  if (audited.has(key)) {
    axeStats.skipped++
    return
  }
  const results = withoutKnownFalsePositives(
    auditor ? await auditCopy(page, await auditor()) : await axe(page),
  )
  if (results.violations.length === 0) {
    audited.add(key)
    return
  }
  const where = `${label ? `${label}: ` : ''}${pathOf(page)}${auditor ? ' (without JavaScript)' : ''}`
  const lines = results.violations.map((v) => {
    const nodes = v.nodes
      .map(
        (n) =>
          `    - ${n.target.map(String).join(' ')}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`,
      )
      .join('\n')
    return `  ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}\n    ${v.helpUrl}\n${nodes}`
  })
  assert.fail(`${results.violations.length} accessibility violation(s) on ${where}:\n${lines.join('\n')}`)
}

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>

/**
 * Documents axe has already passed in this file's run. A journey often comes back to a page it
 * has audited (a list after each add, a form shown again): the same document at the same size
 * gets the same answer, so it is audited once. The key is the serialised DOM as it is now (after
 * scripts ran), with the values that differ on every load and cannot change what axe finds
 * removed: the CSRF token, the one-time form key and the CSP nonce.
 */
const audited = new Set<string>()
export const axeStats = { run: 0, skipped: 0 }

async function auditKey(page: Page, scriptless: boolean): Promise<string> {
  const html = (await page.content())
    .replace(/(name="(?:_csrf|_once)"[^>]*?value=")[^"]*"/g, '$1"')
    .replace(/(value=")[^"]*("[^>]*?name="(?:_csrf|_once)")/g, '$1$2')
    .replace(/\snonce="[^"]*"/g, '')
    .replace(/_csrf=[^"&\s]*/g, '_csrf=')
  const size = page.viewportSize()
  return createHash('sha256')
    .update(`${scriptless ? 'no-js' : 'js'} ${size ? `${size.width}x${size.height}` : ''}\n${html}`)
    .digest('hex')
}

/**
 * NHS.UK's file upload (nhsuk-frontend 10.6, as GOV.UK Frontend's) names its button by the label
 * and by the button itself (`aria-labelledby="file-label file-comma file"`), so the name contains
 * the visible text. axe 4.14 turned `label-content-name-mismatch` on by default and does not follow
 * the self-reference: it reports that component's button on its own markup, outside this app.
 * Only that rule on that button is dropped; any other node it flags still fails.
 */
function withoutKnownFalsePositives(results: AxeResults): AxeResults {
  const violations = results.violations
    .map((v) =>
      v.id === 'label-content-name-mismatch'
        ? { ...v, nodes: v.nodes.filter((n) => !n.html.includes('nhsuk-file-upload__drop-button')) }
        : v,
    )
    .filter((v) => v.nodes.length > 0)
  return { ...results, violations }
}

/**
 * axe-core's own script, read once: injected into the page and run there directly. Only violations
 * are reported, so axe need not describe every passing node. Run this way axe takes about 300 ms a
 * page here against 500 ms through `AxeBuilder` (which adds a configure step and a frame walk per
 * run); pages with frames (the outbox's sandboxed HTML part) still go through `AxeBuilder`, which
 * injects axe into every frame. E2E_AXE_TAGS=best-practice (for example) runs other rules;
 * E2E_TIMING=1 logs each run's time.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

async function axe(page: Page): Promise<AxeResults> {
  axeStats.run++
  const started = Date.now()
  const tags = process.env.E2E_AXE_TAGS ? process.env.E2E_AXE_TAGS.split(',') : AXE_TAGS
  let results: AxeResults
  if (page.frames().length > 1) {
    results = await new AxeBuilder({ page })
      .options({ resultTypes: ['violations'] })
      .withTags(tags)
      .setLegacyMode(true)
      .analyze()
  } else {
    await page.evaluate(AXE_SOURCE)
    results = await page.evaluate(
      (values) =>
        (window as unknown as { axe: { run(c: Document, o: object): Promise<AxeResults> } }).axe.run(
          document,
          {
            runOnly: { type: 'tag', values },
            resultTypes: ['violations'],
          },
        ),
      tags,
    )
  }
  if (process.env.E2E_TIMING) console.log(`axe ${pathOf(page)}: ${Date.now() - started} ms`)
  return results
}

let auditQueue: Promise<unknown> = Promise.resolve()

/** Lets Playwright's "Route is already handled" pass; rethrows anything else. */
function unlessHandled(error: unknown): void {
  if (!(error instanceof Error && /already handled/i.test(error.message))) throw error
}

async function auditCopy(page: Page, auditor: Page) {
  const address = new URL(page.url())
  address.hash = ''
  const url = address.href
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
  const policy = documentPolicy.get(page)
  const headers = policy ? { 'content-security-policy': policy } : undefined
  const run = async () => {
    const matches = (u: URL) => u.href === url
    await auditor.route(matches, (route) =>
      route
        .fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers, body: html })
        .catch(unlessHandled),
    )
    try {
      await auditor.goto(url)
      return await axe(auditor)
    } finally {
      await auditor.unroute(matches)
    }
  }
  // One auditor page serves every context without JavaScript: one copy at a time.
  const result = auditQueue.then(run, run)
  auditQueue = result.catch(() => undefined)
  return result
}

/** Opens a path, checks its status (200 unless told) and runs axe on it, unless `axe: false`. */
export async function visit(
  page: Page,
  path: string,
  options: { status?: number; axe?: boolean } = {},
): Promise<void> {
  const response = await page.goto(path)
  assert.ok(response, `no response for ${path}`)
  assert.equal(response.status(), options.status ?? 200, `${path} answered ${response.status()}`)
  if (options.axe !== false) await expectNoAxeViolations(page)
}

/** The path and query of the page's address. */
export function pathOf(page: Page): string {
  const url = new URL(page.url())
  return url.pathname + url.search
}

/** A random, valid new password (at least 12 characters, not a common one). */
export function newPassword(): string {
  return `Improve-${Math.random().toString(36).slice(2, 10)}-together`
}

export function randomTag(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`
}
