// The header's search box, the search results page and the resources library.
import assert from 'node:assert/strict'
import { expectNoAxeViolations } from '../harness.js'
import type { Member } from './member.js'

export class SearchPages {
  constructor(readonly member: Member) {}

  get page() {
    return this.member.page
  }

  /** Types into the header's search box on the current page and sends it; checks the results page. */
  async searchFromHeader(words: string): Promise<void> {
    await this.page.locator('#search-field').fill(words)
    const [response] = await Promise.all([
      this.page.waitForNavigation(),
      this.page.locator('.nhsuk-header__search-form button[type=submit]').click(),
    ])
    assert.equal(response?.status(), 200, `searching for ${words}`)
    assert.match(this.member.path, /^\/search\?/)
    await expectNoAxeViolations(this.page)
  }

  /** The count a type filter shows ("Resources (4)"). */
  async count(plural: string): Promise<number> {
    const text = await this.page.getByRole('navigation', { name: 'Filter by type' }).innerText()
    return Number(new RegExp(`${plural} \\((\\d+)\\)`).exec(text)?.[1] ?? NaN)
  }

  /** The titles of the results on this page. */
  async resultTitles(): Promise<string[]> {
    return (await this.page.locator('.app-search-results h3').allInnerTexts()).map((t) => t.trim())
  }
}
