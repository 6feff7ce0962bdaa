import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { pdfText } from '../testing/pdf-text.js'
import { dataPointRow, measureRow, pdsaCycleRow, projectRow } from '../db/rows.js'
import { newId } from '../core/ids.js'
import { nextPeriods } from './content.js'

const PROJECT = 'demo-project-discharge'
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

describe('the next periods of a sheet, by the measure’s own frequency', () => {
  const cases: [string, string | null, string, number, string[]][] = [
    ['Weekly', '2026-11-02', '2026-12-03', 3, ['2026-11-09', '2026-11-16', '2026-11-23']],
    ['Monthly', '2026-01-31', '2026-12-03', 3, ['2026-02-28', '2026-03-31', '2026-04-30']],
    ['Quarterly', null, '2026-12-03', 2, ['2026-12-01', '2027-03-01']],
    ['Daily', null, '2026-12-03', 2, ['2026-12-03', '2026-12-04']],
    ['Ad hoc', '2026-11-02', '2026-12-03', 2, ['', '']],
  ]
  for (const [frequency, latest, today, n, want] of cases)
    test(`${frequency}, latest ${latest ?? 'none'}`, () =>
      assert.deepEqual(nextPeriods(frequency, latest, today, n), want))
})

for (const { dialect, skip } of await testDialects()) {
  describe(`paper forms on ${dialect}`, { skip }, () => {
    let t: TestApp
    let ada: TestBrowser
    let ben: TestBrowser
    let pdsaId: string
    let measureId: string
    let hiddenMeasureId: string
    let hiddenProjectId: string

    before(async () => {
      t = await startTestApp(dialect)
      const db = t.db.database.db
      const idea = await db
        .selectFrom('change_ideas')
        .select('id')
        .where('project_id', '=', PROJECT)
        .executeTakeFirstOrThrow()
      const cycle = pdsaCycleRow({
        project_id: PROJECT,
        change_idea_id: idea.id,
        title: 'Discharge checklist on Ward 7',
        status: 'studying',
        objective: 'Check the checklist is used at the morning huddle',
        prediction: 'Eight of ten discharges before noon will have the checklist ticked',
        planned_date: '2026-11-02',
        do_notes: 'Used on five mornings',
        do_start: '2026-11-02',
        do_end: '2026-11-09',
        prediction_met: 'partly',
      })
      pdsaId = cycle.id
      await db.insertInto('pdsa_cycles').values(cycle).execute()
      const m = measureRow({
        project_id: PROJECT,
        name: 'Discharges before noon',
        frequency: 'Weekly',
        data_kind: 'proportion',
        numerator: 'Patients discharged before 12:00 on the day',
        denominator: 'All patients discharged from the ward that day',
        inclusions: 'Adults on Ward 7',
        exclusions: 'Transfers to another hospital',
        source: 'The ward’s discharge book',
        collector: 'The nurse in charge of the early shift',
      })
      measureId = m.id
      const hidden = projectRow({ title: 'A private project', visibility: 'private' })
      hiddenProjectId = hidden.id
      await db.insertInto('projects').values(hidden).execute()
      const hm = measureRow({ project_id: hidden.id, name: 'Hidden measure', frequency: 'Monthly' })
      hiddenMeasureId = hm.id
      for (const row of [m, hm]) await db.insertInto('measures').values(row).execute()
      await db
        .insertInto('measure_data_points')
        .values(
          dataPointRow({
            measure_id: m.id,
            period: '2026-11-02',
            numerator: 4,
            denominator: 10,
            value: null,
          }),
        )
        .execute()
      ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      ben = new TestBrowser(t.app)
      await ben.signIn('ben.baseline@example.invalid')
    })
    after(() => t?.close())

    test('the PDSA page and the list link to the cycle’s form and the blank form', async () => {
      const page = await ada.get(`/projects/${PROJECT}/pdsa/${pdsaId}`)
      assert.match(page.body, new RegExp(`href="/projects/${PROJECT}/pdsa/${pdsaId}/print"`))
      assert.match(page.body, new RegExp(`href="/projects/${PROJECT}/pdsa/${pdsaId}/form.pdf"`))
      const list = await ada.get(`/projects/${PROJECT}/pdsa`)
      assert.match(list.body, new RegExp(`href="/projects/${PROJECT}/pdsa-form"`))
      assert.match(list.body, new RegExp(`href="/projects/${PROJECT}/pdsa-form.pdf"`))
    })

    test('a cycle’s print page and PDF carry its plan, the stages, and space for what is not written', async () => {
      const page = await ada.get(`/projects/${PROJECT}/pdsa/${pdsaId}/print`)
      assert.equal(page.statusCode, 200)
      const words = text(page.body)
      assert.match(words, /Eight of ten discharges before noon/)
      for (const h of ['Plan', 'Do', 'Study', 'Act'])
        assert.match(page.body, new RegExp(`<h2 id="paper-${h.toLowerCase()}">${h}</h2>`))
      assert.match(words, /Partly \(ticked\)/)
      assert.match(page.body, /class="app-paper__line"/, 'the empty findings have lines to write on')
      const pdf = await ada.get(`/projects/${PROJECT}/pdsa/${pdsaId}/form.pdf`)
      assert.equal(pdf.statusCode, 200)
      assert.equal(pdf.headers['content-type'], 'application/pdf')
      assert.match(
        String(pdf.headers['content-disposition']),
        /^attachment; filename="PDSA-cycle-Discharge-checklist-on-Ward-7\.pdf"/,
      )
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-')
      const { lines, embedded } = pdfText(pdf.rawPayload)
      const all = lines.join(' ')
      assert.ok(embedded > 0, 'the font is embedded')
      assert.match(all, /Eight of ten discharges/)
      assert.match(all, /Was the prediction met\?/)
      assert.match(all, /Partly \(ticked\)/)
    })

    test('the blank PDSA form has every stage and nothing of any cycle', async () => {
      const page = await ada.get(`/projects/${PROJECT}/pdsa-form`)
      assert.equal(page.statusCode, 200)
      assert.doesNotMatch(page.body, /Eight of ten/)
      assert.match(text(page.body), /Prediction: what we think will happen/)
      const pdf = await ada.get(`/projects/${PROJECT}/pdsa-form.pdf`)
      assert.equal(pdf.statusCode, 200)
      const all = pdfText(pdf.rawPayload).lines.join(' ')
      for (const w of ['Plan', 'Do', 'Study', 'Act', 'Prediction: what we think will happen', 'Cycle title'])
        assert.ok(all.includes(w), w)
      assert.doesNotMatch(all, /Eight of ten/)
    })

    test('the data collection sheet prints the definition and the next weekly periods, and says how the data goes back in', async () => {
      const measure = await ada.get(`/measures/${measureId}`)
      assert.match(measure.body, new RegExp(`href="/measures/${measureId}/sheet"`))
      const page = await ada.get(`/measures/${measureId}/sheet?periods=3`)
      assert.equal(page.statusCode, 200)
      const words = text(page.body)
      for (const w of [
        'Patients discharged before 12:00 on the day',
        'All patients discharged from the ward that day',
        'Adults on Ward 7',
        'Transfers to another hospital',
        'The ward’s discharge book',
        'The nurse in charge of the early shift',
        '9 Nov 2026',
        '23 Nov 2026',
        'Numerator: tally',
      ])
        assert.ok(words.includes(w), w)
      assert.ok(!words.includes('30 Nov 2026'), 'three periods only')
      assert.match(words, new RegExp(`/measures/${measureId}/paste`))
      const pdf = await ada.get(`/measures/${measureId}/sheet.pdf?periods=3`)
      assert.equal(pdf.statusCode, 200)
      assert.equal(pdf.headers['content-type'], 'application/pdf')
      const all = pdfText(pdf.rawPayload).lines.join(' ')
      for (const w of [
        'Patients discharged before 12:00 on the day',
        'Transfers to another hospital',
        'The nurse in charge of the early shift',
        '9 Nov 2026',
        '23 Nov 2026',
        'paste',
      ])
        assert.ok(all.includes(w), `${w} in ${all}`)
      assert.ok(!all.includes('30 Nov 2026'))
      const twelve = pdfText((await ada.get(`/measures/${measureId}/sheet.pdf`)).rawPayload).lines.join(' ')
      assert.ok(twelve.includes('25 Jan 2027'), 'twelve weekly periods by default')
    })

    test('bad numbers of periods are refused: a page on the page, a problem naming the field on the PDF', async () => {
      for (const q of ['0', '54', 'abc', '2.5']) {
        const page = await ada.get(`/measures/${measureId}/sheet?periods=${q}`)
        assert.equal(page.statusCode, 400, q)
        assert.match(String(page.headers['content-type']), /text\/html/)
        const pdf = await ada.get(`/measures/${measureId}/sheet.pdf?periods=${q}`)
        assert.equal(pdf.statusCode, 400, q)
        assert.match(String(pdf.headers['content-type']), /application\/problem\+json/)
        assert.match(pdf.body, /periods/)
      }
    })

    test('those who may not see the cycle or the measure get not found; the PDFs answer problems', async () => {
      const visitor = new TestBrowser(t.app)
      for (const url of [
        `/projects/${hiddenProjectId}/pdsa-form`,
        `/measures/${hiddenMeasureId}/sheet`,
        `/projects/${PROJECT}/pdsa/${newId()}/print`,
      ]) {
        const res = await ben.get(url)
        assert.equal(res.statusCode, 404, url)
      }
      for (const url of [
        `/projects/${hiddenProjectId}/pdsa-form.pdf`,
        `/measures/${hiddenMeasureId}/sheet.pdf`,
        `/projects/${PROJECT}/pdsa/${newId()}/form.pdf`,
      ]) {
        const res = await ben.get(url)
        assert.equal(res.statusCode, 404, url)
        assert.match(String(res.headers['content-type']), /application\/problem\+json/, url)
        const anon = await visitor.get(url)
        assert.ok([401, 404].includes(anon.statusCode), url)
        assert.match(String(anon.headers['content-type']), /application\/problem\+json/, url)
      }
    })
  })
}
