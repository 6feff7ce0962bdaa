import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp, type Services } from '../app.js'
import { loadConfig, type Config } from '../config.js'
import type { Dialect } from '../db/database.js'
import { loadDemoContent } from '../demo/load.js'
import { openTestDatabase, type TestDatabase } from './databases.js'

export const TEST_PASSWORD = 'demo-password-for-tests'

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig(
    {
      NODE_ENV: 'test',
      DATA_DIR: '/tmp/qi-test-data',
      SESSION_SECRET: 'x'.repeat(40),
      DEMO_PASSWORD: TEST_PASSWORD,
      LOG_LEVEL: 'silent',
      BASE_URL: 'http://localhost:3000',
      ...env,
    },
    { persistSecret: false },
  )
}

export interface TestApp {
  app: FastifyInstance
  services: Services
  db: TestDatabase
  config: Config
  close(): Promise<void>
}

/** The whole app on a fresh database, with the demo content loaded unless `demo: false`. */
export async function startTestApp(
  dialect: Dialect,
  options: { demo?: boolean; env?: Record<string, string>; clock?: () => Date } = {},
): Promise<TestApp> {
  const db = await openTestDatabase(dialect)
  const config = testConfig(options.env)
  if (options.demo !== false)
    await loadDemoContent(db.database.db, { password: TEST_PASSWORD, clock: options.clock })
  const { app, services } = await buildApp({ config, database: db.database, clock: options.clock })
  await app.ready()
  return {
    app,
    services,
    db,
    config,
    async close() {
      await app.close()
      await db.cleanup()
    },
  }
}

/**
 * A tiny browser over `inject`: keeps cookies, finds each page's CSRF token and
 * posts forms as a browser would (application/x-www-form-urlencoded).
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>()
  csrf = ''
  ip: string

  constructor(
    private readonly app: FastifyInstance,
    ip = '127.0.0.1',
  ) {
    this.ip = ip
  }

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === ''
      if (expired) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body) ?? /[?&]_csrf=([^"&]+)/.exec(res.body)
    if (token) this.csrf = token[1]!
  }

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      remoteAddress: this.ip,
      ...options,
      cookies: { ...Object.fromEntries(this.cookies), ...(options.cookies ?? {}) },
    })
    this.remember(res)
    return res
  }

  get(url: string) {
    return this.request({ method: 'GET', url })
  }

  /** Posts a form with this browser's CSRF token (unless the form sets `_csrf` itself). */
  post(url: string, form: Record<string, string | string[]>) {
    const body = new URLSearchParams()
    if (!('_csrf' in form)) body.append('_csrf', this.csrf)
    for (const [k, v] of Object.entries(form))
      for (const item of ([] as string[]).concat(v)) body.append(k, item)
    return this.request({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
  }

  /** Gets a page first (for its token), then posts the form. */
  async submit(pageUrl: string, action: string, form: Record<string, string | string[]>) {
    await this.get(pageUrl)
    return this.post(action, form)
  }

  async signIn(email: string, password = TEST_PASSWORD) {
    const res = await this.submit('/sign-in', '/sign-in', { email, password })
    if (res.statusCode !== 303) throw new Error(`sign-in failed for ${email}: ${res.statusCode}`)
    return res
  }
}

/** Text of the first <h1>. */
export function h1(html: string): string {
  return (/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The NHS.UK error summary's messages. */
export function errorSummary(html: string): string[] {
  const block = /nhsuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? ''
  return [...block.matchAll(/<a href="#[^"]*">([\s\S]*?)<\/a>/g)].map((m) => m[1].replace(/\s+/g, ' ').trim())
}

/** The link in the latest outbox message to this address, matching a path prefix. */
export async function linkFromOutbox(services: Services, to: string, pathPrefix: string): Promise<string> {
  const { items } = await services.mail.list({ to, pageSize: 20 })
  for (const m of items) {
    const match = new RegExp(`https?://[^\\s]+(${pathPrefix}[^\\s]+)`).exec(m.text)
    if (match) return match[1]
  }
  throw new Error(`no ${pathPrefix} link in the outbox for ${to}`)
}
