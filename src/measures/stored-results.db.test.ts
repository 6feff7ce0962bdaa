import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import * as annotationRepo from './annotation-repository.js'
import * as pointRepo from './point-repository.js'
import { findMeasure } from './repository.js'
import { reportView, resultKey, signalOf, signalCandidates, storedResults } from './result-repository.js'
import { addMeasure, measureFields, monthly, teamProject } from './test-helpers.js'

for (const { dialect, skip } of await testDialects()) {
  describe(`stored SPC results on ${dialect}`, { skip }, () => {
    let t: TestApp
    let ada: TestBrowser
    let id = ''
    const db = () => t.db.database.db

    /** The stored result is for the measure as it is now, and equals a fresh computation. */
    async function expectCurrent(after: string) {
      const m = (await findMeasure(db(), id))!
      const [points, rebases] = await Promise.all([
        pointRepo.listSeries(db(), id),
        annotationRepo.listRebasesOf(db(), [id]).then((r) => r.get(id) ?? []),
      ])
      const stored = (await storedResults(db(), [id])).get(id)
      assert.ok(stored, `a result is stored after ${after}`)
      assert.equal(stored.key, resultKey(m, rebases), `the stored key is current after ${after}`)
      assert.deepEqual(
        stored.view,
        JSON.parse(JSON.stringify(reportView(m, points, rebases))),
        `the stored result equals a fresh computation after ${after}`,
      )
      const row = await db()
        .selectFrom('measure_results')
        .select('signal')
        .where('measure_id', '=', id)
        .executeTakeFirstOrThrow()
      assert.equal(row.signal, signalOf(stored.view), `the stored signal matches its analysis after ${after}`)
      return stored.view
    }

    const pointVersion = async (period: string) =>
      String(
        (
          await db()
            .selectFrom('measure_data_points')
            .select('version')
            .where('measure_id', '=', id)
            .where('period', '=', period)
            .executeTakeFirstOrThrow()
        ).version,
      )

    before(async () => {
      t = await startTestApp(dialect)
      ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      id = await addMeasure(ada, await teamProject(db()), { dataKind: 'count', direction: 'decrease' })
    })
    after(() => t?.close())

    test('after every kind of change the stored result is the one a fresh computation gives', async () => {
      await expectCurrent('creating the measure')
      const values = [9, 7, 8, 6, 9, 8, 7, 9, 8, 6, 7, 8, 3, 2, 3, 2, 1, 2, 3, 2]
      const periods = monthly(values.length)
      await ada.get(`/measures/${id}/data/new`)
      for (const [i, period] of periods.entries()) {
        const res = await ada.post(`/measures/${id}/data/new`, {
          period,
          value: String(values[i]),
          version: '0',
        })
        assert.equal(res.statusCode, 303)
      }
      const added = await expectCurrent('adding points')
      assert.equal(added.summary.points, values.length)

      await ada.get(`/measures/${id}/data/${periods[3]}`)
      assert.equal(
        (
          await ada.post(`/measures/${id}/data/${periods[3]}`, {
            period: periods[3],
            value: '12',
            version: await pointVersion(periods[3]),
          })
        ).statusCode,
        303,
      )
      await expectCurrent('changing a point')

      await ada.get(`/measures/${id}/data/${periods[4]}`)
      await ada.post(`/measures/${id}/data/${periods[4]}`, {
        period: periods[4],
        value: '9',
        excluded: 'on',
        exclusionReason: 'Counting changed that month (DEMO)',
        version: await pointVersion(periods[4]),
      })
      await expectCurrent('excluding a point')

      await ada.get(`/measures/${id}`)
      assert.equal((await ada.post(`/measures/${id}/data/${periods[0]}/delete`, {})).statusCode, 303)
      const deleted = await expectCurrent('deleting a point')
      assert.equal(deleted.summary.points, values.length - 1)

      await ada.get(`/measures/${id}/annotations/new?rebase=1`)
      assert.equal(
        (
          await ada.post(`/measures/${id}/annotations/new`, {
            date: periods[12],
            text: 'New falls pathway became how the ward works (DEMO)',
            isRebase: 'on',
          })
        ).statusCode,
        303,
      )
      const rebased = await expectCurrent('a rebase')
      assert.notDeepEqual(rebased.summary, deleted.summary, 'the rebase changed the result')

      const rebase = (await annotationRepo.listRebasesOf(db(), [id])).get(id)![0]
      await ada.get(`/measures/${id}`)
      assert.equal((await ada.post(`/measures/${id}/annotations/${rebase.id}/delete`, {})).statusCode, 303)
      await expectCurrent('deleting the rebase')

      const m = (await findMeasure(db(), id))!
      await ada.get(`/measures/${id}/edit`)
      const edited = await ada.post(`/measures/${id}/edit`, {
        ...measureFields({ dataKind: 'count', direction: 'decrease' }),
        target: '4',
        chartType: 'i',
        version: String(m.version),
      })
      assert.equal(edited.statusCode, 303, edited.body.slice(0, 300))
      const retargeted = await expectCurrent('changing the target and the chart type')
      assert.equal(retargeted.summary.chart, 'i')
    })

    test('a result the measure has moved past is never used: the Board report computes afresh', async () => {
      // Data written around the services (as a bulk loader does) leaves the stored key behind.
      await db()
        .updateTable('measures')
        .set((eb) => ({ data_version: eb('data_version', '+', 1) }))
        .where('id', '=', id)
        .execute()
      await db()
        .updateTable('measure_result_views')
        .set({ view: '{"summary":{"points":-1}}' })
        .where('measure_id', '=', id)
        .execute()
      const [report] = await t.services.measures.reports.ofMeasures([id])
      assert.notEqual(report.view.summary.points, -1, 'the stale row is not read')
      // The portfolio's special-cause search looks again at a measure whose row is stale.
      const m0 = (await findMeasure(db(), id))!
      const candidates = await signalCandidates(db(), [m0.projectId])
      assert.ok(candidates.some((c) => c.id === id))
      // A stale row's signal is not believed: the portfolio's signals analyse the measure afresh.
      await db()
        .updateTable('measure_results')
        .set({ signal: 'concern_high' })
        .where('measure_id', '=', id)
        .execute()
      const afresh = (await t.services.measures.reports.signalsOf([m0.projectId])).find(
        (h) => h.measureId === id,
      )
      assert.equal(afresh?.icon, signalOf(report.view) ?? undefined, 'the signal of a fresh computation')
      // And a current row is read: the report returns what is stored for the current key.
      const m = (await findMeasure(db(), id))!
      const rebases = (await annotationRepo.listRebasesOf(db(), [id])).get(id) ?? []
      const marker = { ...report.view, summary: { ...report.view.summary, points: 4242 } }
      await db()
        .updateTable('measure_results')
        .set({ inputs_key: resultKey(m, rebases) })
        .where('measure_id', '=', id)
        .execute()
      await db()
        .updateTable('measure_result_views')
        .set({ view: JSON.stringify(marker) })
        .where('measure_id', '=', id)
        .execute()
      const fresh = t.services.measures.reports
      // A new report service (another instance) has no memory of its own and reads the row.
      const { MeasureReportService } = await import('./report-service.js')
      const other = new MeasureReportService(db())
      assert.equal((await other.ofMeasures([id]))[0].view.summary.points, 4242)
      // So is a current row's signal: the portfolio's count of signals reads it as stored.
      await db()
        .updateTable('measure_results')
        .set({ signal: 'concern_low' })
        .where('measure_id', '=', id)
        .execute()
      const stored = (await other.signalsOf([m0.projectId])).find((h) => h.measureId === id)
      assert.equal(stored?.icon, 'concern_low')
      assert.ok(fresh)
    })
  })
}
