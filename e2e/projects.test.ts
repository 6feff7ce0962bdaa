// The project journey of issue 4 in Chromium, with and without JavaScript: a lead creates a
// project, writes its aim, builds the driver diagram, adds a measure, imports a CSV of public data,
// sees a special-cause icon, plans a PDSA cycle and sees its mark on the chart, submits the project
// for registration, and a coach approves it. axe-core checks every page on the way.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomTag, startE2e, type E2e } from './harness.js'
import { DriverDiagramPages, PdsaPages } from './pages/improvement.js'
import { MeasurePages } from './pages/measures.js'
import { Member } from './pages/member.js'
import { ProjectPages } from './pages/projects.js'

const CDI_CSV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/data/cdi.csv')

async function journey(e2e: E2e, javaScript: boolean): Promise<void> {
  const tag = randomTag()
  const title = `Discharge before noon ${tag} (${javaScript ? 'with' : 'without'} JavaScript)`
  const ada = await Member.signIn(e2e, 'ada.aimwell@example.invalid', { javaScript })
  const projects = new ProjectPages(ada)

  // 1. Create the project: a private draft with Ada as its lead.
  await ada.open('/projects')
  await ada.follow('Start a project')
  await ada.fill('[name=title]', title)
  await ada.fill(
    '[name=problem]',
    'Patients ready to go home leave in the late afternoon, so beds are not free when they are needed.',
  )
  assert.ok(
    await ada.page.locator('input[name=organisationIds][value=org-ghft]').isChecked(),
    "Ada's organisation is ticked",
  )
  await ada.press('Start the project')
  await ada.expectHeading(title)
  const projectPath = ada.path
  assert.match(projectPath, /^\/projects\/[0-9a-f-]{36}$/)
  assert.match(await ada.main(), /Draft/)

  // 2. Write the SMART aim: preview, then save.
  const statement = await projects.writeAim({
    what: 'Increase',
    measure: 'the percentage of patients discharged before noon',
    baseline: '15%',
    target: '40%',
    forWhom: 'patients on Ward 3',
    byWhen: '31 March 2027',
  })
  assert.equal(
    statement,
    'Increase the percentage of patients discharged before noon from 15% to 40% for patients on Ward 3 by 31 March 2027.',
  )
  assert.equal(ada.path, projectPath)
  assert.match(await ada.main(), new RegExp(statement.replace(/[.%]/g, '\\$&')))

  // 3. The driver diagram: a primary driver, a secondary driver under it, a change idea on that.
  const drivers = new DriverDiagramPages(ada)
  await drivers.open(projectPath)
  await drivers.addPrimary('Plans for discharge made early')
  await drivers.addSecondary('Expected date of discharge set on admission', [
    'Plans for discharge made early',
  ])
  await drivers.addChangeIdea('Discharge checklist started on admission', [
    'Expected date of discharge set on admission',
  ])
  await drivers.open(projectPath)
  const diagram = await ada.main()
  assert.match(diagram, /Primary driver: Plans for discharge made early/)
  assert.match(diagram, /Discharge checklist started on admission/)

  // 4. A measure: monthly counts of infections, lower is better. The team changes the suggested
  // chart (a c chart for counts) to an XmR chart, which carries the Making Data Count variation
  // and assurance icons.
  const measures = new MeasurePages(ada)
  const measurePath = await measures.add(projectPath, {
    type: 'outcome',
    name: `Infections a month ${tag}`,
    dataKind: 'count',
    numerator: 'Hospital-acquired infections in the month',
    direction: 'decrease',
    chartType: 'i',
  })

  // 5. Import the public C. difficile data set (a CSV): preview, then commit.
  await measures.importFile(measurePath, CDI_CSV, 36)

  // 6. The chart shows special cause: the counts fell after the change.
  assert.ok((await measures.specialCauseIcons()) > 0, 'a special-cause variation icon is shown')

  // 7. Plan a PDSA cycle on the change idea, linked to the measure, and see its mark on the chart.
  await new PdsaPages(ada).plan(projectPath, {
    title: 'Checklist on Ward 3 for one month',
    changeIdea: 'Discharge checklist started on admission',
    objective: 'Does starting the checklist on admission bring discharges forward?',
    prediction: 'Half of the patients with a checklist will leave before noon.',
    planned: { day: '1', month: '11', year: '2014' },
    measures: [`Infections a month ${tag}`],
  })
  await ada.open(measurePath)
  assert.match(await ada.main(), /PDSA: Checklist on Ward 3 for one month/)
  assert.ok((await ada.page.locator('.spc-annotations').count()) > 0, 'the cycle is marked on the chart')

  // 8. Submit for registration.
  await projects.submitForRegistration(projectPath)
  assert.match(await ada.main(), /Waiting for registration/)

  // 9. Cara, a coach, approves it from her queue.
  const cara = await Member.signIn(e2e, 'cara.cycle@example.invalid', { javaScript })
  await new ProjectPages(cara).approveFromQueue(tag, 'Well scoped. Good luck!')
  assert.equal(cara.path, projectPath)
  assert.match(await cara.main(), /Active/)
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
