import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, h1, startTestApp, type TestApp, type TestBrowser } from '../../testing/app.js'
import { testDialects } from '../../testing/databases.js'
import { ADA, BEN, diagramOf, LEO, location, signedIn, teamProject } from '../fixtures.js'
import { SUSTAINABILITY_FACTORS } from './definitions.js'

const HOSTILE = '<script>alert("x")</script>'

const scoring = (score: string | ((i: number) => string), overrides: Record<string, string> = {}) => ({
  kind: 'scoring',
  dateDay: '1',
  dateMonth: '6',
  dateYear: '2027',
  scoredBy: 'Project team',
  note: '',
  ...Object.fromEntries(
    SUSTAINABILITY_FACTORS.map((f, i) => [`score_${f.key}`, typeof score === 'string' ? score : score(i)]),
  ),
  ...overrides,
})

for (const { dialect, skip } of await testDialects()) {
  describe(`QI tools on ${dialect}`, { skip }, () => {
    let t: TestApp
    before(async () => {
      t = await startTestApp(dialect)
    })
    after(() => t?.close())

    async function newTool(
      browser: TestBrowser,
      projectId: string,
      type: string,
      title = `My ${type}`,
    ): Promise<string> {
      await browser.get(`/projects/${projectId}/tools/new`)
      const res = await browser.post(`/projects/${projectId}/tools`, { type, title })
      assert.equal(res.statusCode, 303, errorSummary(res.body).join('; '))
      return location(res)
    }

    const items = async (toolUrl: string) => {
      const id = toolUrl.split('/').pop()!
      const row = await t.db.database.db
        .selectFrom('project_tools')
        .select('data')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      const data = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as {
        items: Record<string, unknown>[]
        head: Record<string, unknown>
      }
      return data
    }

    test('the tools index lists each tool; adding one is validated', async () => {
      const projectId = await teamProject(t)
      const ben = await signedIn(t, BEN)
      const empty = await ben.get(`/projects/${projectId}/tools`)
      assert.equal(h1(empty.body), 'QI tools')
      assert.match(empty.body, /No tools yet/)
      const bad = await ben.post(`/projects/${projectId}/tools`, { type: 'tarot', title: '' })
      assert.equal(bad.statusCode, 400)
      assert.deepEqual(errorSummary(bad.body), ['Select the kind of tool', 'Enter a title'])
      const long = await ben.post(`/projects/${projectId}/tools`, {
        type: 'fishbone',
        title: 'x'.repeat(121),
      })
      assert.deepEqual(errorSummary(long.body), ['Title must be 120 characters or fewer'])
      for (const type of ['fishbone', 'five_whys', 'process_map', 'stakeholders', 'sustainability']) {
        const url = await newTool(ben, projectId, type)
        const page = await ben.get(url)
        assert.equal(page.statusCode, 200)
        assert.equal(h1(page.body), `My ${type}`)
        diagramOf(page.body)
      }
      const index = await ben.get(`/projects/${projectId}/tools`)
      for (const label of [
        'Fishbone (cause and effect) diagram',
        '5 whys',
        'Process map',
        'Stakeholder analysis',
        'Sustainability Model scoring',
      ])
        assert.ok(index.body.includes(`<td class="nhsuk-table__cell">${label}</td>`), label)
    })

    test('fishbone: causes under categories, escaped in the page and the picture; a category goes with its causes', async () => {
      const projectId = await teamProject(t)
      const ada = await signedIn(t, ADA)
      const url = await newTool(ada, projectId, 'fishbone', 'Why discharges are late')
      const start = await items(url)
      assert.equal(start.items.length, 6, 'starts with the usual categories')
      const people = start.items.find((i) => i.name === 'People')!.id as string
      await ada.get(`${url}/edit`)
      const head = await ada.post(`${url}/edit`, {
        title: 'Why discharges are late',
        problem: `Discharges after 5pm ${HOSTILE}`,
        version: '1',
      })
      assert.equal(head.statusCode, 303)
      await ada.get(`${url}/items/new?kind=cause&category=${people}`)
      const added = await ada.post(`${url}/items`, {
        kind: 'cause',
        categoryId: people,
        text: `Junior doctors busy ${HOSTILE}`,
      })
      assert.equal(added.statusCode, 303)
      const second = await ada.post(`${url}/items`, {
        kind: 'cause',
        categoryId: people,
        text: 'TTOs written late',
      })
      assert.equal(second.statusCode, 303)

      const page = await ada.get(url)
      assert.doesNotMatch(page.body, /<script>alert/)
      assert.match(page.body, /Junior doctors busy &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/)
      const svg = diagramOf(page.body)
      assert.match(svg, /Junior doctors busy/)
      assert.match(svg, /&lt;script&gt;/)
      assert.match(svg, /6 categories and 2 causes/)

      const tooLong = await ada.post(`${url}/items`, {
        kind: 'cause',
        categoryId: people,
        text: 'c'.repeat(201),
      })
      assert.equal(tooLong.statusCode, 400)
      assert.deepEqual(errorSummary(tooLong.body), ['Cause must be 200 characters or fewer'])
      const nowhere = await ada.post(`${url}/items`, { kind: 'cause', categoryId: 'nowhere', text: 'Lost' })
      assert.deepEqual(errorSummary(nowhere.body), ['Select a category from the list'])
      const wrongKind = await ada.post(`${url}/items`, {
        kind: 'stakeholder',
        name: 'Matron',
        group: 'Nursing',
        interest: '3',
        influence: '3',
      })
      assert.equal(wrongKind.statusCode, 404)

      const causeId = (await items(url)).items.find((i) => i.text === 'TTOs written late')!.id as string
      await ada.post(`${url}/items/${causeId}/move`, { direction: 'up' })
      const order = (await items(url)).items.filter((i) => i.kind === 'cause').map((i) => i.text)
      assert.equal(order[0], 'TTOs written late')

      const confirm = await ada.get(`${url}/items/${people}/delete`)
      assert.match(confirm.body, /This category has 2 causes/)
      const removed = await ada.post(`${url}/items/${people}/delete`, { version: '1' })
      assert.equal(removed.statusCode, 303)
      const after = await items(url)
      assert.equal(after.items.filter((i) => i.kind === 'cause').length, 0)
      assert.equal(after.items.length, 5)
    })

    test('5 whys: the problem is needed, answers cannot skip a why, and a stale form is refused', async () => {
      const projectId = await teamProject(t)
      const ada = await signedIn(t, ADA)
      const ben = await signedIn(t, BEN)
      const url = await newTool(ada, projectId, 'five_whys', 'Late TTOs')
      await ada.get(`${url}/edit`)
      const gap = await ada.post(`${url}/edit`, {
        title: 'Late TTOs',
        problem: '',
        why1: 'Pharmacy queue',
        why3: 'One pharmacist',
        version: '1',
      })
      assert.equal(gap.statusCode, 400)
      assert.deepEqual(errorSummary(gap.body), ['Enter the problem', 'Answer why 2 before why 3'])
      const long = await ada.post(`${url}/edit`, {
        title: 'Late TTOs',
        problem: 'p',
        why1: 'w'.repeat(301),
        version: '1',
      })
      assert.deepEqual(errorSummary(long.body), ['Why 1 must be 300 characters or fewer'])
      const ok = await ada.post(`${url}/edit`, {
        title: 'Late TTOs',
        problem: 'TTOs arrive after 3pm',
        why1: 'Written on the day',
        why2: 'No time on the ward round',
        rootCause: 'Discharge not planned from admission',
        version: '1',
      })
      assert.equal(ok.statusCode, 303)
      const page = await ada.get(url)
      const svg = diagramOf(page.body)
      assert.match(svg, /Why 2/)
      assert.match(svg, /Discharge not planned from admission/)
      assert.match(
        page.body,
        /<dt class="nhsuk-summary-list__key">Why 2<\/dt><dd class="nhsuk-summary-list__value">No time on the ward round/,
      )
      const stale = await ben.post(`${url}/edit`, { title: 'Ben’s version', problem: 'x', version: '1' })
      assert.equal(stale.statusCode, 409)
      assert.equal((await items(url)).head.problem, 'TTOs arrive after 3pm')
    })

    test('process map: steps with kind, value or waste and swimlanes', async () => {
      const projectId = await teamProject(t)
      const ada = await signedIn(t, ADA)
      const url = await newTool(ada, projectId, 'process_map', 'Admission to ward')
      const steps = [
        { label: 'Decision to admit', stepKind: 'step', value: 'value', lane: 'ED doctor' },
        { label: 'Bed available?', stepKind: 'decision', value: 'waste', lane: 'Bed manager' },
        { label: 'Porter takes patient', stepKind: 'handoff', value: 'waste', lane: 'Porter' },
      ]
      for (const s of steps)
        assert.equal((await ada.post(`${url}/items`, { kind: 'step', ...s })).statusCode, 303)
      const bad = await ada.post(`${url}/items`, {
        kind: 'step',
        label: '',
        stepKind: 'teleport',
        value: 'maybe',
        lane: 'l'.repeat(61),
      })
      assert.equal(bad.statusCode, 400)
      assert.deepEqual(errorSummary(bad.body), [
        'Enter what happens in this step',
        'Select the kind of step',
        'Select whether the step adds value or is waste',
        'Who does it (swimlane) must be 60 characters or fewer',
      ])
      const page = await ada.get(url)
      assert.match(page.body, /3 steps: 1 value-adding, 2 waste/)
      const svg = diagramOf(page.body)
      assert.match(svg, /in 3 swimlanes: ED doctor, Bed manager, Porter/)
      assert.match(svg, /Hand-off · Waste/)
    })

    test('stakeholders: interest and influence from 1 to 5 place each on the grid', async () => {
      const projectId = await teamProject(t)
      const ada = await signedIn(t, ADA)
      const url = await newTool(ada, projectId, 'stakeholders', 'Who cares about discharge')
      for (const [interest, influence] of [
        ['7', '3'],
        ['0', '3'],
        ['three', '3'],
        ['2.5', '3'],
      ]) {
        const res = await ada.post(`${url}/items`, {
          kind: 'stakeholder',
          name: 'Matron',
          group: 'Nursing',
          interest,
          influence,
        })
        assert.equal(res.statusCode, 400)
        assert.deepEqual(errorSummary(res.body), ['Interest must be a whole number from 1 to 5'])
      }
      const missing = await ada.post(`${url}/items`, {
        kind: 'stakeholder',
        name: '',
        group: '',
        influence: '9',
      })
      assert.deepEqual(errorSummary(missing.body), [
        'Enter the stakeholder',
        'Enter the group they belong to',
        'Select the interest',
        'Influence must be a whole number from 1 to 5',
      ])
      await ada.post(`${url}/items`, {
        kind: 'stakeholder',
        name: 'Ward matron',
        group: 'Nursing',
        interest: '5',
        influence: '4',
      })
      await ada.post(`${url}/items`, {
        kind: 'stakeholder',
        name: `Finance ${HOSTILE}`,
        group: 'Executive',
        interest: '1',
        influence: '5',
      })
      await ada.post(`${url}/items`, {
        kind: 'stakeholder',
        name: 'Patients',
        group: 'Patients and carers',
        interest: '5',
        influence: '1',
      })
      const page = await ada.get(url)
      assert.match(page.body, /Ward matron[\s\S]*?Manage closely/)
      assert.match(page.body, /<strong>Keep satisfied:<\/strong> Finance &lt;script&gt;/)
      assert.match(page.body, /<strong>Keep informed:<\/strong> Patients/)
      const svg = diagramOf(page.body)
      assert.equal((svg.match(/<circle/g) ?? []).length, 3)
      assert.match(svg, /Finance &lt;script&gt;/)

      // Editing with a stale revision is refused; the current one works.
      const matron = (await items(url)).items.find((i) => i.name === 'Ward matron')!.id as string
      const form = await ada.get(`${url}/items/${matron}/edit`)
      assert.match(form.body, /name="rev" value="1"/)
      assert.match(form.body, /value="5" checked/)
      assert.equal(
        (
          await ada.post(`${url}/items/${matron}/edit`, {
            name: 'Ward matron',
            group: 'Nursing',
            interest: '2',
            influence: '2',
            rev: '1',
          })
        ).statusCode,
        303,
      )
      const stale = await ada.post(`${url}/items/${matron}/edit`, {
        name: 'Overwritten',
        group: 'Nursing',
        interest: '5',
        influence: '5',
        rev: '1',
      })
      assert.equal(stale.statusCode, 409)
      assert.equal((await items(url)).items.find((i) => i.id === matron)!.interest, 2)
    })

    test('sustainability: ten factors scored 1–4, validated, with a total and a history', async () => {
      const projectId = await teamProject(t)
      const ben = await signedIn(t, BEN)
      const url = await newTool(ben, projectId, 'sustainability', 'Handover scoring')
      const form = await ben.get(`${url}/items/new?kind=scoring`)
      assert.match(form.body, /simplified scale, not the Sustainability Model’s published weighted scores/)
      for (const f of SUSTAINABILITY_FACTORS)
        assert.ok(form.body.includes(f.label.replace('’', '’')), f.label)
      const outOfRange = await ben.post(
        `${url}/items`,
        scoring((i) => (i === 0 ? '5' : i === 1 ? '0' : '3')),
      )
      assert.equal(outOfRange.statusCode, 400)
      assert.deepEqual(errorSummary(outOfRange.body), [
        'Score for “Benefits beyond helping patients” must be a whole number from 1 to 4',
        'Score for “Credibility of the evidence” must be a whole number from 1 to 4',
      ])
      const missing = await ben.post(`${url}/items`, {
        kind: 'scoring',
        dateDay: '',
        dateMonth: '',
        dateYear: '',
      })
      assert.equal(errorSummary(missing.body).length, 11)
      assert.equal(errorSummary(missing.body)[0], 'Enter the date of the scoring')
      assert.equal((await ben.post(`${url}/items`, scoring('2', { dateMonth: '1' }))).statusCode, 303)
      assert.equal(
        (
          await ben.post(
            `${url}/items`,
            scoring((i) => String((i % 4) + 1), { note: 'Senior leadership is the gap' }),
          )
        ).statusCode,
        303,
      )
      const page = await ben.get(url)
      // Newest (June) first: 1+2+3+4+1+2+3+4+1+2 = 23.
      assert.match(page.body, /<strong>23 of 40<\/strong>[\s\S]*<strong>20 of 40<\/strong>/)
      assert.match(
        page.body,
        /1 June 2027: total 23 of 40, scored by Project team. Senior leadership is the gap/,
      )
      const svg = diagramOf(page.body)
      assert.match(svg, /Total: 23 of 40/)
      assert.match(svg, /Scoring of 1 June 2027/)
    })

    test('only the team changes tools; invisible projects give 404; tools are found only through their project', async () => {
      const open = await teamProject(t, { visibility: 'community' })
      const hidden = await teamProject(t, { visibility: 'team' })
      const ada = await signedIn(t, ADA)
      const openTool = await newTool(ada, open, 'stakeholders')
      const hiddenTool = await newTool(ada, hidden, 'fishbone')
      const leo = await signedIn(t, LEO)
      assert.equal((await leo.get(openTool)).statusCode, 200)
      assert.doesNotMatch((await leo.get(openTool)).body, /Add a stakeholder/)
      assert.equal((await leo.get(`${openTool}/items/new?kind=stakeholder`)).statusCode, 403)
      assert.equal(
        (
          await leo.post(`${openTool}/items`, {
            kind: 'stakeholder',
            name: 'x',
            group: 'y',
            interest: '1',
            influence: '1',
          })
        ).statusCode,
        403,
      )
      assert.equal(
        (await leo.post(`/projects/${open}/tools`, { type: 'fishbone', title: 'Mine' })).statusCode,
        403,
      )
      assert.equal((await leo.post(`${openTool}/delete`, { version: '1' })).statusCode, 403)
      assert.equal((await leo.get(hiddenTool)).statusCode, 404)
      assert.equal((await leo.get(`/projects/${hidden}/tools`)).statusCode, 404)
      const hiddenId = hiddenTool.split('/').pop()
      assert.equal((await ada.get(`/projects/${open}/tools/${hiddenId}`)).statusCode, 404)
      assert.equal((await items(openTool)).items.length, 0)
      const deleted = await ada.post(`${openTool}/delete`, { version: '1' })
      assert.equal(deleted.statusCode, 303)
      const audit = await t.services.audit.search({ action: 'tool.deleted' })
      assert.ok(audit.items.length >= 1)
    })
  })
}
