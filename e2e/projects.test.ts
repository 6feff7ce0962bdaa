// The project journey of issue 4 in Chromium, with and without JavaScript: a lead creates a
// project, writes its aim, builds the driver diagram, adds a measure, imports a CSV of public data,
// sees a special-cause icon, plans a PDSA cycle and sees its mark on the chart, submits the project
// for registration, and a coach approves it. axe-core checks every page on the way.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { expectNoAxeViolations, pathOf, randomTag, startE2e, TEST_PASSWORD, type E2e } from './harness.js'

const CDI_CSV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/data/cdi.csv')

/** Clicks a button (by its accessible name) that submits a form, waits for the next page and checks it with axe. */
async function press(page: Page, name: string | RegExp, options: { status?: number } = {}): Promise<void> {
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page
      .getByRole('button', { name, exact: typeof name === 'string' })
      .first()
      .click(),
  ])
  assert.equal(
    response?.status(),
    options.status ?? 200,
    `after pressing "${String(name)}" on ${pathOf(page)}`,
  )
  await expectNoAxeViolations(page)
}

/** Follows a link by its accessible name. */
async function follow(page: Page, name: string | RegExp): Promise<void> {
  // NHS.UK "button" links are links with the role of a button.
  const exact = typeof name === 'string'
  const target = page.getByRole('link', { name, exact }).or(page.getByRole('button', { name, exact })).first()
  const [response] = await Promise.all([page.waitForNavigation(), target.click()])
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
  assert.ok(!pathOf(page).startsWith('/sign-in'), `${email} is signed in`)
  return page
}

const h1 = async (page: Page) => (await page.locator('h1').first().innerText()).trim()

