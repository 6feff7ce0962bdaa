// Improvement methods in Chromium, with and without JavaScript: a project lead builds a small
// driver diagram, runs a PDSA cycle through to "adapt", revises the next cycle, sees the ramp,
// and adds a QI tool. axe-core checks every page on the way.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { BrowserContext, Page } from 'playwright-core'
import { expectNoAxeViolations, pathOf, randomTag, startE2e, TEST_PASSWORD, type E2e } from './harness.js'

/** Clicks a button that submits a form, waits for the next page and checks it with axe. */
async function press(page: Page, name: string | RegExp, status = 200): Promise<void> {
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page
      .getByRole('button', { name, exact: typeof name === 'string' })
      .first()
      .click(),
  ])
  assert.equal(response?.status(), status, `after pressing "${String(name)}" on ${pathOf(page)}`)
  await expectNoAxeViolations(page)
}

/** Follows a link by its accessible name and checks the page with axe. */
async function follow(page: Page, name: string | RegExp): Promise<void> {
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page
      .getByRole('link', { name, exact: typeof name === 'string' })
      .first()
      .click(),
  ])
  assert.equal(response?.status(), 200, `after following "${String(name)}" on ${pathOf(page)}`)
  await expectNoAxeViolations(page)
}

async function open(page: Page, url: string): Promise<void> {
  const response = await page.goto(url)
  assert.equal(response?.status(), 200, `${url} answered ${response?.status()}`)
  await expectNoAxeViolations(page)
}

async function signIn(context: BrowserContext, email: string): Promise<Page> {
  const page = await context.newPage()
  await open(page, '/sign-in')
  await page.fill('#email', email)
  await page.fill('#password', TEST_PASSWORD)
  await press(page, 'Sign in')
  return page
}

const main = (page: Page) => page.locator('main').innerText()

async function fillDate(page: Page, prefix: string, day: string, month: string, year: string) {
  await page.fill(`[name=${prefix}Day]`, day)
  await page.fill(`[name=${prefix}Month]`, month)
  await page.fill(`[name=${prefix}Year]`, year)
}

async function journey(e2e: E2e, javaScript: boolean): Promise<void> {
  const tag = randomTag()
  const ada = await signIn(await e2e.newContext({ javaScript }), 'ada.aimwell@example.invalid')

  await open(ada, '/projects')
  await follow(ada, 'Start a project')
  await ada.fill('[name=title]', `Falls at night ${tag}`)
  await ada.fill('[name=problem]', 'Older patients fall at night on the ward.')
  await press(ada, 'Start the project')
  const project = pathOf(ada)

  // The driver diagram: two primary drivers, a secondary driver under both, two change ideas.
  await open(ada, `${project}/drivers`)
  await follow(ada, 'Add a primary driver')
  await ada.fill('[name=title]', 'Safe environment at night')
  await press(ada, 'Save driver')
  await follow(ada, 'Add a primary driver')
  await ada.fill('[name=title]', 'Patients’ needs met before settling')
  await press(ada, 'Save driver')
  await follow(ada, 'Add a secondary driver')
  await ada.fill('[name=title]', 'Intentional rounding <every hour>')
  await ada.getByLabel('Safe environment at night').check()
  await ada.getByLabel('Patients’ needs met before settling').check()
  await press(ada, 'Save driver')
  await follow(ada, 'Add a change idea')
  await ada.fill('[name=title]', 'Comfort round checklist')
  await ada.check('input[name=status][value=idea]')
  await ada.getByLabel('Intentional rounding <every hour>').check()
  await press(ada, 'Save change idea')
  assert.match(await ada.locator('h1').innerText(), /Change idea: Comfort round checklist/)
  await open(ada, `${project}/drivers`)
  const picture = ada.locator('svg.app-diagram[role=img]')
  assert.equal(await picture.count(), 1)
  assert.match(
    (await picture.locator('desc').textContent()) ?? '',
    /2 primary drivers, 1 secondary driver and 1 change idea/,
  )
  assert.match(
    (await picture.textContent()) ?? '',
    /Intentional rounding\s*<every hour>/,
    'text reaches the SVG as text, not markup',
  )
  assert.match(await main(ada), /Secondary driver: Intentional rounding <every hour>/)
  await press(ada, /move “Safe environment at night” down/)
  assert.match(
    await main(ada),
    /Primary driver: Patients’ needs met before settling[\s\S]*Primary driver: Safe environment at night/,
    'reordered',
  )

  // A PDSA cycle on the change idea: plan, do, study, then adapt.
  await open(ada, `${project}/pdsa`)
  await follow(ada, 'Plan a PDSA cycle')
  await ada.fill('[name=title]', 'Comfort rounds on one bay')
  await ada.selectOption('[name=changeIdeaId]', { label: 'Comfort round checklist' })
  await ada.fill('[name=objective]', 'Can night staff use the checklist every hour?')
  await press(ada, 'Save the plan', 400)
  assert.match(await main(ada), /Enter your prediction/, 'a prediction is required')
  await ada.fill('[name=prediction]', 'Staff will complete 8 of 10 rounds.')
  await fillDate(ada, 'planned', '3', '3', '2027')
  await press(ada, 'Save the plan')
  const cycle = pathOf(ada)
  await follow(ada, 'Start the test (Do)')
  await fillDate(ada, 'doStart', '3', '3', '2027')
  await fillDate(ada, 'doEnd', '9', '3', '2027')
  await ada.fill('[name=doNotes]', 'Used on two nights; busy at 2am.')
  await press(ada, 'Start the test')
  await follow(ada, 'Study the results')
  await ada.fill('[name=findings]', 'Only 5 of 10 rounds completed.')
  await ada.getByLabel('No', { exact: true }).check()
  await press(ada, 'Save the findings')
  await follow(ada, 'Decide: adopt, adapt or abandon')
  await ada.getByLabel('Adapt', { exact: true }).check()
  await ada.fill('[name=decisionReason]', 'Shorten the checklist and start at 10pm.')
  await press(ada, 'Save the decision')
  assert.match(pathOf(ada), /\/pdsa\/[^/]+\/plan$/, 'adapt opens the next cycle’s plan')
  assert.equal(await ada.inputValue('[name=title]'), 'Comfort rounds on one bay (cycle 2)')
  await ada.fill('[name=prediction]', 'With a shorter checklist staff will complete 8 of 10.')
  await press(ada, 'Save the plan')
  assert.match(await main(ada), /This cycle adapts Comfort rounds on one bay/)

  // The ramp: both cycles in order, with the decision.
  await follow(ada, 'See the ramp of linked cycles for this change idea')
  const ramp = await main(ada)
  assert.match(
    ramp,
    /Cycle 1: Comfort rounds on one bay[\s\S]*Adapt: Shorten the checklist[\s\S]*Cycle 2: Comfort rounds on one bay \(cycle 2\)/,
  )
  await open(ada, cycle)

  // A QI tool: a stakeholder grid with one stakeholder.
  await open(ada, `${project}/tools`)
  await follow(ada, 'Add a QI tool')
  await ada.getByLabel('Stakeholder analysis').check()
  await ada.fill('[name=title]', 'Night staff and managers')
  await press(ada, 'Add the tool')
  await follow(ada, 'Add a stakeholder')
  await ada.fill('[name=name]', 'Night sister')
  await ada.fill('[name=group]', 'Nursing')
  await ada.locator('input[name=interest][value="5"]').check()
  await ada.locator('input[name=influence][value="4"]').check()
  await press(ada, 'Save')
  assert.match(await main(ada), /Manage closely: Night sister/)
  assert.equal(await ada.locator('svg.app-diagram circle').count(), 1)
}

