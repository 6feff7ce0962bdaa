import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { SitePage, clickAndWait } from './site.js'

export class OutboxPage extends SitePage {
  static async open(page: Page): Promise<OutboxPage> {
    const outbox = new OutboxPage(page)
    await outbox.goto('/admin/outbox')
    return outbox
  }

  /** Opens the newest message to this address whose subject matches. */
  async openMessage(to: string, subject: RegExp): Promise<OutboxMessagePage> {
    const row = this.page
      .locator('main table tbody tr')
      .filter({ hasText: to })
      .filter({ has: this.page.getByRole('link', { name: subject }) })
      .first()
    assert.equal(await row.count(), 1, `a message to ${to} in the outbox`)
    await clickAndWait(this.page, row.getByRole('link', { name: subject }))
    return new OutboxMessagePage(this.page)
  }
}

export class OutboxMessagePage extends SitePage {
  body(): Promise<string> {
    return this.page.getByTestId('mail-body').innerText()
  }

  /** The address of the first link in the message whose path starts with the prefix. */
  async link(pathPrefix: string): Promise<string> {
    for (const href of await this.page
      .getByTestId('mail-body')
      .locator('a')
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))) {
      if (new URL(href).pathname.startsWith(pathPrefix)) return href
    }
    assert.fail(`no ${pathPrefix} link in the message:\n${await this.body()}`)
  }
}
