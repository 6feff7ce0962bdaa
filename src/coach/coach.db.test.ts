import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { measureFields } from '../measures/test-helpers.js'

const PROJECT = 'demo-project-discharge'
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
const adviceRules = (html: string) => {
  const block = /<div class="app-coach-advice"[\s\S]*?<\/div>/.exec(html)?.[0] ?? ''
  return [...block.matchAll(/data-rule="([^"]+)"/g)].map((m) => m[1])
}

for (const { dialect, skip } of await testDialects()) {
  describe(`the built-in QI coach on ${dialect}`, { skip }, () => {
    let t: TestApp
    const as = async (email: string) => {
      const b = new TestBrowser(t.app)
      await b.signIn(email)
      return b
    }
    before(async () => {
      t = await startTestApp(dialect)
    })
    after(() => t?.close())

    test('advice never blocks a save: an aim without a baseline or a figure saves, and the advice appears', async () => {
      const ada = await as('ada.aimwell@example.invalid')
      const page = await ada.get(`/projects/${PROJECT}/aim`)
      const version = /name="aimVersion" value="(\d+)"/.exec(page.body)?.[1]
      assert.ok(version, 'the aim form carries its version')
      const res = await ada.post(`/projects/${PROJECT}/aim`, {
        what: 'Increase',
        measure: 'the percentage of patients discharged before noon',
        baseline: '',
        target: 'a lot more',
        forWhom: 'patients on Ward 3',
        byWhen: 'December 2027',
        aimVersion: version,
        intent: 'save',
      })
      assert.equal(res.statusCode, 303, 'the aim is saved')
      const overview = await ada.get(`/projects/${PROJECT}`)
      assert.equal(overview.statusCode, 200)
      assert.match(overview.body, /Coach’s advice/)
      const rules = adviceRules(overview.body)
      assert.ok(rules.includes('aim.baseline'), `baseline advice in ${rules.join(', ')}`)
      assert.ok(rules.includes('aim.how-much'), `how-much advice in ${rules.join(', ')}`)
      assert.ok(!rules.includes('aim.by-when'), 'the aim has a date')
      assert.match(text(overview.body), /Your aim has no baseline/)
      assert.match(overview.body, /href="\/resources\/define-and-scope"/, 'links to the guide')
      assert.match(overview.body, new RegExp(`href="/projects/${PROJECT}/aim">Fix this`))
    })

    test('advice never blocks a save: a measure with half a definition and a percentage on a c chart saves, and its advice appears', async () => {
      const ada = await as('ada.aimwell@example.invalid')
      const res = await ada.submit(`/projects/${PROJECT}/measures/new`, `/projects/${PROJECT}/measures/new`, {
        ...measureFields({ name: 'DEMO: falls in the day room', unit: '%', chartType: 'c' }),
      })
      assert.equal(res.statusCode, 303, `the measure is saved: ${res.body.slice(0, 300)}`)
      const id = String(res.headers.location).split('/').pop()!
      const page = await ada.get(`/measures/${id}`)
      assert.equal(page.statusCode, 200)
      const rules = adviceRules(page.body)
      assert.deepEqual(rules, ['definition.incomplete', 'chart.unit'])
      assert.match(
        text(page.body),
        /has no inclusions, exclusions, a data source, a frequency and who collects it yet/,
      )
      assert.match(page.body, new RegExp(`href="/measures/${id}/edit">Fix this`))
    })

    test('the overview shows advice to the team and its coach, not to other members', async () => {
      const cara = await as('cara.cycle@example.invalid')
      const coachView = await cara.get(`/projects/${PROJECT}`)
      assert.equal(coachView.statusCode, 200)
      assert.ok(adviceRules(coachView.body).length > 0, 'the team’s coach sees the advice')
      const leo = await as('leo.learner@example.invalid')
      const other = await leo.get(`/projects/${PROJECT}`)
      assert.equal(other.statusCode, 200, 'a member of the community may see the project')
      assert.doesNotMatch(other.body, /app-coach-advice|Coach’s advice/)
      const anonymous = await new TestBrowser(t.app).get(`/projects/${PROJECT}`)
      assert.doesNotMatch(anonymous.body, /app-coach-advice/)
    })

    test('the measure page: its own advice for the team, and why points are flagged', async () => {
      const measures = await t.db.database.db
        .selectFrom('measures')
        .select(['id', 'name'])
        .where('project_id', '=', PROJECT)
        .execute()
      assert.ok(measures.length > 0, 'the demo project has measures')
      const ada = await as('ada.aimwell@example.invalid')
      const leo = await as('leo.learner@example.invalid')
      let sawFlagged = false
      let sawAdvice = false
      for (const measure of measures) {
        const mine = await ada.get(`/measures/${measure.id}`)
        assert.equal(mine.statusCode, 200)
        if (adviceRules(mine.body).length) sawAdvice = true
        if (/Why are points flagged\?/.test(mine.body)) {
          sawFlagged = true
          assert.match(text(mine.body), /Flagged (because|by the)/)
        }
        const theirs = await leo.get(`/measures/${measure.id}`)
        assert.equal(theirs.statusCode, 200)
        assert.doesNotMatch(theirs.body, /app-coach-advice/, 'no advice outside the team')
      }
      assert.ok(sawFlagged, 'some demo chart has a flagged point')
      assert.ok(sawAdvice || measures.length === 0, 'some demo measure has advice for its team')
    })

    test('the PDSA cycle page shows its advice to the team: a prediction that cannot be checked', async () => {
      const cycle = await t.db.database.db
        .selectFrom('pdsa_cycles')
        .select(['id'])
        .where('project_id', '=', PROJECT)
        .orderBy('id')
        .executeTakeFirstOrThrow()
      const url = `/projects/${PROJECT}/pdsa/${cycle.id}`
      const ada = await as('ada.aimwell@example.invalid')
      assert.doesNotMatch(
        (await ada.get(url)).body,
        /data-rule="pdsa\.prediction"/,
        'the demo prediction can be checked',
      )
      await t.db.database.db
        .updateTable('pdsa_cycles')
        .set({ prediction: 'DEMO: it will go well' })
        .where('id', '=', cycle.id)
        .execute()
      const page = await ada.get(url)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /data-rule="pdsa\.prediction"/)
      assert.match(page.body, /href="\/resources\/pdsa-cycles"/)
      const leo = await as('leo.learner@example.invalid')
      const theirs = await leo.get(url)
      assert.equal(theirs.statusCode, 200)
      assert.doesNotMatch(theirs.body, /app-coach-advice/)
    })

    test('advice links only to guides the resources library has', async () => {
      const { loadCurrentUser } = await import('../people/accounts.js')
      const { CoachService } = await import('./service.js')
      const row = await t.db.database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'ada.aimwell@example.invalid')
        .executeTakeFirstOrThrow()
      const ada = await loadCurrentUser(t.db.database.db, row.id, 'test')
      assert.ok(ada)
      const linked = await t.services.coach.forProject(ada, PROJECT)
      assert.ok(linked.length > 0)
      assert.ok(
        linked.every((a) => !a.guideSlug || a.guideHref === `/resources/${a.guideSlug}`),
        'the demo library has every guide the rules name',
      )
      const onlyPdsa = new CoachService({
        projects: t.services.projects.projects,
        measures: t.services.measures,
        pdsa: t.services.improvement.pdsa,
        guides: { list: () => Promise.resolve([{ slug: 'pdsa-cycles' }]) },
      })
      const advice = await onlyPdsa.forProject(ada, PROJECT)
      assert.deepEqual(
        advice.map((a) => a.rule),
        linked.map((a) => a.rule),
        'the same advice',
      )
      for (const a of advice)
        assert.equal(a.guideHref, a.guideSlug === 'pdsa-cycles' ? '/resources/pdsa-cycles' : undefined)
    })

    test('a coach sees the advice of their caseload in one list; others are refused', async () => {
      const cara = await as('cara.cycle@example.invalid')
      const res = await cara.get('/coach/advice')
      assert.equal(res.statusCode, 200)
      assert.match(res.body, /<h1[^>]*>Coach’s advice for your caseload<\/h1>/)
      assert.match(res.body, new RegExp(`<a href="/projects/${PROJECT}">`))
      const section = new RegExp(`data-project="${PROJECT}"[\\s\\S]*?</ul>`).exec(res.body)?.[0] ?? ''
      assert.match(section, /data-rule="aim\.baseline"/, 'grouped by project, with the aim advice')
      assert.match(section, new RegExp(`href="/projects/${PROJECT}/aim">Where to fix it`))
      const leo = await as('leo.learner@example.invalid')
      assert.equal((await leo.get('/coach/advice')).statusCode, 403)
      const ada = await as('ada.aimwell@example.invalid')
      assert.equal((await ada.get('/coach/advice')).statusCode, 403)
      const anonymous = await new TestBrowser(t.app).get('/coach/advice')
      assert.equal(anonymous.statusCode, 303, 'a visitor is sent to sign in')
      assert.match(String(anonymous.headers.location), /^\/sign-in/)
    })
  })
}
