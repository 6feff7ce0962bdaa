// The Steering Group's portfolio and the Board's SPC summary (issue 12), as a signed-in person
// uses them. Built on Member: every page reached is checked with axe.
import assert from 'node:assert/strict'
import type { Locator } from 'playwright-core'
import { expectNoAxeViolations } from '../harness.js'
import type { Member } from './member.js'
import { clickAndWait } from './site.js'

export class GovernancePages {
  constructor(readonly member: Member) {}

  get page() {
    return this.member.page
  }

  async openPortfolio(query = ''): Promise<void> {
    await this.member.open(`/steering-group/portfolio${query}`)
    await this.member.expectHeading('Portfolio')
  }

  /** Chooses a filter's value by its label and applies the filters (a GET form: works without JavaScript). */
  async filter(label: string, option: string): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).selectOption({ label: option })
    await this.member.press('Apply filters')
  }

  /** A figure of the page, by what it counts (`status:active`, `total`, `stalled`). */
  count(key: string): Locator {
    return this.page.locator(`a[data-count="${key}"]`)
  }

  async countOf(key: string): Promise<number> {
    return Number((await this.count(key).innerText()).replace(/[^\d]/g, ''))
  }

  /** Follows a figure to the projects behind it. */
  async followCount(key: string): Promise<void> {
    await clickAndWait(this.page, this.count(key))
    await expectNoAxeViolations(this.page)
  }

  /** Flags a measure of the "special cause" lists for the Board, from the portfolio. */
  async flagForBoard(measure: string): Promise<void> {
    const row = this.page.locator('tr', { hasText: measure })
    await clickAndWait(this.page, row.getByRole('button', { name: /Flag for the Board/ }))
    await expectNoAxeViolations(this.page)
    assert.match(
      await this.member.flash(),
      new RegExp(`${measure.replace(/[()]/g, '\\$&')}.* is on the Board`),
    )
  }

  /** The Board table's row of a measure. */
  boardRow(measure: string): Locator {
    return this.page.locator('table.app-board-table tr', { hasText: measure })
  }

  /** The accessible names of a row's pictures: the variation and assurance icons and the sparkline. */
  async pictures(measure: string): Promise<string[]> {
    return this.boardRow(measure)
      .locator('svg[role="img"]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''))
  }
}