async function journey(e2e: E2e, javaScript: boolean): Promise<void> {
  const tag = randomTag()
  const title = `Discharge before noon ${tag} (${javaScript ? 'with' : 'without'} JavaScript)`
  const ada = await signIn(await e2e.newContext({ javaScript }), 'ada.aimwell@example.invalid')

  // 1. Create the project: a private draft with Ada as its lead.
  await open(ada, '/projects')
  await follow(ada, 'Start a project')
  await ada.fill('[name=title]', title)
  await ada.fill(
    '[name=problem]',
    'Patients ready to go home leave in the late afternoon, so beds are not free when they are needed.',
  )
  assert.ok(
    await ada.locator('input[name=organisationIds][value=org-ghft]').isChecked(),
    "Ada's organisation is ticked",
  )
  await press(ada, 'Start the project')
  assert.equal(await h1(ada), title)
  const projectPath = pathOf(ada)
  assert.match(projectPath, /^\/projects\/[0-9a-f-]{36}$/)
  assert.match(await ada.locator('main').innerText(), /Draft/)

  // 2. Write the SMART aim: preview, then save.
  await follow(ada, 'Write the aim')
  await ada.fill('[name=what]', 'Increase')
  await ada.fill('[name=measure]', 'the percentage of patients discharged before noon')
  await ada.fill('[name=baseline]', '15%')
  await ada.fill('[name=target]', '40%')
  await ada.fill('[name=forWhom]', 'patients on Ward 3')
  await ada.fill('[name=byWhen]', '31 March 2027')
  await press(ada, 'Preview the statement')
  const statement =
    'Increase the percentage of patients discharged before noon from 15% to 40% for patients on Ward 3 by 31 March 2027.'
  assert.equal((await ada.locator('#aim-statement').innerText()).trim(), statement)
  await press(ada, 'Save this version')
  assert.equal(pathOf(ada), projectPath)
  assert.match(await ada.locator('main').innerText(), new RegExp(statement.replace(/[.%]/g, '\\$&')))

  // 3. The driver diagram: a primary driver, a secondary driver under it, a change idea on that.
  await open(ada, `${projectPath}/drivers`)
  await follow(ada, 'Add a primary driver')
  await ada.fill('[name=title]', 'Plans for discharge made early')
  await press(ada, 'Save driver')
  await follow(ada, 'Add a secondary driver')
  await ada.fill('[name=title]', 'Expected date of discharge set on admission')
  await ada.getByLabel('Plans for discharge made early').check()
  await press(ada, 'Save driver')
  await follow(ada, 'Add a change idea')
  await ada.fill('[name=title]', 'Discharge checklist started on admission')
  await ada.check('input[name=status][value=idea]')
  await ada.getByLabel('Expected date of discharge set on admission').check()
  await press(ada, 'Save change idea')
  await open(ada, `${projectPath}/drivers`)
  const diagram = await ada.locator('main').innerText()
  assert.match(diagram, /Primary driver: Plans for discharge made early/)
  assert.match(diagram, /Discharge checklist started on admission/)

  // 4. A measure: monthly counts of infections, lower is better, on an XmR chart.
  await open(ada, `${projectPath}/measures`)
  await follow(ada, /Add a measure/)
  await ada.check('input[name=type][value=outcome]')
  await ada.fill('[name=name]', `Infections a month ${tag}`)
  await ada.check('input[name=dataKind][value=count]')
  await ada.fill('[name=numerator]', 'Hospital-acquired infections in the month')
  await ada.check('input[name=direction][value=decrease]')
  // The team changes the suggested chart (a c chart for counts) to an XmR chart, which carries
  // the Making Data Count variation and assurance icons.
  await ada.check('input[name=chartType][value=i]')
  await press(ada, 'Save measure')
  const measurePath = pathOf(ada)
  assert.match(measurePath, /^\/measures\/[^/]+$/)

  // 5. Import the public C. difficile data set (a CSV): preview, then commit.
  await follow(ada, 'Upload a CSV or Excel file')
  await ada.setInputFiles('input[type=file][name=file]', CDI_CSV)
  await press(ada, 'Upload and check')
  assert.match(await h1(ada), /.+/)
  await press(ada, /^Import 36 data points/)
  assert.equal(pathOf(ada), measurePath)

  // 6. The chart shows special cause: the counts fell after the change.
  const icons = ada.locator('[aria-label*="Special cause"], [aria-label*="special cause"]')
  assert.ok((await icons.count()) > 0, 'a special-cause variation icon is shown')

  // 7. Plan a PDSA cycle on the change idea, linked to the measure, and see its mark on the chart.
  await open(ada, `${projectPath}/pdsa`)
  await follow(ada, /Plan a PDSA cycle/)
  await ada.fill('[name=title]', 'Checklist on Ward 3 for one month')
  await ada.selectOption('[name=changeIdeaId]', { label: 'Discharge checklist started on admission' })
  await ada.fill('[name=objective]', 'Does starting the checklist on admission bring discharges forward?')
  await ada.fill('[name=prediction]', 'Half of the patients with a checklist will leave before noon.')
  await ada.fill('[name=plannedDay]', '1')
  await ada.fill('[name=plannedMonth]', '11')
  await ada.fill('[name=plannedYear]', '2014')
  await ada.getByLabel(`Infections a month ${tag}`).check()
  await press(ada, 'Save the plan')
  await open(ada, measurePath)
  assert.match(await ada.locator('main').innerText(), /PDSA: Checklist on Ward 3 for one month/)
  assert.ok((await ada.locator('.spc-annotations').count()) > 0, 'the cycle is marked on the chart')

  // 8. Submit for registration.
  await open(ada, projectPath)
  await follow(ada, 'Submit for registration')
  await press(ada, 'Submit for registration')
  assert.equal(pathOf(ada), projectPath)
  assert.match(await ada.locator('main').innerText(), /Waiting for registration/)

  // 9. Cara, a coach, approves it from her queue.
  const cara = await signIn(await e2e.newContext({ javaScript }), 'cara.cycle@example.invalid')
  await open(cara, '/projects/review')
  assert.match(await cara.locator('main').innerText(), new RegExp(tag))
  const row = cara.locator('tr', { hasText: tag })
  await Promise.all([cara.waitForNavigation(), row.getByRole('link', { name: /^Approve/ }).click()])
  await expectNoAxeViolations(cara)
  await cara.fill('[name=note]', 'Well scoped. Good luck!')
  await press(cara, 'Approve and register the project')
  assert.equal(pathOf(cara), projectPath)
  assert.match(await cara.locator('main').innerText(), /Active/)
  const mail = await e2e.services.mail.list({ to: 'ada.aimwell@example.invalid', pageSize: 50 })
  assert.ok(
    mail.items.some((m) => m.subject === `Your project is registered: ${title}`),
    'Ada is told by e-mail',
  )
}

describe('the improvement project journey in Chromium', () => {
  let e2e: E2e

  before(async () => {
    e2e = await startE2e()
  })

  after(async () => {
    await e2e?.close()
  })

  test('from a new project to a registered one, with JavaScript', { timeout: 300_000 }, async () => {
    await journey(e2e, true)
    assert.deepEqual(e2e.pageErrors, [])
  })

  test('the same journey with JavaScript off', { timeout: 300_000 }, async () => {
    await journey(e2e, false)
  })

  test('the site made no requests outside the app', () => {
    assert.deepEqual(e2e.blockedRequests, [])
  })
})
