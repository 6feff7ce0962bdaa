import type { Page } from 'playwright-core'
import { SitePage, clickAndWait } from './site.js'

export interface Newcomer {
  name: string
  email: string
  password: string
  organisation: string
  jobRole: string
}

export class JoinPage extends SitePage {
  static async open(page: Page): Promise<JoinPage> {
    const join = new JoinPage(page)
    await join.goto('/join')
    return join
  }

  async submit(): Promise<void> {
    await clickAndWait(
      this.page,
      this.page.locator('main').getByRole('button', { name: 'Join the community' }),
    )
  }

  /** The partner organisations offered in the list (without the "Choose" prompt). */
  async organisations(): Promise<string[]> {
    const options = await this.page.getByLabel('Your organisation').locator('option').allInnerTexts()
    return options.map((o) => o.trim()).filter((o) => o && o !== 'Choose your organisation')
  }

  async fill(who: Newcomer): Promise<void> {
    const { page } = this
    await page.getByLabel('Full name').fill(who.name)
    await page.getByLabel('E-mail address').fill(who.email)
    await page.getByLabel('Create a password').fill(who.password)
    await page
      .getByRole('group', { name: 'How are you connected to the community?' })
      .getByLabel('I work for a partner organisation')
      .check()
    await page.getByLabel('Your organisation').selectOption({ label: who.organisation })
    await page.getByLabel('Job role (optional)').fill(who.jobRole)
    await page.getByLabel(/I have read the privacy notice/).check()
  }
}

export class SignInPage extends SitePage {
  static async open(page: Page, path = '/sign-in'): Promise<SignInPage> {
    const signIn = new SignInPage(page)
    await signIn.goto(path)
    return signIn
  }

  async fill(email: string, password: string): Promise<void> {
    await this.page.getByLabel('E-mail address').fill(email)
    await this.page.getByLabel('Password', { exact: true }).fill(password)
  }

  async submit(): Promise<void> {
    await clickAndWait(this.page, this.page.locator('main').getByRole('button', { name: 'Sign in' }))
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.fill(email, password)
    await this.submit()
  }
}
