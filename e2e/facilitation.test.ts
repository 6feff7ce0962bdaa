// Browser journey for facilitation and events (issue 6), in Chromium with axe-core on every page:
// a programme lead asks for support, a Steering Group member triages and accepts it with hours,
// the lead sees the new status; a member registers for an event, it fills, the next one waits.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { expectNoAxeViolations, startE2e, TEST_PASSWORD, visit, type E2e } from './harness.js'

/** A date `days` from today as the three NHS.UK date-input boxes. */
function dateBoxes(days: number): { day: string; month: string; year: string } {
  const d = new Date(Date.now() + days * 86_400_000)
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) }
}

async function signIn(
  e2e: E2e,
  email: string,
  options: { javaScript?: boolean; phone?: boolean } = {},
): Promise<Page> {
  const context = await e2e.newContext({ javaScript: options.javaScript })
  const page = await context.newPage()
  if (options.phone) await page.setViewportSize({ width: 375, height: 740 })
  await visit(page, '/sign-in')
  await page.getByLabel('E-mail address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL((url) => url.pathname !== '/sign-in')
  return page
}

/** Clicks a submit button and waits for the page it leads to, then runs axe on it. */
async function submitAndCheck(page: Page, button: string): Promise<void> {
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ])
  await page.waitForLoadState('load')
  await expectNoAxeViolations(page)
}

