// Charts and diagrams people can read (issue 17): a measure with many annotations, a rebase and
// PDSA marks, the driver diagram and a QI tool, at 320, 768 and 1,280 px. Nothing overflows its
// container or the screen, no two labels overlap as Chromium lays the text out, each prints on
// one page, and axe finds nothing. Screenshots go to a temporary folder (named in the output).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startE2e, TEST_PASSWORD, type E2e } from './harness.js'
import { PicturePage } from './pages/charts.js'

const ADA = 'ada.aimwell@example.invalid'
const MEASURE = 'demo-measure-discharge-noon'
const PROJECT = 'demo-project-discharge'
const WIDTHS = [320, 768, 1280]
/** The printable height of an A4 page with 1.5 cm margins, in CSS pixels (96 per inch). */
const A4_PRINTABLE = (26.7 / 2.54) * 96

const NOTES = [
  'Board round moved to 9am',
  'Pharmacy-led medicines reconciliation on every admission, with a second check before the patient leaves',
  'Transport booked the day before',
  'New discharge lounge',
  'Staff huddle',
  'Winter pressures: escalation beds opened on Ward 5 and staff moved between wards for six weeks',
  'Criteria-led discharge',
  'Locum consultant',
]

describe('charts and diagrams that fit and can be read', () => {
  let e2e: E2e
  let shots: string
  before(async () => {
    e2e = await startE2e()
    shots = await mkdtemp(join(tmpdir(), 'qi-charts-'))
    console.log(`screenshots in ${shots}`)
  })
  after(() => e2e?.close())

  test('a measure with many events, a rebase and PDSA marks; the driver diagram and a tool', async () => {
    const context = await e2e.newContext()
    const ada = new PicturePage(await context.newPage(), shots)
    await ada.signIn(ADA, TEST_PASSWORD)

    // Many annotations, some in the same three weeks, some long, and a rebase.
    const csv = await (await ada.page.request.get(`/measures/${MEASURE}/data.csv`)).text()
    const periods = csv
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[0])
      .filter((p) => /^\d{4}-\d{2}-\d{2}$/.test(p))
    assert.ok(periods.length >= 20, 'the demo measure has its points')
    const day = (period: string, add: number) => {
      const d = new Date(`${period}T00:00:00Z`)
      d.setUTCDate(d.getUTCDate() + add)
      return d.toISOString().slice(0, 10)
    }
    const form = `/measures/${MEASURE}/annotations/new`
    for (let i = 0; i < 24; i++) {
      const at = i < 6 ? day(periods[10], i * 3) : day(periods[(i * 7) % (periods.length - 1)], i % 20)
      await ada.sendForm(form, form, { date: at, text: `${NOTES[i % NOTES.length]} (${i + 1})` })
    }
    await ada.sendForm(`${form}?rebase=1`, form, {
      date: periods[14],
      text: 'The new discharge pathway became how the ward works',
      isRebase: 'on',
    })

    for (const width of WIDTHS) {
      await ada.atWidth(width)
      await ada.goto(`/measures/${MEASURE}`)
      await ada.axe(`measure page at ${width} px`)
      await ada.screenshot('measure')
      const chart = ada.chart()
      await ada.expectFits(chart, '.app-spc-chart', 'the chart')
      const texts = await ada.expectNoOverlappingLabels(`the chart at ${width} px`)
      assert.ok(texts >= 27, `every event and its key entry is drawn (${texts})`)
      const desc = (await chart.locator('desc').textContent()) ?? ''
      assert.match(desc, /events are (marked on the time axis with numbers|labelled under the time axis)/)
      assert.match(desc, /: PDSA: Board round/)
      assert.match(desc, /\d, 1 \w+ \d{4}: Rebase: The new discharge pathway became how the ward works/)
      if (width === 1280) {
        const fit = await ada.fit(chart, '.app-spc-chart')
        assert.ok(fit.pageScrollWidth <= fit.viewport, 'no sideways scrolling at 1,280 px')
        const printed = await ada.printedSize(chart)
        assert.ok(printed.height <= A4_PRINTABLE && printed.width <= printed.page, 'prints on one page')
      }
    }

    for (const [name, path] of [
      ['drivers', `/projects/${PROJECT}/drivers`],
      ['fishbone', `/projects/${PROJECT}/tools/demo-tool-fishbone`],
      ['stakeholders', `/projects/${PROJECT}/tools/demo-tool-stakeholders`],
    ] as const) {
      for (const width of WIDTHS) {
        await ada.atWidth(width)
        await ada.goto(path)
        await ada.axe(`${name} at ${width} px`)
        await ada.screenshot(name)
        const picture = ada.diagram()
        assert.equal(await picture.count(), 1, `${name}: one picture`)
        const fit = await ada.expectFits(picture, '.app-diagram-figure', name)
        if (width === 1280) {
          assert.ok(fit.pageScrollWidth <= fit.viewport, `${name}: no sideways scrolling at 1,280 px`)
          const printed = await ada.printedSize(picture)
          assert.ok(
            printed.height <= A4_PRINTABLE && printed.width <= printed.page,
            `${name}: prints on one page`,
          )
        }
      }
      // the picture downloads as the page shows it
      const link = ada.page.locator('.app-diagram-downloads a').first()
      const href = await link.getAttribute('href')
      assert.ok(href !== null && href.endsWith('.png'), `${name}: a PNG download`)
      const png = await ada.page.request.get(href)
      assert.equal(png.status(), 200)
      assert.match(png.headers()['content-disposition'] ?? '', /^attachment; filename=".+\.png"$/)
    }
    await context.close()
  })

  test('a proportion’s p chart offers the XmR chart in one click, without JavaScript too', async () => {
    const context = await e2e.newContext({ javaScript: false })
    const ada = new PicturePage(await context.newPage(), shots)
    await ada.signIn(ADA, TEST_PASSWORD)
    await ada.atWidth(320)
    await ada.goto('/measures/demo-measure-discharge-letters')
    assert.match(
      await ada.page.locator('.app-chart-rules').innerText(),
      /P chart \(proportions\).*Anhøj rules/,
    )
    await ada.axe('the p chart at 320 px')
    await ada.expectFits(ada.chart(), '.app-spc-chart', 'the p chart')
    const loaded = ada.page.waitForEvent('framenavigated')
    await ada.page.getByRole('button', { name: 'Use the XmR chart (Making Data Count) instead' }).click()
    await loaded
    await ada.page.waitForLoadState('load')
    assert.match(
      await ada.page.locator('.app-chart-rules').innerText(),
      /XmR chart \(Making Data Count\), chosen by the team\. Making Data Count rules: shift 7, trend 7/,
    )
    await ada.axe('the XmR chart at 320 px')
    await context.close()
  })
})
