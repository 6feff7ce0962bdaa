// Browser journey for facilitation and events (issue 6), in Chromium with axe-core on every page:
// a programme lead asks for support, a Steering Group member triages and accepts it with hours,
// the lead sees the new status; a member registers for an event, it fills, the next one waits.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { expectNoAxeViolations, startE2e, type E2e } from './harness.js'
import { EventPages, SupportPages } from './pages/facilitation.js'
import { Member, dateFromToday } from './pages/member.js'

/** Clicks a link by its name and waits for the address it leads to, then runs axe on the page. */
async function followTo(page: Page, link: string, address: string): Promise<void> {
  await page.getByRole('link', { name: link }).click()
  await page.waitForURL(address)
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
    const gus = await Member.signIn(e2e, 'gus.gateway@example.invalid')
    await gus.open('/facilitation')
    await gus.open('/programmes/virtual-ward')
    await followTo(
      gus.page,
      'Ask for support for this programme',
      '**/support/requests/new?programme=virtual-ward',
    )
    assert.equal(await gus.page.getByLabel('System programme').inputValue(), 'prog-virtual-ward')

    await gus.press('Send request', 400)
    assert.ok(
      await gus.page.locator('.nhsuk-error-summary').isVisible(),
      'an empty form shows the error summary',
    )

    await new SupportPages(gus).fillAndSend({
      title: 'Design workshops for the next phase',
      need: 'Co-design the next phase with community teams, carers and the acute trust.',
      scale: 'The whole system (One Gloucestershire)',
      start: dateFromToday(14),
      end: dateFromToday(90),
      aims: ['F2: Fasten dedicated support'],
      help: ['Facilitation', 'Workshop design'],
    })
    await gus.expectHeading('Design workshops for the next phase')
    assert.match(await gus.main(), /Status: Submitted/)
    requestPath = new URL(gus.page.url()).pathname
    await gus.close()
  })

  test('a Steering Group member triages it and accepts it with hours; the lead sees the new status', async () => {
    const cara = await Member.signIn(e2e, 'cara.cycle@example.invalid')
    await cara.open('/support/triage')
    await followTo(cara.page, 'Design workshops for the next phase', `**${requestPath}`)

    const support = new SupportPages(cara)
    await support.startDecision('Start triage')
    assert.equal(cara.path, `${requestPath}/decide`)
    await support.recordDecision()
    assert.match(await cara.main(), /Status: In triage/)

    await support.startDecision('Accept, with hours from QI specialists')
    await expectNoAxeViolations(cara.page)
    await support.assignHours(1, 'Cara Cycle (DEMO)', '6')
    await support.recordDecision('Aligned with F2 and the virtual ward priority; Cara has hours this month.')
    assert.match(await cara.main(), /Status: Accepted/)
    assert.match(await cara.main(), /Cara Cycle \(DEMO\)\s+\S+ \d{4}\s+6/)
    await cara.open('/support/pipeline')
    await cara.open('/support/capacity')
    await cara.close()

    const gus = await Member.signIn(e2e, 'gus.gateway@example.invalid')
    await gus.open('/support/requests')
    await followTo(gus.page, 'Design workshops for the next phase', `**${requestPath}`)
    const text = await gus.main()
    assert.match(text, /Status: Accepted/)
    assert.match(text, /Aligned with F2/)
    const mail = await e2e.services.mail.list({ to: 'gus.gateway@example.invalid' })
    assert.ok(mail.items.some((m) => m.subject === 'Your support request has been accepted'))
    await gus.close()
  })

  test('a member registers for an event, it fills, and the next person joins the waiting list', async () => {
    const cara = await Member.signIn(e2e, 'cara.cycle@example.invalid')
    eventPath = await new EventPages(cara).create({
      title: 'Virtual ward design workshop',
      venue: 'Sanger House, Gloucester',
      date: dateFromToday(10),
      starts: '09:30',
      ends: '12:00',
      places: 1,
    })
    await cara.expectHeading('Virtual ward design workshop')

    const leo = await Member.signIn(e2e, 'leo.learner@example.invalid')
    await leo.open('/events')
    await followTo(leo.page, 'Virtual ward design workshop', `**${eventPath}`)
    await leo.page
      .getByLabel('Do you have any access needs we should plan for? (optional)')
      .fill('A hearing loop, please')
    await leo.press('Register')
    assert.match(await leo.main(), /You are registered/)

    const ben = await Member.signIn(e2e, 'ben.baseline@example.invalid')
    await ben.open(eventPath)
    assert.match(await ben.main(), /1 in all; full/)
    await ben.press('Join the waiting list')
    assert.match(await ben.main(), /You are number 1 on the waiting list/)

    await cara.open(`${eventPath}/attendees`)
    const list = await cara.main()
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
    const cara = await Member.signIn(e2e, 'cara.cycle@example.invalid')
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
      await cara.open(path)
    }
    await cara.close()
    const ben = await Member.signIn(e2e, 'ben.baseline@example.invalid')
    await ben.open('/events/demo-event-huddle/feedback')
    await ben.check('Very useful', { exact: true })
    await ben.press('Send feedback')
    assert.match(await ben.main(), /Thank you for your feedback/)
    await ben.close()
  })

  test('check-in works on a phone with JavaScript off', async () => {
    const cara = await Member.signIn(e2e, 'cara.cycle@example.invalid', { javaScript: false, phone: true })
    await cara.open('/events/demo-event-huddle/check-in?q=ben')
    await cara.press('Undo check-in for Ben Baseline (DEMO)')
    assert.match(await cara.main(), /Ben Baseline \(DEMO\) is no longer checked in/)
    await cara.press('Check in Ben Baseline (DEMO)')
    assert.match(await cara.main(), /Ben Baseline \(DEMO\) is checked in/)
    assert.match(await cara.main(), /2 of 2 checked in/)
    await cara.close()
  })
})
