// The foundation in a real browser: a newcomer joins, confirms their address,
// signs in, fills in their profile, finds a colleague and signs out, once with
// JavaScript and once without. Every page on the way must pass axe (WCAG 2.2 AA).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import {
  type E2e,
  TEST_PASSWORD,
  expectNoAxeViolations,
  newPassword,
  pathOf,
  randomTag,
  startE2e,
} from './harness.js'
import { OutboxPage } from './pages/admin.js'
import { JoinPage, type Newcomer, SignInPage } from './pages/auth.js'
import { DirectoryPage, ProfilePage } from './pages/people.js'
import { SitePage, clickAndWait } from './pages/site.js'

const IVY = 'ivy.infogov@example.invalid'
const BEN = 'Ben Baseline (DEMO)'
// Generous, for busy CI machines: a journey usually takes well under a minute.
const JOURNEY_TIMEOUT = 240_000

describe('foundation in the browser', () => {
  let e2e: E2e

  before(async () => {
    e2e = await startE2e()
  })

  after(async () => {
    await e2e?.close()
  })

  /** Signs Ivy (platform admin) in, in a context of her own. */
  async function signInAsIvy(javaScript: boolean): Promise<{ context: BrowserContext; page: Page }> {
    const context = await e2e.newContext({ javaScript })
    const page = await context.newPage()
    const signIn = await SignInPage.open(page)
    await signIn.axe()
    await signIn.signIn(IVY, TEST_PASSWORD)
    assert.equal(pathOf(page), '/')
    await new SitePage(page).axe('home, signed in as Ivy')
    return { context, page }
  }

  /**
   * The journey of issue 2. Ivy, a platform admin, reads the newcomer's
   * confirmation e-mail in the outbox, in a second context.
   */
  async function newcomerJourney(javaScript: boolean): Promise<void> {
    const context = await e2e.newContext({ javaScript })
    const page = await context.newPage()
    const site = new SitePage(page)

    // Home page, then Join from the header.
    await site.goto('/')
    await site.expectHeading(/\S/)
    await site.axe('home')
    await clickAndWait(page, site.header.link('Join the community'))
    assert.equal(pathOf(page), '/join')
    const join = new JoinPage(page)
    await join.expectHeading('Join the community')
    await join.axe('join')

    // Sent empty: the NHS.UK error summary, linked to each field.
    await join.submit()
    assert.match(await page.title(), /^Error: Join the community/)
    const errors = await join.errorSummary()
    assert.deepEqual(
      errors.map((e) => e.href),
      ['#name', '#email', '#password', '#affiliation', '#privacy'],
      JSON.stringify(errors),
    )
    assert.equal(errors[0].text, 'Enter your full name')
    assert.equal(await join.fieldError('name'), 'Enter your full name')
    if (javaScript) {
      // NHS.UK's script moves focus to the summary, so screen readers announce it...
      assert.equal(
        await page.evaluate(() => document.activeElement?.classList.contains('nhsuk-error-summary')),
        true,
      )
    }
    await join.axe('join with errors')
    if (javaScript) {
      // ...and its links move focus to the field.
      await page.locator('.nhsuk-error-summary').getByRole('link', { name: 'Enter a password' }).click()
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'password')
    }

    // Joins properly.
    const organisations = await join.organisations()
    assert.ok(organisations.length > 0, 'the join form lists partner organisations')
    const who: Newcomer = {
      name: `Nia Newcomer ${randomTag()}`,
      email: `newcomer-${randomTag()}@example.org`,
      password: newPassword(),
      organisation: organisations[0],
      jobRole: 'Ward sister',
    }
    await join.fill(who)
    await join.submit()
    assert.equal(pathOf(page).split('?')[0], '/join/check-email')
    await site.expectHeading('Check your e-mail')
    assert.match(await page.locator('main').innerText(), new RegExp(who.email.replace(/[.+]/g, '\\$&')))
    await site.axe('check your e-mail')

    // Ivy, a platform admin, reads the confirmation e-mail in the outbox.
    const ivy = await signInAsIvy(javaScript)
    const outbox = await OutboxPage.open(ivy.page)
    await outbox.axe('outbox')
    const message = await outbox.openMessage(who.email, /^Confirm your e-mail address/)
    await message.axe('outbox message')
    const verifyLink = await message.link('/verify-email/')
    assert.equal(new URL(verifyLink).origin, e2e.baseUrl, 'links in e-mails use BASE_URL')
    await ivy.context.close()

    // The newcomer opens the link, then signs in.
    await site.goto(verifyLink)
    await site.expectHeading('Your e-mail address is confirmed')
    await site.axe('e-mail confirmed')
    const signIn = await SignInPage.open(page)
    await signIn.axe('sign in')
    await signIn.signIn(who.email, who.password)
    assert.equal(pathOf(page), '/')
    assert.match(await site.header.accountText(), new RegExp(who.name))
    await site.axe('home, signed in')

    // Fills in the profile.
    let profile = await ProfilePage.open(page)
    await profile.expectHeading('Your profile')
    await profile.axe('profile')
    const edit = await profile.edit()
    await edit.expectHeading('Edit your profile')
    await edit.axe('edit profile')
    const bio = 'Ward sister on an older people’s ward, testing changes to discharge planning.'
    await edit.fill({
      bio,
      skills: 'process mapping, huddles',
      share: ['My organisation', 'My job role', 'About me', 'My skills'],
    })
    profile = await edit.save()
    assert.equal(pathOf(page), '/profile')
    assert.match(await profile.flash(), /Your profile has been saved\./)
    const rows = await profile.rows()
    assert.equal(rows['About you'], bio)
    assert.equal(rows['Skills'], 'process mapping, huddles')
    assert.equal(rows['Job role'], who.jobRole)
    assert.match(rows['Organisation'], new RegExp(who.organisation.replace(/[().]/g, '\\$&')))
    assert.equal(rows['In the directory'], 'Yes')
    await profile.axe('profile saved')

    // Finds Ben in the directory: by name, then by skill.
    const directory = await DirectoryPage.open(page)
    await directory.axe('directory')
    await directory.search({ q: 'Ben Baseline' })
    assert.deepEqual(await directory.names(), [BEN])
    assert.equal(await directory.status(), 'Showing 1 to 1 of 1 member')
    await directory.axe('directory, searched by name')
    await directory.search({ skill: 'run charts' })
    assert.ok((await directory.names()).includes(BEN), 'Ben shares the skill "run charts"')
    await directory.axe('directory, searched by skill')
    // The newcomer shares their skills, so colleagues can find them too.
    await directory.search({ skill: 'process mapping' })
    assert.ok((await directory.names()).includes(who.name), 'the newcomer is found by the skill they share')
    await directory.search({ skill: 'run charts' })
    const ben = await directory.open(BEN)
    await ben.expectHeading(BEN)
    const benRows = await ben.rows()
    assert.match(benRows['Skills'] ?? '', /run charts/)
    assert.equal(benRows['Job role'], 'Community physiotherapist')
    await ben.axe('Ben’s profile')

    // Signs out with the header button; the profile then asks to sign in.
    await ben.signOut()
    assert.equal(pathOf(page), '/signed-out')
    assert.match(await site.flash(), /You have signed out\./)
    assert.equal(await site.header.signOutButton().count(), 0)
    await site.axe('home, signed out')
    await site.goto('/profile')
    assert.equal(pathOf(page), '/sign-in?next=%2Fprofile')
    await site.expectHeading('Sign in')
    await site.axe('sign in, after /profile')

    await context.close()
  }

  // The two runs share the app and the browser, each in its own contexts, side by side.
  describe(
    'a newcomer joins, confirms, fills in their profile, finds a colleague and signs out',
    { concurrency: 2 },
    () => {
      test('with JavaScript', { timeout: JOURNEY_TIMEOUT }, () => newcomerJourney(true))
      test('without JavaScript', { timeout: JOURNEY_TIMEOUT }, () => newcomerJourney(false))
    },
  )

  test('public pages pass axe', async () => {
    const context = await e2e.newContext()
    const page = await context.newPage()
    const site = new SitePage(page)
    for (const path of [
      '/',
      '/about',
      '/what-is-qi',
      '/get-involved',
      '/contact',
      '/privacy',
      '/accessibility',
      '/sign-in',
      '/forgotten-password',
    ]) {
      await site.goto(path)
      await site.expectHeading(/\S/)
      await site.axe()
    }
    await site.goto('/no-such-page', 404)
    await site.expectHeading('Page not found')
    await site.axe('404')
    await context.close()
  })

  test('admin pages pass axe (signed in as Ivy)', async () => {
    const { context, page } = await signInAsIvy(true)
    const site = new SitePage(page)
    for (const path of ['/admin', '/admin/people']) {
      await site.goto(path)
      await site.axe()
    }
    // One person's page, from the list.
    await clickAndWait(page, page.locator('main table').getByRole('link', { name: BEN }))
    assert.match(pathOf(page), /^\/admin\/people\/[^/]+$/)
    await site.expectHeading(BEN)
    await site.axe('admin person')
    for (const path of [
      '/admin/audit',
      '/admin/outbox',
      '/admin/enquiries',
      '/admin/pages',
      '/admin/pages/about',
    ]) {
      await site.goto(path)
      await site.axe()
    }
    await context.close()
  })

  test('expectNoAxeViolations fails on a violation, with JavaScript on and off', async () => {
    for (const javaScript of [true, false]) {
      const context = await e2e.newContext({ javaScript })
      const page = await context.newPage()
      await page.goto('/about')
      // An image without a text alternative, added to the page as it is now.
      await page.evaluate(() =>
        document
          .querySelector('main')!
          .insertAdjacentHTML('beforeend', '<img src="/assets/images/favicon.svg" id="no-alt">'),
      )
      await assert.rejects(expectNoAxeViolations(page), (error: Error) => {
        assert.match(error.message, /accessibility violation\(s\) on \/about/)
        assert.match(error.message, /image-alt \(critical\): Images must have alternative text/)
        assert.match(error.message, /- #no-alt/)
        return true
      })
      await context.close()
    }
  })

  test('the pages made no requests outside the app and threw no errors', () => {
    assert.deepEqual(e2e.pageErrors, [])
    assert.deepEqual(e2e.blockedRequests, [])
  })
})
