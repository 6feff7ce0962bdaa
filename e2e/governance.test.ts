// Browser journey for governance (issue 12): a Steering Group member opens the portfolio, filters
// it, follows a figure to the projects behind it and flags a measure for the Board; a Board member
// opens the Board's SPC summary and sees the icons and the flagged measure. axe on each distinct
// page, with JavaScript on and off; the facilitation figures, the digest's settings and its
// unsubscribe page.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startE2e, type E2e } from './harness.js'
import { GovernancePages } from './pages/governance.js'
import { Member } from './pages/member.js'

const CARA = 'cara.cycle@example.invalid' // QI coach and Steering Group
const ESME = 'esme.exec@example.invalid' // Board
const NOON = 'Patients discharged before noon (DEMO)'

describe('the Steering Group portfolio and the Board SPC summary in the browser', () => {
  let e2e: E2e
  before(async () => {
    e2e = await startE2e()
  })
  after(() => e2e?.close())

  for (const javaScript of [true, false]) {
    const how = javaScript ? 'with JavaScript' : 'without JavaScript'

    test(`a Steering Group member filters the portfolio, follows a count and flags a measure (${how})`, async () => {
      const cara = new GovernancePages(await Member.signIn(e2e, CARA, { javaScript }))
      await cara.openPortfolio()
      const all = await cara.countOf('total')
      assert.ok(all >= 3, 'the demo projects are in the portfolio')
      await cara.filter('Status', 'Active')
      assert.equal(await cara.countOf('total'), 1, 'the status filter narrows the figures')
      await cara.filter('Organisation', 'Gloucestershire Hospitals NHS Foundation Trust')
      assert.equal(await cara.countOf('total'), 1, 'filters combine')
      assert.match(await cara.member.main(), /Status: Active[\s\S]*Organisation: Gloucestershire Hospitals/)
      await cara.followCount('status:active')
      await cara.member.expectHeading('Projects in the portfolio')
      assert.match(await cara.member.main(), /Timely discharge before noon on Ward 3/)
      await cara.member.follow('Back to the portfolio')
      if (javaScript) {
        await cara.flagForBoard(NOON)
        assert.match(await cara.member.main(), /On the Board’s summary/)
        assert.match(cara.page.url(), /status=active/, 'back on the filtered portfolio')
      } else {
        await cara.member.follow('Choose the measures the Board sees')
        await cara.member.expectHeading('Measures for the Board')
        assert.match(await cara.member.main(), new RegExp(NOON.replace(/[()]/g, '\\$&')))
        await cara.member.open('/steering-group/portfolio/stalled')
        await cara.member.open('/steering-group/settings')
        await cara.member.open('/steering-group/portfolio?organisation=nowhere', { status: 400 })
        assert.equal((await cara.member.errorSummary()).length, 1)
      }
      await cara.member.page.context().close()
    })

    test(`facilitation figures, the digest's settings and a broken unsubscribe link (${how})`, async () => {
      const cara = new GovernancePages(await Member.signIn(e2e, CARA, { javaScript }))
      await cara.member.open('/steering-group/facilitation')
      await cara.member.expectHeading('Facilitation')
      assert.match(await cara.member.main(), /Outcomes recorded/)
      await cara.member.open('/steering-group/digest')
      await cara.member.expectHeading('Weekly digest')
      await cara.member.open('/steering-group/digest/unsubscribe/not-a-real-token', { status: 404 })
      await cara.member.expectHeading('This link does not work')
      await cara.member.page.context().close()
      const esme = new GovernancePages(await Member.signIn(e2e, ESME, { javaScript }))
      await esme.member.open('/steering-group/facilitation')
      assert.doesNotMatch(await esme.member.main(), /Outcomes recorded/)
      await esme.member.page.context().close()
    })

    test(`a Board member reads the SPC summary with its icons and the flagged measure (${how})`, async () => {
      const esme = new GovernancePages(await Member.signIn(e2e, ESME, { javaScript }))
      await esme.member.open('/board')
      await esme.member.expectHeading('Board SPC summary')
      assert.match(await esme.member.main(), /Data as at/)
      const pictures = await esme.pictures(NOON)
      assert.ok(
        pictures.includes('Special cause improvement (high)'),
        `variation icon: ${pictures.join('; ')}`,
      )
      assert.ok(
        pictures.some((p) => /^The target is/.test(p)),
        'assurance icon',
      )
      assert.ok(
        pictures.some((p) => p.startsWith(`${NOON}: the latest`)),
        'sparkline',
      )
      const weekly = await esme.boardRow('Working days to send a routine referral (DEMO)').innerText()
      assert.match(weekly, /Weekly/)
      assert.match(weekly, /Week from/)
      await esme.member.open('/steering-group/portfolio', { status: 403, axe: false })
      await esme.member.page.context().close()
    })
  }
})
