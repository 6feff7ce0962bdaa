// Browser journeys for "nothing a person does by mistake creates or deletes more than they meant"
// (issue 15 point 4), in Chromium with axe on every page: Back and Send again shows the first
// request instead of making a second; a delete goes through a confirmation page, with
// JavaScript on and off.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import { expectNoAxeViolations, pathOf, startE2e, visit, type E2e } from './harness.js'
import { Member } from './pages/member.js'

async function signIn(e2e: E2e, email: string, javaScript: boolean): Promise<Page> {
  return (await Member.signIn(e2e, email, { javaScript, axe: false })).page
}

async function clickAndLoad(page: Page, action: () => Promise<void>): Promise<void> {
  await Promise.all([page.waitForEvent('framenavigated'), action()])
  await page.waitForLoadState('load')
}

describe('mistakes that do no harm', () => {
  // One app and one Chromium for both modes: each test makes its own browser context.
  let e2e: E2e
  before(async () => {
    e2e = await startE2e()
  })
  after(() => e2e?.close())

  for (const javaScript of [true, false]) {
    const how = javaScript ? 'with JavaScript' : 'with JavaScript off'

    test(`Back and Send again shows the request already sent, and makes no second one, ${how}`, async () => {
      const gus = await signIn(e2e, 'gus.gateway@example.invalid', javaScript)
      const title = `Workshops for the frailty pathway ${javaScript ? 'A' : 'B'}`
      await visit(gus, '/support/requests/new')
      await gus.getByLabel('A short title for your request').fill(title)
      await gus.getByLabel('What do you need help with?').fill('Design two co-design workshops with carers.')
      await gus.getByLabel('The whole system (One Gloucestershire)').check()
      const start = new Date(Date.now() + 14 * 86_400_000)
      const end = new Date(Date.now() + 90 * 86_400_000)
      for (const [name, d] of [
        ['When do you need support from?', start],
        ['When should the support end?', end],
      ] as const) {
        const group = gus.getByRole('group', { name })
        await group.getByLabel('Day').fill(String(d.getUTCDate()))
        await group.getByLabel('Month').fill(String(d.getUTCMonth() + 1))
        await group.getByLabel('Year').fill(String(d.getUTCFullYear()))
      }
      await gus.getByLabel('F2: Fasten dedicated support').check()
      await gus.getByLabel('Facilitation', { exact: true }).check()
      const sendButton = gus.getByRole('button', { name: 'Send request', exact: true })
      await clickAndLoad(gus, () => sendButton.click())
      if (pathOf(gus) === '/support/requests') {
        const problems = await gus.locator('.nhsuk-error-summary').innerText()
        assert.fail(`the form was refused: ${problems}`)
      }
      const created = pathOf(gus)
      assert.match(created, /^\/support\/requests\/[^/]+$/)

      await clickAndLoad(gus, async () => {
        await gus.goBack()
      })
      assert.equal(pathOf(gus), '/support/requests/new')
      assert.equal(
        await gus.getByLabel('A short title for your request').inputValue(),
        title,
        'the browser keeps what was typed',
      )
      await clickAndLoad(gus, () => sendButton.click())
      assert.equal(pathOf(gus), created, 'sent to the request made the first time')
      assert.match(await gus.locator('body').innerText(), /already been sent/)
      await expectNoAxeViolations(gus)

      await visit(gus, '/support/requests')
      const listed = await gus.getByRole('link', { name: title, exact: true }).count()
      assert.equal(listed, 1, 'one request, not two')
    })

    test(`deleting a data point asks first, naming what will be lost, ${how}`, async () => {
      const ada = await signIn(e2e, 'ada.aimwell@example.invalid', javaScript)
      await visit(ada, '/measures/demo-measure-discharge-noon')
      // The table of points (in a details element) links each point to its form.
      const firstPoint = ada.locator('a[href^="/measures/demo-measure-discharge-noon/data/2"]').first()
      const href = await firstPoint.getAttribute('href')
      assert.ok(href, 'Ada may change the data')
      await visit(ada, href)
      assert.equal(await ada.locator('form[action$="/delete"]').count(), 0, 'no delete button beside Save')
      const pointPath = pathOf(ada)
      await clickAndLoad(ada, () => ada.getByRole('link', { name: 'Delete this data point' }).click())
      await expectNoAxeViolations(ada)
      assert.match(await ada.locator('h1').innerText(), /^Delete the data point for /)
      assert.match(await ada.locator('body').innerText(), /What will be lost/)
      await clickAndLoad(ada, () => ada.getByRole('link', { name: 'Keep the data point' }).click())
      assert.equal(pathOf(ada), pointPath, 'keeping it goes back, nothing deleted')
      await clickAndLoad(ada, () => ada.getByRole('link', { name: 'Delete this data point' }).click())
      await clickAndLoad(ada, () => ada.getByRole('button', { name: 'Delete the data point' }).click())
      assert.equal(pathOf(ada), '/measures/demo-measure-discharge-noon')
      assert.match(await ada.locator('body').innerText(), /The data point has been deleted/)
      const gone = await ada.goto(pointPath)
      assert.equal(gone?.status(), 404)
    })
  }
})