describe('improvement methods in Chromium', () => {
  let e2e: E2e

  before(async () => {
    e2e = await startE2e()
  })

  after(async () => {
    await e2e?.close()
  })

  test('driver diagram, a PDSA cycle adapted into the next, the ramp and a QI tool, with JavaScript', async () => {
    await journey(e2e, true)
    assert.deepEqual(e2e.pageErrors, [])
  })

  test('the same with JavaScript off', async () => {
    await journey(e2e, false)
  })

  test('every improvement page of the demo project, with its forms, passes axe', async () => {
    const ben = await signIn(await e2e.newContext(), 'ben.baseline@example.invalid')
    const p = '/projects/demo-project-discharge'
    const pages = [
      '/drivers',
      '/drivers/new?kind=primary',
      '/drivers/new?kind=secondary',
      '/drivers/demo-driver-board-round/edit',
      '/drivers/demo-driver-senior-review/delete',
      '/drivers/demo-driver-ready-early/delete',
      '/change-ideas/new',
      '/change-ideas/demo-idea-board-round',
      '/change-ideas/demo-idea-board-round/edit',
      '/change-ideas/demo-idea-board-round/delete',
      '/change-ideas/demo-idea-board-round/ramp',
      '/pdsa',
      '/pdsa/new',
      '/pdsa/demo-pdsa-board-round-1',
      '/pdsa/demo-pdsa-board-round-2',
      '/pdsa/demo-pdsa-ttos-1',
      '/pdsa/demo-pdsa-ttos-1/plan',
      '/pdsa/demo-pdsa-ttos-1/do',
      '/pdsa/demo-pdsa-ttos-1/study',
      '/pdsa/demo-pdsa-ttos-1/act',
      '/pdsa/demo-pdsa-ttos-1/delete',
      '/tools',
      '/tools/new',
      '/tools/demo-tool-fishbone',
      '/tools/demo-tool-fishbone/edit',
      '/tools/demo-tool-fishbone/delete',
      '/tools/demo-tool-fishbone/items/new?kind=category',
      '/tools/demo-tool-fishbone/items/new?kind=cause',
      '/tools/demo-tool-fishbone/items/demo-fb-c1/edit',
      '/tools/demo-tool-fishbone/items/demo-fb-process/delete',
      '/tools/demo-tool-five-whys',
      '/tools/demo-tool-five-whys/edit',
      '/tools/demo-tool-process-map',
      '/tools/demo-tool-process-map/items/new?kind=step',
      '/tools/demo-tool-process-map/items/demo-pm-4/edit',
      '/tools/demo-tool-stakeholders',
      '/tools/demo-tool-stakeholders/items/demo-sh-1/edit',
      '/tools/demo-tool-sustainability',
      '/tools/demo-tool-sustainability/items/new?kind=scoring',
      '/tools/demo-tool-sustainability/items/demo-sm-1/edit',
    ]
    for (const path of pages) await open(ben, p + path)
    // A form with every error showing.
    await open(ben, `${p}/tools/demo-tool-sustainability/items/new?kind=scoring`)
    await press(ben, 'Save', 400)
    assert.equal(await ben.locator('.nhsuk-error-summary li').count(), 11)
  })

  test('the site made no requests outside the app', () => {
    assert.deepEqual(e2e.blockedRequests, [])
  })
})
