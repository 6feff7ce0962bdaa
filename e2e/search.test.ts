// Browser journey for the resources library and the site search (issue 11 points 2 to 4): a member
// searches from the header, narrows the results to resources, opens a guide and follows it into
// the tool; a visitor filters the library and reads the contact page. axe on every page, with
// JavaScript on and off.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startE2e, visit, type E2e } from './harness.js'
import { Member } from './pages/member.js'
import { SearchPages } from './pages/search.js'

const ADA = 'ada.aimwell@example.invalid'

describe('the resources library and the site search in the browser', () => {
  let e2e: E2e
  before(async () => {
    e2e = await startE2e()
  })
  after(() => e2e?.close())

  for (const javaScript of [true, false]) {
    const how = javaScript ? 'with JavaScript' : 'without JavaScript'

    test(`a member finds a guide from the header and follows it into the tool (${how})`, async () => {
      const ada = await Member.signIn(e2e, ADA, { javaScript })
      const search = new SearchPages(ada)
      await ada.open('/projects')
      await search.searchFromHeader('driver diagram')
      assert.ok((await search.count('Resources')) >= 1, 'the guide is counted')
      await ada.follow(/^Resources \(\d+\)$/)
      assert.ok((await search.resultTitles()).includes('Driver diagrams'))
      await ada.follow('Driver diagrams')
      await ada.expectHeading('Driver diagrams')
      await ada.follow('Start a driver diagram in your project')
      assert.equal(ada.path, '/projects?mine=1')
      await ada.close()
    })

    test(`a visitor filters the library and reads the contact page (${how})`, async () => {
      const context = await e2e.newContext({ javaScript })
      const page = await context.newPage()
      await visit(page, '/resources?stage=handover_sustain')
      const main = await page.locator('main').innerText()
      assert.match(main, /Handover and sustain: make the gains last/)
      assert.doesNotMatch(main, /PDSA cycles/)
      await visit(page, '/contact')
      assert.match(await page.locator('main').innerText(), /glicb\.improvement-community@nhs\.net/)
      await context.close()
    })
  }
})
