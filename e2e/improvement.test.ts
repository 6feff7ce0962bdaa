// Improvement methods in Chromium, with and without JavaScript: a project lead builds a small
// driver diagram, runs a PDSA cycle through to "adapt", revises the next cycle, sees the ramp,
// and adds a QI tool. axe-core checks every page on the way.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomTag, startE2e, type E2e } from './harness.js'
import { DriverDiagramPages, PdsaPages, ToolPages } from './pages/improvement.js'
import { Member } from './pages/member.js'
import { ProjectPages } from './pages/projects.js'

async function journey(e2e: E2e, javaScript: boolean): Promise<void> {
  const tag = randomTag()
  const ada = await Member.signIn(e2e, 'ada.aimwell@example.invalid', { javaScript })
  const project = await new ProjectPages(ada).start(
    `Falls at night ${tag}`,
    'Older patients fall at night on the ward.',
  )

  // The driver diagram: two primary drivers, a secondary driver under both, two change ideas.
  const drivers = new DriverDiagramPages(ada)
  await drivers.open(project)
  await drivers.addPrimary('Safe environment at night')
  await drivers.addPrimary('Patients’ needs met before settling')
  await drivers.addSecondary('Intentional rounding <every hour>', [
    'Safe environment at night',
    'Patients’ needs met before settling',
  ])
  await drivers.addChangeIdea('Comfort round checklist', ['Intentional rounding <every hour>'])
  assert.match(await ada.heading(), /Change idea: Comfort round checklist/)
  await drivers.open(project)
  const picture = drivers.picture()
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
  assert.match(await ada.main(), /Secondary driver: Intentional rounding <every hour>/)
  await ada.press(/move “Safe environment at night” down/)
  assert.match(
    await ada.main(),
    /Primary driver: Patients’ needs met before settling[\s\S]*Primary driver: Safe environment at night/,
    'reordered',
  )

  // A PDSA cycle on the change idea: plan, do, study, then adapt.
  const pdsa = new PdsaPages(ada)
  const plan = {
    title: 'Comfort rounds on one bay',
    changeIdea: 'Comfort round checklist',
    objective: 'Can night staff use the checklist every hour?',
  }
  await pdsa.plan(project, plan, 400)
  assert.match(await ada.main(), /Enter your prediction/, 'a prediction is required')
  await pdsa.fillPlan({
    ...plan,
    prediction: 'Staff will complete 8 of 10 rounds.',
    planned: { day: '3', month: '3', year: '2027' },
  })
  const cycle = ada.path
  await pdsa.doStep(
    { day: '3', month: '3', year: '2027' },
    { day: '9', month: '3', year: '2027' },
    'Used on two nights; busy at 2am.',
  )
  await pdsa.study('Only 5 of 10 rounds completed.', 'No')
  await pdsa.act('Adapt', 'Shorten the checklist and start at 10pm.')
  assert.match(ada.path, /\/pdsa\/[^/]+\/plan$/, 'adapt opens the next cycle’s plan')
  assert.equal(await ada.page.inputValue('[name=title]'), 'Comfort rounds on one bay (cycle 2)')
  await ada.fill('[name=prediction]', 'With a shorter checklist staff will complete 8 of 10.')
  await ada.press('Save the plan')
  assert.match(await ada.main(), /This cycle adapts Comfort rounds on one bay/)

  // The ramp: both cycles in order, with the decision.
  await ada.follow('See the ramp of linked cycles for this change idea')
  assert.match(
    await ada.main(),
    /Cycle 1: Comfort rounds on one bay[\s\S]*Adapt: Shorten the checklist[\s\S]*Cycle 2: Comfort rounds on one bay \(cycle 2\)/,
  )
  await ada.open(cycle)

  // A QI tool: a stakeholder grid with one stakeholder.
  const tools = new ToolPages(ada)
  await tools.add(project, 'Stakeholder analysis', 'Night staff and managers')
  await tools.addStakeholder({ name: 'Night sister', group: 'Nursing', interest: 5, influence: 4 })
  assert.match(await ada.main(), /Manage closely: Night sister/)
  assert.equal(await ada.page.locator('svg.app-diagram circle').count(), 1)
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
    const ben = await Member.signIn(e2e, 'ben.baseline@example.invalid')
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
    for (const path of pages) await ben.open(p + path)
    // A form with every error showing.
    await ben.open(`${p}/tools/demo-tool-sustainability/items/new?kind=scoring`)
    await ben.press('Save', 400)
    assert.equal(await ben.page.locator('.nhsuk-error-summary li').count(), 11)
  })

  test('the site made no requests outside the app', () => {
    assert.deepEqual(e2e.blockedRequests, [])
  })
})
