// What every page of the site has: the NHS.UK header and footer, a flash
// message, an error summary, and forms that navigate when sent.
import assert from 'node:assert/strict'
import type { Locator, Page } from 'playwright-core'
import { expectNoAxeViolations, pathOf } from '../harness.js'

/** Clicks something that loads a new page, and waits for that page to load. */
export async function clickAndWait(page: Page, target: Locator): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() })
  await target.click()
  await navigated
  await page.waitForLoadState('load')
}

export class SitePage {
  constructor(readonly page: Page) {}

  get path(): string {
    return pathOf(this.page)
  }

  heading(): Promise<string> {
    return this.page.locator('h1').first().innerText()
  }

  async expectHeading(text: string | RegExp): Promise<void> {
    const h1 = (await this.heading()).trim()
    if (typeof text === 'string') assert.equal(h1, text, `heading on ${this.path}`)
    else assert.match(h1, text, `heading on ${this.path}`)
  }

  /** Runs axe on the page as it is now; fails listing every violation. */
  axe(label?: string): Promise<void> {
    return expectNoAxeViolations(this.page, label)
  }

  async goto(path: string, status = 200): Promise<void> {
    const response = await this.page.goto(path)
    assert.equal(response?.status(), status, `GET ${path}`)
  }

  /** The text of the notification banner shown after an action ("flash"). */
  async flash(): Promise<string> {
    return (await this.page.locator('.nhsuk-notification-banner').innerText()).replace(/\s+/g, ' ').trim()
  }

  readonly header = {
    nav: () => this.page.getByRole('navigation', { name: 'Menu' }),
    link: (name: string) => this.page.locator('header').getByRole('link', { name, exact: true }),
    signOutButton: () => this.page.locator('header').getByRole('button', { name: 'Sign out' }),
    accountText: () => this.page.locator('.nhsuk-header__account').innerText(),
  }

  async signOut(): Promise<void> {
    await clickAndWait(this.page, this.header.signOutButton())
  }

  /** The messages of the NHS.UK error summary, each with the field its link goes to. */
  async errorSummary(): Promise<{ text: string; href: string }[]> {
    const summary = this.page.locator('.nhsuk-error-summary')
    assert.equal(await summary.count(), 1, `an error summary on ${this.path}`)
    assert.equal((await summary.getByRole('heading').innerText()).trim(), 'There is a problem')
    const links = summary.locator('.nhsuk-error-summary__list a')
    const out: { text: string; href: string }[] = []
    for (const link of await links.all()) {
      const href = (await link.getAttribute('href')) ?? ''
      assert.match(href, /^#[\w-]+$/, `error summary link ${href}`)
      assert.equal(await this.page.locator(href).count(), 1, `the field ${href} the error summary links to`)
      out.push({ text: (await link.innerText()).trim(), href })
    }
    return out
  }

  /** The inline error message of a field, checking the field points to it (aria-describedby). */
  async fieldError(id: string): Promise<string> {
    const describedBy = (await this.page.locator(`#${id}`).getAttribute('aria-describedby')) ?? ''
    assert.ok(describedBy.split(' ').includes(`${id}-error`), `#${id} is described by its error message`)
    const text = await this.page.locator(`#${id}-error`).innerText()
    return text.replace(/^Error:\s*/, '').trim()
  }
}
