// Browser journey for the board pack (issue 12 point 5): a Board member opens the SPC summary,
// sees the icons, asks for a board pack, watches its status page (which refreshes itself without
// JavaScript), downloads the PowerPoint file, and the test opens it (unzips it and reads its
// slides' XML): one slide per flagged measure with its title and figures; then the capability
// figures. axe and the HTML checker on each page.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import JSZip from 'jszip'
import { expectNoAxeViolations, startE2e, type E2e } from './harness.js'
import { Member } from './pages/member.js'

const ESME = 'esme.exec@example.invalid' // Board

/** The text of each slide, in order. */
async function slideTexts(bytes: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes)
  const names = Object.keys(zip.files)
    .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    .sort((a, b) => Number(/(\d+)\.xml/.exec(a)![1]) - Number(/(\d+)\.xml/.exec(b)![1]))
  return Promise.all(
    names.map(async (n) =>
      [...(await zip.file(n)!.async('string')).matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]).join(' '),
    ),
  )
}

describe('the board pack in the browser', () => {
  let e2e: E2e
  before(async () => {
    e2e = await startE2e()
  })
  after(() => e2e?.close())

  for (const javaScript of [true, false])
    test(`a Board member asks for a pack, waits for it and downloads the .pptx (${javaScript ? 'with' : 'without'} JavaScript)`, async () => {
      const esme = await Member.signIn(e2e, ESME, { javaScript })
      await esme.open('/board')
      await esme.expectHeading('Board SPC summary')
      const icons = await esme.page
        .locator('main table svg[role="img"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))
      assert.ok(
        icons.some((l) => l.startsWith('Special cause')),
        `variation icons: ${icons.join('; ')}`,
      )
      const flagged = await esme.page.locator('main tr[data-measure] th a').allInnerTexts()
      assert.equal(flagged.length, 2, 'the demo flags two measures')

      await esme.press('Make a board pack')
      await esme.expectHeading('Board pack')
      assert.match(await esme.main(), /Waiting to start|Being made/)
      assert.match(await esme.main(), /This page refreshes itself/)
      await e2e.services.jobs.runDue()
      await esme.page.reload()
      await expectNoAxeViolations(esme.page)
      assert.match(await esme.main(), /Ready/)

      const [download] = await Promise.all([
        esme.page.waitForEvent('download'),
        esme.page.getByRole('link', { name: 'Download the pack (PowerPoint)' }).click(),
      ])
      assert.match(download.suggestedFilename(), /^board-pack-\d{4}-\d\d-\d\d\.pptx$/)
      const slides = await slideTexts(await readFile(await download.path()))
      const charts = slides.filter((s) => s.includes('Latest annotations'))
      assert.equal(charts.length, flagged.length, 'one slide per flagged measure')
      for (const name of flagged) {
        const slide = charts.find((s) => s.startsWith(name.replace(/&/g, '&amp;')))
        assert.ok(slide, `a slide for ${name}`)
        assert.match(slide, /Latest point .+: [\d.,]+\. Mean [\d.,]+; limits [\d.,]+ to [\d.,]+; target /)
      }

      await esme.follow('Open the pack to print')
      assert.match(await esme.main(), /Making Data Count summary/)
      await esme.open('/board/packs')
      await esme.expectHeading('Board packs')
      await esme.follow('Back to the Board SPC summary')
      await esme.follow('Capability against targets')
      await esme.expectHeading('Capability')
      assert.match(await esme.main(), /By organisation and level, against the targets/)
      assert.deepEqual(e2e.pageErrors, [])
      await esme.close()
    })
})
