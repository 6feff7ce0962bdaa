import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { startTestApp, TestBrowser, errorSummary, h1, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import {
  addMeasure,
  assertHas,
  assertHasNot,
  insertPoints,
  measureFields,
  monthly,
  teamProject,
  userId,
} from './test-helpers.js'

for (const { dialect, skip } of await testDialects()) {
  describe(`measures on ${dialect}`, { skip }, () => {
    let t: TestApp
    let ada: TestBrowser
    let ben: TestBrowser
    let leo: TestBrowser
    before(async () => {
      t = await startTestApp(dialect)
      ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      ben = new TestBrowser(t.app)
      await ben.signIn('ben.baseline@example.invalid')
      leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
    })
    after(async () => t.close())
    const db = () => t.db.database.db

    test('the team adds a measure with its operational definition; a wrong form comes back with its errors', async () => {
      const project = await teamProject(db())
      const page = await ben.get(`/projects/${project}/measures/new`)
      assert.equal(page.statusCode, 200)
      assert.equal(h1(page.body), 'Add a measure')
      const bad = await ben.post(`/projects/${project}/measures/new`, {
        ...measureFields({ name: '', dataKind: 'guess', target: 'lots' }),
      })
      assert.equal(bad.statusCode, 400)
      assert.deepEqual(errorSummary(bad.body), [
        'Enter the name of the measure',
        'Select the kind of data',
        'The target must be a number, like 85 or 4.5',
      ])
      assertHas(bad.body, />Falls reported on Datix<\/textarea>/, 'the input is kept')
      const id = await addMeasure(ben, project, {
        name: 'Discharges before noon',
        dataKind: 'proportion',
        direction: 'increase',
        target: '40',
        multiplier: '100',
        inclusions: 'Adults on Ward 3',
      })
      const row = await db().selectFrom('measures').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
      assert.equal(row.data_kind, 'proportion')
      assert.equal(row.chart_type, null)
      assert.equal(Number(row.target), 40)
      assert.equal(Number(row.multiplier), 100)
      assert.equal(row.inclusions, 'Adults on Ward 3')
      const shown = await leo.get(`/measures/${id}`)
      assert.equal(shown.statusCode, 200)
      assert.equal(h1(shown.body), 'Discharges before noon')
      assertHas(shown.body, /There is no data yet/)
      assertHasNot(shown.body, /Add a data point/, 'members outside the team only read')
      const audit = await db().selectFrom('audit_log').select('action').where('entity_id', '=', id).execute()
      assert.deepEqual(
        audit.map((a) => a.action),
        ['measure.created'],
      )
      const activity = await db()
        .selectFrom('project_activity')
        .select(['kind', 'summary'])
        .where('project_id', '=', project)
        .execute()
      assert.deepEqual(
        activity.map((a) => a.kind),
        ['measure.created'],
      )
    })

    test('people outside the team cannot add measures or data', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project)
      assert.equal((await leo.get(`/projects/${project}/measures/new`)).statusCode, 403)
      assert.equal((await leo.post(`/projects/${project}/measures/new`, measureFields())).statusCode, 403)
      assert.equal(
        (await leo.post(`/measures/${id}/data/new`, { period: '2024-01-01', value: '3', version: '0' }))
          .statusCode,
        403,
      )
      const anonymous = new TestBrowser(t.app)
      const res = await anonymous.get(`/measures/${id}`)
      assert.equal(res.statusCode, 303, 'community projects ask visitors to sign in')
      const hidden = await teamProject(db(), { visibility: 'team' })
      const hiddenMeasure = await addMeasure(ada, hidden)
      assert.equal(
        (await leo.get(`/measures/${hiddenMeasure}`)).statusCode,
        404,
        'a team-only project is not revealed',
      )
      assert.equal((await leo.get(`/projects/${hidden}/measures`)).statusCode, 404)
    })

    test('a measure refuses text that looks like patient data', async () => {
      const project = await teamProject(db())
      const res = await ada.submit(
        `/projects/${project}/measures/new`,
        `/projects/${project}/measures/new`,
        measureFields({ source: 'Ward list for patient 943 476 5919' }),
      )
      assert.equal(res.statusCode, 400)
      assert.match(errorSummary(res.body)[0], /looks like it contains an NHS number/)
    })

    test('the second of two people saving the same measure is refused, not overwritten', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { name: 'Original name' })
      await ada.get(`/measures/${id}/edit`)
      await ben.get(`/measures/${id}/edit`)
      const first = await ada.post(
        `/measures/${id}/edit`,
        measureFields({ name: 'Ada’s name', version: '1' }),
      )
      assert.equal(first.statusCode, 303)
      const second = await ben.post(
        `/measures/${id}/edit`,
        measureFields({ name: 'Ben’s name', version: '1' }),
      )
      assert.equal(second.statusCode, 409)
      assertHas(second.body, /Someone else changed this measure after you opened it/)
      assertHas(second.body, /value="Ada’s name"/, 'the form shows the measure as it is now')
      const row = await db()
        .selectFrom('measures')
        .select(['name', 'version'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      assert.equal(row.name, 'Ada’s name')
      assert.equal(Number(row.version), 2)
    })

    test('the chart type is suggested from the data (run below 12 points, then p) and can be changed by the team', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, {
        name: 'Letters ready',
        dataKind: 'proportion',
        direction: 'increase',
        multiplier: '100',
      })
      await insertPoints(
        db(),
        id,
        monthly(11).map((period, i) => ({ period, numerator: 20 + (i % 5), denominator: 50 })),
      )
      let page = await ada.get(`/measures/${id}`)
      assertHas(page.body, /Run chart \(median and runs rules\), suggested from the data/)
      await insertPoints(db(), id, [{ period: '2023-12-01', numerator: 22, denominator: 50 }])
      page = await ada.get(`/measures/${id}`)
      assertHas(page.body, /P chart \(proportions\), suggested from the data/)
      const wrong = await ada.submit(
        `/measures/${id}/edit`,
        `/measures/${id}/edit`,
        measureFields({
          name: 'Letters ready',
          dataKind: 'proportion',
          chartType: 'c',
          direction: 'increase',
          multiplier: '100',
          version: '1',
        }),
      )
      assert.equal(wrong.statusCode, 400)
      assert.match(errorSummary(wrong.body)[0], /does not suit this kind of data/)
      const xmr = await ada.submit(
        `/measures/${id}/edit`,
        `/measures/${id}/edit`,
        measureFields({
          name: 'Letters ready',
          dataKind: 'proportion',
          chartType: 'i',
          direction: 'increase',
          multiplier: '100',
          version: '1',
        }),
      )
      assert.equal(xmr.statusCode, 303)
      page = await ada.get(`/measures/${id}`)
      assertHas(page.body, /XmR chart \(Making Data Count\), chosen by the team/)
      assertHas(page.body, /spc-icon--variation|app-spc-chart__icon/)
      const kind = await ada.submit(
        `/measures/${id}/edit`,
        `/measures/${id}/edit`,
        measureFields({ name: 'Letters ready', dataKind: 'count', direction: 'increase', version: '2' }),
      )
      assert.equal(kind.statusCode, 400)
      assert.match(errorSummary(kind.body)[0], /cannot change the kind of data once the measure has data/)
    })

    test('a proportion offers the XmR chart in one click (a plain form to the edit route) and back', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, {
        name: 'Seen within 4 hours',
        dataKind: 'proportion',
        direction: 'increase',
        multiplier: '100',
      })
      await insertPoints(
        db(),
        id,
        monthly(24).map((period, i) => ({ period, numerator: i < 16 ? 40 + (i % 3) : 25, denominator: 50 })),
      )
      const switchForm = (html: string) => {
        const form = /<form method="post" action="([^"]+)" class="app-chart-switch">([\s\S]*?)<\/form>/.exec(
          html,
        )
        assert.ok(form, 'the switch form')
        const fields = Object.fromEntries(
          [...form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
            m[1],
            m[2]
              .replace(/&amp;/g, '&')
              .replace(/&#39;/g, "'")
              .replace(/&quot;/g, '"'),
          ]),
        )
        return { action: form[1], fields, button: /<button[^>]*>\s*([^<]+?)\s*<\/button>/.exec(form[2])?.[1] }
      }
      let page = await ada.get(`/measures/${id}`)
      assertHas(page.body, /P chart \(proportions\), suggested from the data\. Anhøj rules: 3-sigma limits/)
      // the special cause of the drop is coloured and iconed on the p chart too
      assertHas(page.body, /spc-point--concern/)
      assertHas(page.body, /spc-icon--variation-concern_low/)
      let form = switchForm(page.body)
      assert.equal(form.button, 'Use the XmR chart (Making Data Count) instead')
      assert.equal(form.fields.chartType, 'i')
      assert.equal(form.fields.name, 'Seen within 4 hours')
      const switched = await ada.post(form.action, form.fields)
      assert.equal(switched.statusCode, 303)
      page = await ada.get(`/measures/${id}`)
      assertHas(
        page.body,
        /XmR chart \(Making Data Count\), chosen by the team\. Making Data Count rules: shift 7, trend 7\./,
      )
      form = switchForm(page.body)
      assert.equal(form.button, 'Use the suggested p chart (proportions) instead')
      assert.equal((await ada.post(form.action, form.fields)).statusCode, 303)
      page = await ada.get(`/measures/${id}`)
      assertHas(page.body, /P chart \(proportions\), suggested from the data/)
    })

    test('data points by form: the field named for each mistake, one value per period', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ben, project, {
        dataKind: 'proportion',
        direction: 'increase',
        multiplier: '100',
      })
      const cases: [Record<string, string>, string][] = [
        [{ period: '31/02/2024', numerator: '1', denominator: '2' }, 'The date is not a real date'],
        [
          { period: '01/03/24', numerator: '1', denominator: '2' },
          'The date has a two-digit year: write the year in full, like 01/04/2024',
        ],
        [{ period: '2024-03-01', numerator: 'five', denominator: '2' }, 'The numerator is not a number'],
        [
          { period: '2024-03-01', numerator: '7', denominator: '5' },
          'The numerator (7) is more than the denominator (5)',
        ],
        [{ period: '2024-03-01', numerator: '-1', denominator: '5' }, 'The numerator cannot be negative'],
        [{ period: '2024-03-01', numerator: '1', denominator: '' }, 'Enter a denominator'],
        [
          { period: '1957-03-01', numerator: '1', denominator: '5' },
          'The date is before 2000: periods must be recent (older dates could be dates of birth)',
        ],
        [
          { period: '2024-03-01', numerator: '1', denominator: '5', excluded: 'on', exclusionReason: '' },
          'Enter why this point is excluded from the calculations',
        ],
      ]
      await ben.get(`/measures/${id}/data/new`)
      for (const [form, message] of cases) {
        const res = await ben.post(`/measures/${id}/data/new`, { ...form, version: '0' })
        assert.equal(res.statusCode, 400, message)
        assert.deepEqual(errorSummary(res.body), [message])
      }
      const ok = await ben.post(`/measures/${id}/data/new`, {
        period: '01/03/2024',
        numerator: '3',
        denominator: '5',
        version: '0',
      })
      assert.equal(ok.statusCode, 303)
      const again = await ben.post(`/measures/${id}/data/new`, {
        period: '2024-03-01',
        numerator: '2',
        denominator: '5',
        version: '0',
      })
      assert.deepEqual(errorSummary(again.body), [
        'There is already a value for 1 Mar 2024: change it in the data table instead',
      ])
      const points = await db()
        .selectFrom('measure_data_points')
        .selectAll()
        .where('measure_id', '=', id)
        .execute()
      assert.equal(points.length, 1)
      assert.equal(points[0].period, '2024-03-01')
      assert.equal(Number(points[0].numerator), 3)
      assert.equal(points[0].entered_by, await userId(db(), 'ben.baseline'))
    })

    test('a data point is changed with a version check, excluded with a reason, and deleted', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, {
        dataKind: 'continuous',
        direction: 'decrease',
        unit: 'days',
      })
      await insertPoints(db(), id, [{ period: '2024-01-01', value: 5 }])
      const form = await ada.get(`/measures/${id}/data/2024-01-01`)
      assert.equal(h1(form.body), 'Change a data point')
      await ben.get(`/measures/${id}/data/2024-01-01`)
      const changed = await ada.post(`/measures/${id}/data/2024-01-01`, {
        period: '2024-01-01',
        value: '6.5',
        excluded: 'on',
        exclusionReason: 'Ward closed for deep clean',
        version: '1',
      })
      assert.equal(changed.statusCode, 303)
      const late = await ben.post(`/measures/${id}/data/2024-01-01`, {
        period: '2024-01-01',
        value: '9',
        version: '1',
      })
      assert.equal(late.statusCode, 409)
      assertHas(late.body, /Someone else changed this data point/)
      const row = await db()
        .selectFrom('measure_data_points')
        .selectAll()
        .where('measure_id', '=', id)
        .executeTakeFirstOrThrow()
      assert.equal(Number(row.value), 6.5)
      assert.equal(row.exclusion_reason, 'Ward closed for deep clean')
      const page = await ada.get(`/measures/${id}`)
      assertHas(page.body, /Excluded from calculations: Ward closed for deep clean/)
      const pointPage = await ada.get(`/measures/${id}/data/2024-01-01`)
      assertHasNot(pointPage.body, /<form[^>]*action="[^"]*\/delete"/, 'no delete button next to Save')
      const confirm = await ada.get(`/measures/${id}/data/2024-01-01/delete`)
      assert.equal(h1(confirm.body), 'Delete the data point for 1 Jan 2024?')
      assertHas(confirm.body, /What will be lost/)
      const deleted = await ada.post(`/measures/${id}/data/2024-01-01/delete`, {})
      assert.equal(deleted.statusCode, 303)
      assert.equal(
        (await db().selectFrom('measure_data_points').select('period').where('measure_id', '=', id).execute())
          .length,
        0,
      )
    })

    test('annotations mark the chart; a rebase needs a reason and starts new limits', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'continuous', direction: 'decrease' })
      await insertPoints(
        db(),
        id,
        monthly(24).map((period, i) => ({ period, value: i < 12 ? 10 + (i % 3) : 5 + (i % 3) })),
      )
      await ada.get(`/measures/${id}/annotations/new?rebase=1`)
      const noReason = await ada.post(`/measures/${id}/annotations/new`, {
        date: '2024-01-01',
        text: 'New',
        isRebase: 'on',
      })
      assert.equal(noReason.statusCode, 400)
      assert.match(errorSummary(noReason.body)[0], /Give the reason for the rebase/)
      const rebase = await ada.post(`/measures/${id}/annotations/new`, {
        date: '2024-01-01',
        text: 'New discharge lounge opened for good',
        isRebase: 'on',
      })
      assert.equal(rebase.statusCode, 303)
      const note = await ada.post(`/measures/${id}/annotations/new`, {
        date: '2023-06-01',
        text: 'Staff huddle started',
      })
      assert.equal(note.statusCode, 303)
      const page = await ada.get(`/measures/${id}`)
      assertHas(
        page.body,
        /<strong>1 January 2024<\/strong> \(rebase\): New discharge lounge opened for good/,
      )
      assertHas(page.body, />2 Rebase: New discharge…<\/text>/, 'the rebase is labelled on the time axis')
      assertHas(
        page.body,
        />2\. 1 Jan 2024: Rebase: New discharge lounge opened for good<\/tspan>/,
        'in full in the key',
      )
      assertHas(page.body, /Staff huddle started/)
      // the page's list carries the chart's numbers, in time order
      assertHas(
        page.body,
        /1<span class="nhsuk-u-visually-hidden"> on the chart:<\/span><\/span> <strong>1 June 2023<\/strong>: Staff huddle started[\s\S]*2<span class="nhsuk-u-visually-hidden"> on the chart:<\/span><\/span> <strong>1 January 2024<\/strong> \(rebase\)/,
      )
      assertHas(page.body, /class="spc-rebase"/)
      const activity = await db()
        .selectFrom('project_activity')
        .select('kind')
        .where('project_id', '=', project)
        .execute()
      assert.ok(activity.some((a) => a.kind === 'measure.rebased'))
      const annotation = await db()
        .selectFrom('measure_annotations')
        .select('id')
        .where('measure_id', '=', id)
        .where('text', '=', 'Staff huddle started')
        .executeTakeFirstOrThrow()
      assertHasNot(page.body, /<form[^>]*action="[^"]*annotations\/[^"]*\/delete"/)
      const confirm = await ada.get(`/measures/${id}/annotations/${annotation.id}/delete`)
      assert.match(h1(confirm.body), /^Delete the annotation of /)
      const leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      assert.equal((await leo.get(`/measures/${id}/annotations/${annotation.id}/delete`)).statusCode, 403)
      assert.equal(
        (await ada.post(`/measures/${id}/annotations/${annotation.id}/delete`, {})).statusCode,
        303,
      )
      assertHasNot((await ada.get(`/measures/${id}`)).body, /Staff huddle started/)
    })

    test('PDSA cycles linked to the measure are marked on the time axis and can be linked to annotations', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'continuous', direction: 'decrease' })
      await insertPoints(
        db(),
        id,
        monthly(14).map((period, i) => ({ period, value: 10 + (i % 4) })),
      )
      const now = new Date().toISOString()
      await sql`insert into change_ideas (id, project_id, title, status, position, created_at, updated_at) values (${'ci-' + id}, ${project}, ${'Huddle'}, ${'testing'}, ${1}, ${now}, ${now})`.execute(
        db(),
      )
      await sql`insert into pdsa_cycles (id, project_id, change_idea_id, title, status, objective, prediction, do_start, created_at, updated_at) values (${'pdsa-' + id}, ${project}, ${'ci-' + id}, ${'Morning huddle'}, ${'doing'}, ${'Try it'}, ${'Fewer delays'}, ${'2023-08-01'}, ${now}, ${now})`.execute(
        db(),
      )
      await sql`insert into pdsa_measures (pdsa_id, measure_id) values (${'pdsa-' + id}, ${id})`.execute(db())
      const page = await ada.get(`/measures/${id}`)
      assertHas(page.body, /PDSA: Morning huddle/)
      const form = await ada.get(`/measures/${id}/annotations/new`)
      assertHas(form.body, /<option value="pdsa-[^"]+"[^>]*>PDSA: Morning huddle/)
      const linked = await ada.post(`/measures/${id}/annotations/new`, {
        date: '2023-08-01',
        text: 'Huddle test started',
        pdsaId: `pdsa-${id}`,
      })
      assert.equal(linked.statusCode, 303)
      const foreign = await ada.post(`/measures/${id}/annotations/new`, {
        date: '2023-08-01',
        text: 'Other',
        pdsaId: 'pdsa-unknown',
      })
      assert.deepEqual(errorSummary(foreign.body), ['Select a PDSA cycle linked to this measure'])
    })

    test('the project lead deletes a measure after confirming; team members cannot', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project)
      await insertPoints(
        db(),
        id,
        monthly(3).map((period) => ({ period, value: 2 })),
      )
      assert.equal((await ben.get(`/measures/${id}/delete`)).statusCode, 403)
      await ada.get(`/measures/${id}/delete`)
      const unconfirmed = await ada.post(`/measures/${id}/delete`, {})
      assert.deepEqual(errorSummary(unconfirmed.body), ['Select yes to delete it'])
      const done = await ada.post(`/measures/${id}/delete`, { confirm: 'yes' })
      assert.equal(done.statusCode, 303)
      assert.equal(done.headers.location, `/projects/${project}/measures`)
      assert.equal((await db().selectFrom('measures').select('id').where('id', '=', id).execute()).length, 0)
      assert.equal(
        (await db().selectFrom('measure_data_points').select('period').where('measure_id', '=', id).execute())
          .length,
        0,
      )
    })

    test('the demo projects have measures showing common cause, special cause improvement and concern', async () => {
      const list = await ada.get('/projects/demo-project-discharge/measures')
      assert.equal(list.statusCode, 200)
      assertHas(list.body, /Special cause improvement \(high\)/)
      assertHas(list.body, /Special cause concern \(high\)/)
      const referrals = await ada.get('/projects/demo-project-referrals/measures')
      assertHas(referrals.body, /Special cause improvement \(low\)/)
      const page = await ada.get('/measures/demo-measure-discharge-letters')
      assertHas(page.body, /runs analysis finds no sign of non-random variation/)
    })
  })
}
