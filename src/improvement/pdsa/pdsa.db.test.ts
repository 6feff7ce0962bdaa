import { measureRow } from '../../db/rows.js'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, h1, startTestApp, type TestApp, type TestBrowser } from '../../testing/app.js'
import { testDialects } from '../../testing/databases.js'
import { ADA, BEN, LEO, location, signedIn, teamProject } from '../fixtures.js'
import { pdsaMarksForMeasure } from '../pdsa-marks.js'

const plan = (changeIdeaId: string, overrides: Record<string, string | string[]> = {}) => ({
  title: 'Checklist on Ward 3 for a week',
  changeIdeaId,
  objective: 'Does starting the checklist on admission bring discharges forward?',
  prediction: 'Half of the week’s discharges will be before noon',
  planWho: 'Ward 3 nurses',
  planWhat: 'Start the checklist within 24 hours of admission',
  planWhen: 'Monday to Friday',
  planWhere: 'Ward 3',
  plannedDay: '2',
  plannedMonth: '3',
  plannedYear: '2027',
  dataToCollect: 'Discharges before noon each day (count)',
  ...overrides,
})

for (const { dialect, skip } of await testDialects()) {
  describe(`PDSA cycles on ${dialect}`, { skip }, () => {
    let t: TestApp
    before(async () => {
      t = await startTestApp(dialect)
    })
    after(() => t?.close())

    const cycleRow = (id: string) =>
      t.db.database.db.selectFrom('pdsa_cycles').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    const ideaRow = (id: string) =>
      t.db.database.db.selectFrom('change_ideas').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

    async function changeIdea(
      browser: TestBrowser,
      projectId: string,
      title = 'Discharge checklist',
    ): Promise<string> {
      const res = await browser.post(`/projects/${projectId}/change-ideas`, { title, status: 'idea' })
      assert.equal(res.statusCode, 303)
      return location(res).split('/').pop()!
    }

    async function planned(
      browser: TestBrowser,
      projectId: string,
      ideaId: string,
      overrides: Record<string, string | string[]> = {},
    ): Promise<string> {
      const res = await browser.post(`/projects/${projectId}/pdsa`, plan(ideaId, overrides))
      assert.equal(res.statusCode, 303, errorSummary(res.body).join('; '))
      return location(res).split('/').pop()!
    }

    async function measure(projectId: string, name: string): Promise<string> {
      const id = `m-${Math.random().toString(36).slice(2)}`
      const now = new Date().toISOString()
      await t.db.database.db
        .insertInto('measures')
        .values(measureRow({ id, project_id: projectId, name, data_kind: 'proportion', created_at: now }))
        .execute()
      return id
    }

    const doStep = (version: number, overrides: Record<string, string> = {}) => ({
      doStartDay: '2',
      doStartMonth: '3',
      doStartYear: '2027',
      doEndDay: '6',
      doEndMonth: '3',
      doEndYear: '2027',
      doNotes: 'Used on 14 of 18 admissions',
      version: String(version),
      ...overrides,
    })

    test('a plan needs a prediction (and its other parts must be valid)', async () => {
      const projectId = await teamProject(t)
      const ben = await signedIn(t, BEN)
      const ideaId = await changeIdea(ben, projectId)
      const form = await ben.get(`/projects/${projectId}/pdsa/new?changeIdea=${ideaId}`)
      assert.equal(h1(form.body), 'Plan a PDSA cycle')
      const res = await ben.post(`/projects/${projectId}/pdsa`, plan(ideaId, { prediction: '' }))
      assert.equal(res.statusCode, 400)
      assert.deepEqual(errorSummary(res.body), ['Enter your prediction: what do you expect to happen?'])
      const bad = await ben.post(
        `/projects/${projectId}/pdsa`,
        plan('', {
          title: 'x'.repeat(121),
          plannedDay: '31',
          plannedMonth: '2',
          objective: 'o'.repeat(1001),
        }),
      )
      assert.deepEqual(errorSummary(bad.body), [
        'Short title for the cycle must be 120 characters or fewer',
        'Select the change idea this cycle tests',
        'Objective of this test must be 1000 characters or fewer',
        'Planned start date must be a real date',
      ])
      const other = await teamProject(t)
      const foreignIdea = await changeIdea(await signedIn(t, ADA), other)
      const foreign = await ben.post(`/projects/${projectId}/pdsa`, plan(foreignIdea))
      assert.deepEqual(errorSummary(foreign.body), ['Select a change idea from the list'])
      const rows = await t.db.database.db
        .selectFrom('pdsa_cycles')
        .select('id')
        .where('project_id', '=', projectId)
        .execute()
      assert.equal(rows.length, 0)
    })

    test('plan → do → study → act (adopt) → closed, with the change idea following', async () => {
      const projectId = await teamProject(t)
      const ben = await signedIn(t, BEN)
      const ideaId = await changeIdea(ben, projectId)
      const id = await planned(ben, projectId, ideaId)
      let page = await ben.get(`/projects/${projectId}/pdsa/${id}`)
      assert.equal(h1(page.body), 'PDSA cycle: Checklist on Ward 3 for a week')
      assert.match(page.body, /Planned<span class="nhsuk-u-visually-hidden"> \(current stage\)/)

      const started = await ben.post(`/projects/${projectId}/pdsa/${id}/do`, doStep(1))
      assert.equal(started.statusCode, 303)
      assert.equal((await cycleRow(id)).status, 'doing')
      assert.equal((await ideaRow(ideaId)).status, 'testing', 'starting a test moves the idea into testing')

      const studied = await ben.post(`/projects/${projectId}/pdsa/${id}/study`, {
        findings: '9 of 17 discharges before noon',
        predictionMet: 'yes',
        version: '2',
      })
      assert.equal(studied.statusCode, 303)
      const act = await ben.get(`/projects/${projectId}/pdsa/${id}/act`)
      assert.match(
        act.body,
        /Half of the week’s discharges will be before noon/,
        'the decision is taken against the prediction',
      )
      assert.match(act.body, /9 of 17 discharges before noon/)

      const decided = await ben.post(`/projects/${projectId}/pdsa/${id}/act`, {
        decision: 'adopt',
        decisionReason: 'It worked and staff like it',
        version: '3',
      })
      assert.equal(decided.statusCode, 303)
      page = await ben.get(location(decided))
      assert.match(
        page.body,
        /You decided to adopt. The change idea “Discharge checklist” is now marked adopted./,
      )
      assert.equal((await ideaRow(ideaId)).status, 'adopted')

      const closed = await ben.post(`/projects/${projectId}/pdsa/${id}/close`, { version: '4' })
      assert.equal(closed.statusCode, 303)
      const row = await cycleRow(id)
      assert.equal(row.status, 'closed')
      assert.equal(row.decision, 'adopt')
      assert.equal(row.prediction_met, 'yes')
      assert.equal(row.do_start, '2027-03-02')
      const kinds = (
        await t.db.database.db
          .selectFrom('project_activity')
          .select('kind')
          .where('project_id', '=', projectId)
          .execute()
      ).map((a) => a.kind)
      for (const k of ['pdsa.planned', 'pdsa.started', 'pdsa.studied', 'pdsa.decided', 'pdsa.closed'])
        assert.ok(kinds.includes(k), k)
    })

    test('study cannot be skipped and wrong transitions are refused clearly', async () => {
      const projectId = await teamProject(t)
      const ada = await signedIn(t, ADA)
      const ideaId = await changeIdea(ada, projectId)
      const id = await planned(ada, projectId, ideaId)

      const studyEarly = await ada.post(`/projects/${projectId}/pdsa/${id}/study`, {
        findings: 'x',
        predictionMet: 'yes',
        version: '1',
      })
      assert.equal(studyEarly.statusCode, 400)
      assert.deepEqual(errorSummary(studyEarly.body), [
        'Start the test and record what happened (Do) before studying it.',
      ])
      const actEarly = await ada.get(`/projects/${projectId}/pdsa/${id}/act`)
      assert.match(actEarly.body, /Study cannot be skipped/)
      assert.doesNotMatch(actEarly.body, /name="decision"/)
      const closeEarly = await ada.post(`/projects/${projectId}/pdsa/${id}/close`, { version: '1' })
      assert.equal(closeEarly.statusCode, 400)

      await ada.post(`/projects/${projectId}/pdsa/${id}/do`, doStep(1, { doNotes: '' }))
      const skip = await ada.post(`/projects/${projectId}/pdsa/${id}/act`, {
        decision: 'adopt',
        decisionReason: 'Looks fine',
        version: '2',
      })
      assert.equal(skip.statusCode, 400)
      assert.match(errorSummary(skip.body)[0], /^Study cannot be skipped/)
      const replan = await ada.post(`/projects/${projectId}/pdsa/${id}/plan`, {
        ...plan(ideaId),
        version: '2',
      })
      assert.equal(replan.statusCode, 400)
      assert.match(errorSummary(replan.body)[0], /only be changed before the test starts/)
      const noNotes = await ada.post(`/projects/${projectId}/pdsa/${id}/study`, {
        findings: 'x',
        predictionMet: 'yes',
        version: '2',
      })
      assert.equal(noNotes.statusCode, 400)
      assert.match(errorSummary(noNotes.body)[0], /Record what happened in the Do stage/)
      const badDates = await ada.post(`/projects/${projectId}/pdsa/${id}/do`, doStep(2, { doEndDay: '1' }))
      assert.deepEqual(errorSummary(badDates.body), [
        'The end date must be the same as or after the start date',
      ])
      const badMet = await ada.post(`/projects/${projectId}/pdsa/${id}/study`, {
        findings: '',
        predictionMet: 'maybe',
        version: '2',
      })
      assert.deepEqual(errorSummary(badMet.body), [
        'Enter what you found',
        'Select whether the prediction was met',
      ])
      assert.equal((await cycleRow(id)).status, 'doing')
    })

    test('adapt opens the next linked cycle, pre-filled, and the ramp shows the chain with decisions', async () => {
      const projectId = await teamProject(t)
      const ada = await signedIn(t, ADA)
      const ideaId = await changeIdea(ada, projectId, 'Criteria-led discharge')
      const m = await measure(projectId, 'Discharges before noon (%)')
      const first = await planned(ada, projectId, ideaId, {
        title: 'Criteria-led discharge',
        measureIds: [m],
      })
      await ada.post(`/projects/${projectId}/pdsa/${first}/do`, doStep(1))
      await ada.post(`/projects/${projectId}/pdsa/${first}/study`, {
        findings: 'Only 4 of 17 before noon',
        predictionMet: 'no',
        version: '2',
      })
      const adapted = await ada.post(`/projects/${projectId}/pdsa/${first}/act`, {
        decision: 'adapt',
        decisionReason: 'Criteria were unclear: rewrite them with the consultants',
        version: '3',
      })
      assert.equal(adapted.statusCode, 303)
      const next = location(adapted).split('/').at(-2)!
      assert.equal(location(adapted), `/projects/${projectId}/pdsa/${next}/plan`)

      const form = await ada.get(location(adapted))
      assert.match(form.body, /You decided to adapt. The next cycle has been opened/)
      assert.match(form.body, /value="Criteria-led discharge \(cycle 2\)"/)
      assert.match(
        form.body,
        /Half of the week’s discharges will be before noon<\/textarea>/,
        'the prediction is copied for revision',
      )
      assert.match(form.body, new RegExp(`value="${m}"[^>]*checked`), 'the measures are copied')
      const row = await cycleRow(next)
      assert.equal(row.previous_id, first)
      assert.equal(row.status, 'planned')
      assert.equal((await ideaRow(ideaId)).status, 'testing', 'adapting keeps the idea in testing')

      const revised = await ada.post(`/projects/${projectId}/pdsa/${next}/plan`, {
        ...plan(ideaId, {
          title: 'Criteria-led discharge (cycle 2)',
          prediction: 'A third before noon with clearer criteria',
          measureIds: [m],
        }),
        version: '1',
      })
      assert.equal(revised.statusCode, 303)
      await ada.post(`/projects/${projectId}/pdsa/${next}/do`, doStep(2, { doStartDay: '9', doEndDay: '13' }))
      await ada.post(`/projects/${projectId}/pdsa/${next}/study`, {
        findings: '6 of 18',
        predictionMet: 'partly',
        version: '3',
      })
      await ada.post(`/projects/${projectId}/pdsa/${next}/act`, {
        decision: 'abandon',
        decisionReason: 'Consultants prefer the board round',
        version: '4',
      })
      assert.equal((await ideaRow(ideaId)).status, 'abandoned')

      const ramp = await ada.get(`/projects/${projectId}/change-ideas/${ideaId}/ramp`)
      assert.equal(ramp.statusCode, 200)
      assert.equal(h1(ramp.body), 'PDSA ramp: Criteria-led discharge')
      const order = [...ramp.body.matchAll(/Cycle (\d): <a href="[^"]+">([^<]+)<\/a>/g)].map(
        (x) => `${x[1]} ${x[2]}`,
      )
      assert.deepEqual(order, ['1 Criteria-led discharge', '2 Criteria-led discharge (cycle 2)'])
      assert.match(
        ramp.body,
        /Adapt: Criteria were unclear[\s\S]*Abandon: Consultants prefer the board round/,
      )
      assert.match(ramp.body, /Prediction met\?[\s\S]*No[\s\S]*Partly/)
      const firstPage = await ada.get(`/projects/${projectId}/pdsa/${first}`)
      assert.match(firstPage.body, /It was adapted into <a [^>]+>Criteria-led discharge \(cycle 2\)/)

      const marks = await pdsaMarksForMeasure(t.db.database.db, m)
      assert.deepEqual(
        marks.map((x) => [x.date, x.pdsaId]),
        [
          ['2027-03-02', first],
          ['2027-03-09', next],
        ],
      )
      assert.match(marks[0].label, /Criteria-led discharge/)
    })

    test('linked measures must be the project’s own, and marks use the planned date until the test starts', async () => {
      const projectId = await teamProject(t)
      const other = await teamProject(t)
      const ada = await signedIn(t, ADA)
      const ideaId = await changeIdea(ada, projectId)
      const mine = await measure(projectId, 'Length of stay')
      const theirs = await measure(other, 'Someone else’s')
      const form = await ada.get(`/projects/${projectId}/pdsa/new`)
      assert.match(form.body, /Length of stay/)
      assert.doesNotMatch(form.body, /Someone else’s/)
      const refused = await ada.post(`/projects/${projectId}/pdsa`, plan(ideaId, { measureIds: [theirs] }))
      assert.deepEqual(errorSummary(refused.body), ['Select measures from the list'])
      const id = await planned(ada, projectId, ideaId, { measureIds: [mine] })
      assert.deepEqual(await pdsaMarksForMeasure(t.db.database.db, mine), [
        { date: '2027-03-02', label: 'PDSA: Checklist on Ward 3 for a week', pdsaId: id },
      ])
      assert.deepEqual(await pdsaMarksForMeasure(t.db.database.db, theirs), [])
      const page = await ada.get(`/projects/${projectId}/pdsa/${id}`)
      assert.match(page.body, new RegExp(`<a href="/measures/${mine}">Length of stay</a>`))
    })

    test('two people saving the same stage: the second is refused', async () => {
      const projectId = await teamProject(t)
      const ada = await signedIn(t, ADA)
      const ben = await signedIn(t, BEN)
      const ideaId = await changeIdea(ada, projectId)
      const id = await planned(ada, projectId, ideaId)
      await ada.get(`/projects/${projectId}/pdsa/${id}/plan`)
      await ben.get(`/projects/${projectId}/pdsa/${id}/plan`)
      const first = await ben.post(`/projects/${projectId}/pdsa/${id}/plan`, {
        ...plan(ideaId, { prediction: 'Ben’s prediction' }),
        version: '1',
      })
      assert.equal(first.statusCode, 303)
      const second = await ada.post(`/projects/${projectId}/pdsa/${id}/plan`, {
        ...plan(ideaId, { prediction: 'Ada’s prediction' }),
        version: '1',
      })
      assert.equal(second.statusCode, 409)
      assert.match(second.body, /Someone else changed this PDSA cycle/)
      assert.equal((await cycleRow(id)).prediction, 'Ben’s prediction')
    })

    test('planned cycles may be deleted; started ones, and change ideas with cycles, may not', async () => {
      const projectId = await teamProject(t)
      const ada = await signedIn(t, ADA)
      const ideaId = await changeIdea(ada, projectId)
      const a = await planned(ada, projectId, ideaId)
      const b = await planned(ada, projectId, ideaId)
      await ada.post(`/projects/${projectId}/pdsa/${b}/do`, doStep(1))
      const refused = await ada.post(`/projects/${projectId}/pdsa/${b}/delete`, { version: '2' })
      assert.equal(refused.statusCode, 400)
      assert.match(errorSummary(refused.body)[0], /Only a planned cycle/)
      const ideaDelete = await ada.post(`/projects/${projectId}/change-ideas/${ideaId}/delete`, {
        version: '2',
      })
      assert.equal(ideaDelete.statusCode, 400)
      assert.match(errorSummary(ideaDelete.body)[0], /Mark it as abandoned instead/)
      const deleted = await ada.post(`/projects/${projectId}/pdsa/${a}/delete`, { version: '1' })
      assert.equal(deleted.statusCode, 303)
      const left = await t.db.database.db
        .selectFrom('pdsa_cycles')
        .select('id')
        .where('project_id', '=', projectId)
        .execute()
      assert.deepEqual(
        left.map((r) => r.id),
        [b],
      )
    })

    test('comments on a PDSA cycle appear on its page', async () => {
      const projectId = await teamProject(t)
      const ben = await signedIn(t, BEN)
      const ideaId = await changeIdea(ben, projectId)
      const id = await planned(ben, projectId, ideaId)
      const page = await ben.get(`/projects/${projectId}/pdsa/${id}`)
      assert.match(page.body, /name="targetType" value="pdsa"/)
      const res = await ben.post(`/projects/${projectId}/comments`, {
        targetType: 'pdsa',
        targetId: id,
        returnTo: `/projects/${projectId}/pdsa/${id}#comments`,
        body: 'Shall we include <b>weekends</b>?',
      })
      assert.equal(res.statusCode, 303)
      const after = await ben.get(`/projects/${projectId}/pdsa/${id}`)
      assert.match(after.body, /Shall we include &lt;b&gt;weekends&lt;\/b&gt;\?/)
    })

    test('only the team changes cycles; invisible projects give 404', async () => {
      const open = await teamProject(t, { visibility: 'community' })
      const hidden = await teamProject(t, { visibility: 'team' })
      const ada = await signedIn(t, ADA)
      const openIdea = await changeIdea(ada, open)
      const openCycle = await planned(ada, open, openIdea)
      const hiddenCycle = await planned(ada, hidden, await changeIdea(ada, hidden))
      const leo = await signedIn(t, LEO)
      assert.equal((await leo.get(`/projects/${open}/pdsa/${openCycle}`)).statusCode, 200)
      assert.equal((await leo.get(`/projects/${open}/pdsa`)).statusCode, 200)
      assert.equal((await leo.get(`/projects/${open}/change-ideas/${openIdea}/ramp`)).statusCode, 200)
      assert.equal((await leo.get(`/projects/${open}/pdsa/${openCycle}/do`)).statusCode, 403)
      assert.equal((await leo.post(`/projects/${open}/pdsa/${openCycle}/do`, doStep(1))).statusCode, 403)
      assert.equal((await leo.post(`/projects/${open}/pdsa`, plan(openIdea))).statusCode, 403)
      assert.equal((await leo.get(`/projects/${hidden}/pdsa/${hiddenCycle}`)).statusCode, 404)
      assert.equal((await leo.get(`/projects/${hidden}/pdsa`)).statusCode, 404)
      assert.equal(
        (await leo.post(`/projects/${hidden}/pdsa/${hiddenCycle}/close`, { version: '1' })).statusCode,
        404,
      )
      assert.equal(
        (await ada.get(`/projects/${open}/pdsa/${hiddenCycle}`)).statusCode,
        404,
        'a cycle is only found through its own project',
      )
      assert.equal((await cycleRow(openCycle)).status, 'planned')
    })
  })
}
