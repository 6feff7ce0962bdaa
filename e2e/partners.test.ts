// The improvement partner's journey in Chromium (issue 13, Tests): a partner signs in, reads the
// project in plain English, logs an involvement with an expense, and the project lead approves
// it; axe (and the HTML checker) on every page, with JavaScript on and off.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startE2e, type E2e } from './harness.js'
import { Member, dateFromToday } from './pages/member.js'

const FAY = 'fay.feedback@example.invalid' // the demo improvement partner, on the discharge team
const ADA = 'ada.aimwell@example.invalid' // its lead
const PROJECT = '/projects/demo-project-discharge'

describe('an improvement partner in the browser', () => {
  let e2e: E2e
  before(async () => {
    e2e = await startE2e()
  })
  after(() => e2e?.close())

  for (const javaScript of [true, false])
    test(`reads the project in plain English, logs time and an expense, and the lead approves it (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const what = `Read the discharge leaflet draft (${javaScript ? 'with' : 'without'} JavaScript)`
      const fay = await Member.signIn(e2e, FAY, { javaScript })
      await fay.open(PROJECT)
      assert.ok(
        !(await fay.page.getByRole('link', { name: /^Change/ }).count()),
        'a partner is offered no "Change" links',
      )
      await fay.follow('Read this project in plain English')
      const plain = await fay.main()
      for (const heading of [
        'What the team wants to change, and why',
        'What they have tried',
        'What changed',
      ])
        assert.match(plain, new RegExp(heading), heading)

      await fay.open('/partners/involvement')
      await fay.page.getByLabel('Project', { exact: true }).selectOption('demo-project-discharge')
      await fay.fillDateGroup('Date you took part', dateFromToday(-1))
      await fay.fill('Sessions attended', '1')
      await fay.fill('Time given', '1.5')
      await fay.fill('What you did', what)
      await fay.fill('Expenses claimed (optional)', '7.50')
      await fay.press('Log it')
      assert.match(await fay.main(), /£7\.50 of expenses claimed/)
      assert.match(await fay.main(), new RegExp(what.replace(/[()]/g, '\\$&')))

      const ada = await Member.signIn(e2e, ADA, { javaScript })
      await ada.open(`${PROJECT}/involvement`)
      const row = ada.page.locator('tr', { hasText: what })
      assert.match(await row.innerText(), /£7\.50/)
      await Promise.all([ada.page.waitForNavigation(), row.getByRole('button', { name: /^Approve/ }).click()])
      assert.match(await ada.main(), /The entry has been approved/)
      assert.match(await ada.page.locator('tr', { hasText: what }).innerText(), /Approved/)

      await fay.open('/partners/involvement')
      assert.match(await fay.page.locator('tr', { hasText: what }).innerText(), /Approved/)
    })
})