describe('facilitation and events in the browser', () => {
  let e2e: E2e
  let requestPath = ''
  let eventPath = ''
  before(async () => {
    e2e = await startE2e()
  })
  after(() => e2e?.close())

  test('a programme lead asks for support for their programme', async () => {
    const gus = await signIn(e2e, 'gus.gateway@example.invalid')
    await visit(gus, '/facilitation')
    await visit(gus, '/programmes/virtual-ward')
    await gus.getByRole('link', { name: 'Ask for support for this programme' }).click()
    await gus.waitForURL('**/support/requests/new?programme=virtual-ward')
    await expectNoAxeViolations(gus)
    assert.equal(await gus.getByLabel('System programme').inputValue(), 'prog-virtual-ward')

    await submitAndCheck(gus, 'Send request')
    assert.ok(await gus.locator('.nhsuk-error-summary').isVisible(), 'an empty form shows the error summary')

    await gus.getByLabel('A short title for your request').fill('Design workshops for the next phase')
    await gus
      .getByLabel('What do you need help with?')
      .fill('Co-design the next phase with community teams, carers and the acute trust.')
    await gus.getByLabel('The whole system (One Gloucestershire)').check()
    const start = dateBoxes(14)
    const end = dateBoxes(90)
    const startGroup = gus.getByRole('group', { name: 'When do you need support from?' })
    await startGroup.getByLabel('Day').fill(start.day)
    await startGroup.getByLabel('Month').fill(start.month)
    await startGroup.getByLabel('Year').fill(start.year)
    const endGroup = gus.getByRole('group', { name: 'When should the support end?' })
    await endGroup.getByLabel('Day').fill(end.day)
    await endGroup.getByLabel('Month').fill(end.month)
    await endGroup.getByLabel('Year').fill(end.year)
    await gus.getByLabel('F2: Fasten dedicated support').check()
    await gus.getByLabel('Facilitation', { exact: true }).check()
    await gus.getByLabel('Workshop design').check()
    await submitAndCheck(gus, 'Send request')
    assert.equal(await gus.locator('h1').innerText(), 'Design workshops for the next phase')
    assert.match(await gus.locator('main').innerText(), /Status: Submitted/)
    requestPath = new URL(gus.url()).pathname
    await gus.context().close()
  })

  test('a Steering Group member triages it and accepts it with hours; the lead sees the new status', async () => {
    const cara = await signIn(e2e, 'cara.cycle@example.invalid')
    await visit(cara, '/support/triage')
    await cara.getByRole('link', { name: 'Design workshops for the next phase' }).click()
    await cara.waitForURL(`**${requestPath}`)
    await expectNoAxeViolations(cara)

    await cara.getByRole('button', { name: 'Record a decision' }).click()
    await cara.waitForURL(`**${requestPath}/decide`)
    await expectNoAxeViolations(cara)
    await cara.getByLabel('Start triage').check()
    await submitAndCheck(cara, 'Record decision')
    assert.match(await cara.locator('main').innerText(), /Status: In triage/)

    await cara.getByRole('button', { name: 'Record a decision' }).click()
    await cara.waitForURL(`**${requestPath}/decide`)
    await cara.getByLabel('Accept, with hours from QI specialists').check()
    await expectNoAxeViolations(cara)
    const firstRow = cara.getByRole('group', { name: 'QI specialist 1', exact: true })
    await firstRow.getByLabel('QI specialist').selectOption({ label: 'Cara Cycle (DEMO)' })
    await firstRow.getByLabel('Month').selectOption({ index: 1 })
    await firstRow.getByLabel('Estimated hours').fill('6')
    await cara
      .getByLabel('Reason', { exact: true })
      .fill('Aligned with F2 and the virtual ward priority; Cara has hours this month.')
    await submitAndCheck(cara, 'Record decision')
    assert.match(await cara.locator('main').innerText(), /Status: Accepted/)
    assert.match(await cara.locator('main').innerText(), /Cara Cycle \(DEMO\)\s+\S+ \d{4}\s+6/)
    await visit(cara, '/support/pipeline')
    await visit(cara, '/support/capacity')
    await cara.context().close()

    const gus = await signIn(e2e, 'gus.gateway@example.invalid')
    await visit(gus, '/support/requests')
    await gus.getByRole('link', { name: 'Design workshops for the next phase' }).click()
    await gus.waitForURL(`**${requestPath}`)
    await expectNoAxeViolations(gus)
    const text = await gus.locator('main').innerText()
    assert.match(text, /Status: Accepted/)
    assert.match(text, /Aligned with F2/)
    const mail = await e2e.services.mail.list({ to: 'gus.gateway@example.invalid' })
    assert.ok(mail.items.some((m) => m.subject === 'Your support request has been accepted'))
    await gus.context().close()
  })

  test('a member registers for an event, it fills, and the next person joins the waiting list', async () => {
    const cara = await signIn(e2e, 'cara.cycle@example.invalid')
    await visit(cara, '/events/new')
    const day = dateBoxes(10)
    await cara.getByLabel('Title').fill('Virtual ward design workshop')
    await cara.getByLabel('In person', { exact: true }).check()
    await cara.getByLabel('Venue').fill('Sanger House, Gloucester')
    const dateGroup = cara.getByRole('group', { name: 'Date' })
    await dateGroup.getByLabel('Day').fill(day.day)
    await dateGroup.getByLabel('Month').fill(day.month)
    await dateGroup.getByLabel('Year').fill(day.year)
    await cara.getByLabel('Start time').fill('09:30')
    await cara.getByLabel('End time').fill('12:00')
    await cara.getByLabel('Number of places').fill('1')
    await submitAndCheck(cara, 'Save event')
    assert.equal(await cara.locator('h1').innerText(), 'Virtual ward design workshop')
    eventPath = new URL(cara.url()).pathname

    const leo = await signIn(e2e, 'leo.learner@example.invalid')
    await visit(leo, '/events')
    await leo.getByRole('link', { name: 'Virtual ward design workshop' }).click()
    await leo.waitForURL(`**${eventPath}`)
    await expectNoAxeViolations(leo)
    await leo
      .getByLabel('Do you have any access needs we should plan for? (optional)')
      .fill('A hearing loop, please')
    await submitAndCheck(leo, 'Register')
    assert.match(await leo.locator('main').innerText(), /You are registered/)

    const ben = await signIn(e2e, 'ben.baseline@example.invalid')
    await visit(ben, eventPath)
    assert.match(await ben.locator('main').innerText(), /1 in all; full/)
    await submitAndCheck(ben, 'Join the waiting list')
    assert.match(await ben.locator('main').innerText(), /You are number 1 on the waiting list/)

    await visit(cara, `${eventPath}/attendees`)
    const list = await cara.locator('main').innerText()
    assert.match(list, /Leo Learner \(DEMO\)[\s\S]*A hearing loop, please/)
    assert.match(list, /Waiting list, in order[\s\S]*Ben Baseline \(DEMO\)/)

    // The NHS.UK stylesheet asks for its Frutiger font from assets.nhs.uk, which the CSP blocks (the
    // fallback is Arial), and the empty form above answered 400 on purpose: neither is an error here.
    const errors = e2e.pageErrors.filter(
      (e) => !/assets\.nhs\.uk\/fonts/.test(e) && !/\/support\/requests: .*status of 400/.test(e),
    )
    assert.deepEqual(errors, [], 'no JavaScript errors')
    assert.deepEqual(
      e2e.blockedRequests.filter((u) => !u.startsWith('https://assets.nhs.uk/fonts/')),
      [],
      'the pages asked for nothing else outside the app',
    )
  })

  test('every other facilitation page passes axe', async () => {
    const cara = await signIn(e2e, 'cara.cycle@example.invalid')
    for (const path of [
      '/programmes',
      '/priorities',
      '/priorities/new',
      `${requestPath}/hours`,
      `${requestPath}/priority`,
      '/events',
      `${eventPath}/edit`,
      `${eventPath}/check-in`,
      '/events/demo-event-huddle',
      '/events/demo-event-huddle/attendees',
      '/events/demo-event-huddle/feedback/summary',
    ]) {
      await visit(cara, path)
    }
    await cara.context().close()
    const ben = await signIn(e2e, 'ben.baseline@example.invalid')
    await visit(ben, '/events/demo-event-huddle/feedback')
    await ben.getByLabel('Very useful', { exact: true }).check()
    await submitAndCheck(ben, 'Send feedback')
    assert.match(await ben.locator('main').innerText(), /Thank you for your feedback/)
    await ben.context().close()
  })

  test('check-in works on a phone with JavaScript off', async () => {
    const cara = await signIn(e2e, 'cara.cycle@example.invalid', { javaScript: false, phone: true })
    await visit(cara, '/events/demo-event-huddle/check-in?q=ben')
    await submitAndCheck(cara, 'Undo check-in for Ben Baseline (DEMO)')
    assert.match(await cara.locator('main').innerText(), /Ben Baseline \(DEMO\) is no longer checked in/)
    await submitAndCheck(cara, 'Check in Ben Baseline (DEMO)')
    assert.match(await cara.locator('main').innerText(), /Ben Baseline \(DEMO\) is checked in/)
    assert.match(await cara.locator('main').innerText(), /2 of 2 checked in/)
    await cara.context().close()
  })
})
