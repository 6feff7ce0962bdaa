import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { SitePage, clickAndWait } from './site.js'

/** Rows of an NHS.UK summary list, as key → value text. */
async function summaryRows(page: Page): Promise<Record<string, string>> {
  const rows: Record<string, string> = {}
  for (const row of await page.locator('.nhsuk-summary-list__row').all()) {
    const key = (await row.locator('.nhsuk-summary-list__key').innerText()).trim()
    rows[key] = (await row.locator('.nhsuk-summary-list__value').innerText()).replace(/\s+/g, ' ').trim()
  }
  return rows
}

export class ProfilePage extends SitePage {
  static async open(page: Page): Promise<ProfilePage> {
    const profile = new ProfilePage(page)
    await profile.goto('/profile')
    return profile
  }

  rows(): Promise<Record<string, string>> {
    return summaryRows(this.page)
  }

  async edit(): Promise<ProfileEditPage> {
    await clickAndWait(this.page, this.page.getByRole('link', { name: 'Edit your profile' }))
    return new ProfileEditPage(this.page)
  }
}

export type ShareChoice = 'My e-mail address' | 'My organisation' | 'My job role' | 'About me' | 'My skills'
const ALL_SHARE: ShareChoice[] = [
  'My e-mail address',
  'My organisation',
  'My job role',
  'About me',
  'My skills',
]

export class ProfileEditPage extends SitePage {
  async fill(changes: {
    bio: string
    skills: string
    share: ShareChoice[]
    inDirectory?: boolean
  }): Promise<void> {
    const { page } = this
    await page.getByLabel('About you').fill(changes.bio)
    await page.getByLabel('Skills', { exact: true }).fill(changes.skills)
    const directory = page.getByLabel('Show me in the member directory')
    if (changes.inDirectory === false) await directory.uncheck()
    else await directory.check()
    const share = page.getByRole('group', { name: 'What other members can see' })
    for (const choice of ALL_SHARE) {
      const box = share.getByLabel(choice, { exact: true })
      if (changes.share.includes(choice)) await box.check()
      else await box.uncheck()
    }
  }

  async save(): Promise<ProfilePage> {
    await clickAndWait(this.page, this.page.getByRole('button', { name: 'Save profile' }))
    return new ProfilePage(this.page)
  }
}

export class DirectoryPage extends SitePage {
  static async open(page: Page): Promise<DirectoryPage> {
    const directory = new DirectoryPage(page)
    await directory.goto('/people')
    return directory
  }

  /** Fills the search form (empty fields are cleared) and sends it. */
  async search(terms: { q?: string; skill?: string }): Promise<void> {
    const form = this.page.getByRole('search', { name: 'Members' })
    await form.getByLabel('Name or keyword').fill(terms.q ?? '')
    await form.getByLabel('Skill').fill(terms.skill ?? '')
    await clickAndWait(this.page, form.getByRole('button', { name: 'Search' }))
  }

  /** What the status line says ("Showing 1 to 1 of 1 member"). */
  async status(): Promise<string> {
    return (await this.page.getByRole('status').innerText()).trim()
  }

  /** The names on the result cards. */
  async names(): Promise<string[]> {
    return (await this.page.locator('main .nhsuk-card__heading').allInnerTexts()).map((n) => n.trim())
  }

  async open(name: string): Promise<PersonPage> {
    const link = this.page.locator('main .nhsuk-card').getByRole('link', { name, exact: true })
    assert.equal(await link.count(), 1, `one card for ${name}`)
    await clickAndWait(this.page, link)
    return new PersonPage(this.page)
  }
}

export class PersonPage extends SitePage {
  rows(): Promise<Record<string, string>> {
    return summaryRows(this.page)
  }
}
