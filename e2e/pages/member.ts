// A signed-in person going through the site: every page they reach is checked with axe, and
// every step says which page it was on when it failed. The feature page objects (projects,
// measures, improvement, facilitation, events) are built on it.
import assert from 'node:assert/strict'
import type { BrowserContext } from 'playwright-core'
import { TEST_PASSWORD, expectNoAxeViolations, pathOf, visit, type E2e } from '../harness.js'
import { SignInPage } from './auth.js'
import { SitePage, clickAndWait } from './site.js'

export interface DateBoxes {
  day: string
  month: string
  year: string
}

/** A date `days` from today, as the three NHS.UK date-input boxes. */
export function dateFromToday(days: number): DateBoxes {
  const d = new Date(Date.now() + days * 86_400_000)
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) }
}

export class Member extends SitePage {
  /** Signs `email` in with the test password in a new context (JavaScript on unless told). */
  static async signIn(
    e2e: E2e,
    email: string,
    options: { javaScript?: boolean; phone?: boolean; axe?: boolean } = {},
  ): Promise<Member> {
    return Member.signInWith(await e2e.newContext({ javaScript: options.javaScript }), email, options)
  }

  static async signInWith(
    context: BrowserContext,
    email: string,
    options: { phone?: boolean; axe?: boolean } = {},
  ): Promise<Member> {
    const page = await context.newPage()
    if (options.phone) await page.setViewportSize({ width: 375, height: 740 })
    const form = await SignInPage.open(page)
    if (options.axe !== false) await form.axe('sign in')
    await form.signIn(email, TEST_PASSWORD)
    assert.ok(!pathOf(page).startsWith('/sign-in'), `${email} is signed in`)
    return new Member(page)
  }

  /** Opens a page by its address, expects its status and checks it with axe. */
  async open(path: string, options: { status?: number; axe?: boolean } = {}): Promise<void> {
    await visit(this.page, path, options)
  }

  /** Presses a button (by its accessible name) that sends a form, and checks the page it leads to. */
  async press(name: string | RegExp, status = 200): Promise<void> {
    const button = this.page.getByRole('button', { name, exact: typeof name === 'string' }).first()
    const [response] = await Promise.all([this.page.waitForNavigation(), button.click()])
    assert.equal(response?.status(), status, `after pressing "${String(name)}" on ${this.path}`)
    await expectNoAxeViolations(this.page)
  }

  /** Follows a link (or an NHS.UK button that is a link) by its accessible name, and checks the page. */
  async follow(name: string | RegExp): Promise<void> {
    const exact = typeof name === 'string'
    const target = this.page
      .getByRole('link', { name, exact })
      .or(this.page.getByRole('button', { name, exact }))
      .first()
    const [response] = await Promise.all([this.page.waitForNavigation(), target.click()])
    assert.equal(response?.status(), 200, `after following "${String(name)}" on ${this.path}`)
    await expectNoAxeViolations(this.page)
  }

  /** Follows a link inside the table row that holds `text`. */
  async followInRow(text: string, link: string | RegExp): Promise<void> {
    const row = this.page.locator('tr', { hasText: text })
    await clickAndWait(this.page, row.getByRole('link', { name: link }))
    await expectNoAxeViolations(this.page)
  }

  /** The text of the page's main region. */
  main(): Promise<string> {
    return this.page.locator('main').innerText()
  }

  async fill(selectorOrLabel: string, value: string): Promise<void> {
    if (/^[[#.]/.test(selectorOrLabel)) await this.page.fill(selectorOrLabel, value)
    else await this.page.getByLabel(selectorOrLabel, { exact: true }).fill(value)
  }

  /** Fills the three boxes of a date named by their prefix (`planned` → plannedDay, …). */
  async fillDate(prefix: string, date: DateBoxes): Promise<void> {
    await this.page.fill(`[name=${prefix}Day]`, date.day)
    await this.page.fill(`[name=${prefix}Month]`, date.month)
    await this.page.fill(`[name=${prefix}Year]`, date.year)
  }

  /** Fills the three boxes of the date-input group with this legend. */
  async fillDateGroup(legend: string, date: DateBoxes): Promise<void> {
    const group = this.page.getByRole('group', { name: legend })
    await group.getByLabel('Day').fill(date.day)
    await group.getByLabel('Month').fill(date.month)
    await group.getByLabel('Year').fill(date.year)
  }

  /** Ticks the checkbox or radio with this label (a label that contains the text, unless `exact`). */
  async check(label: string | RegExp, options: { exact?: boolean } = {}): Promise<void> {
    await this.page.getByLabel(label, { exact: options.exact ?? false }).check()
  }

  async close(): Promise<void> {
    await this.page.context().close()
  }
}
