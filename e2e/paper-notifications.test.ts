// Browser checks (issue 13 points 2 and 4): the paper PDSA forms and a measure's data-collection
// sheet, the e-mail settings with a choice saved, and an unsubscribe link that does not work;
// axe (and the HTML checker) on every page, with JavaScript on and off.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startE2e, type E2e } from './harness.js'
import { Member } from './pages/member.js'

const ADA = 'ada.aimwell@example.invalid' // lead of the demo discharge project
const PROJECT = '/projects/demo-project-discharge'

describe('paper forms and e-mail settings in the browser', () => {
  let e2e: E2e
  before(async () => {
    e2e = await startE2e()
  })
  after(() => e2e?.close())

  for (const javaScript of [true, false])
    test(`JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      const ada = await Member.signIn(e2e, ADA, { javaScript })
      await ada.open(`${PROJECT}/pdsa`)
      await ada.follow('print a blank PDSA form')
      assert.match(await ada.main(), /Prediction: what we think will happen/)
      await ada.open(`${PROJECT}/measures`)
      const href = await ada.page.locator('main a[href^="/measures/"]').first().getAttribute('href')
      assert.ok(href)
      const measure = /^\/measures\/[^/?#]+/.exec(href)![0]
      await ada.open(measure)
      await ada.follow('Print a data collection sheet')
      assert.match(await ada.main(), /What to count/)
      await ada.open(`${measure}/sheet?periods=0`, { status: 400 })
      // A section of "my work" on its own page, with every item (the home shows the first ten).
      await ada.open('/my-work/data')
      assert.match(await ada.main(), /Measures with late data/)
      await ada.follow('My work')
      await ada.follow('Choose which e-mails you get, and how often')
      await ada.page.getByRole('group', { name: 'Support requests' }).getByLabel('In a weekly digest').check()
      await ada.press('Save my choices')
      assert.match(await ada.main(), /Your e-mail choices have been saved/)
      await ada.open('/notifications/unsubscribe/not-a-real-token', { status: 404 })
    })
})
