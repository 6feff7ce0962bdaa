// Networks and their discussions (issue 11 point 1), as a signed-in member uses them. Built on
// Member: every page reached is checked with axe.
import type { Locator } from 'playwright-core'
import type { Member } from './member.js'

export class NetworkPages {
  constructor(readonly member: Member) {}

  get page() {
    return this.member.page
  }

  /** Proposes a network from the list page; ends on its page. */
  async propose(name: string, purpose: string, policy: 'open' | 'request'): Promise<void> {
    await this.member.open('/networks')
    await this.member.follow('Propose a network')
    await this.member.fill('Name', name)
    await this.member.fill('What is the network for?', purpose)
    await this.member.check(
      policy === 'open' ? 'Open: any member can join' : 'By request: owners or moderators',
    )
    await this.member.press('Create the network')
  }

  /** Opens a network from the list by its name. */
  async openNetwork(name: string): Promise<void> {
    await this.member.open('/networks')
    await this.member.follow(name)
  }

  async startThread(title: string, body: string): Promise<void> {
    await this.member.follow('Start a discussion')
    await this.member.fill('Title', title)
    await this.member.fill('Your post', body)
    await this.member.press('Post')
  }

  async reply(body: string): Promise<void> {
    await this.member.fill('Your reply', body)
    await this.member.press('Post your reply')
  }

  /** The post on the thread page that contains this text. */
  post(text: string): Locator {
    return this.page.locator('[data-posts] > li', { hasText: text })
  }

  /** Reports the post containing `text` with the reason whose label starts with `reason`. */
  async report(text: string, reason: string): Promise<void> {
    await this.post(text)
      .getByRole('link', { name: /^Report/ })
      .click()
    await this.page.waitForLoadState('load')
    await this.member.axe('report a post')
    await this.member.check(reason)
    await this.member.press('Send the report')
  }
}
