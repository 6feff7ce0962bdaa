import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, h1, startTestApp, type TestApp } from '../../testing/app.js'
import { testDialects } from '../../testing/databases.js'
import { loadImprovementDemo } from '../demo.js'
import { ADA, BEN, diagramOf, LEO, location, signedIn, teamProject } from '../fixtures.js'

const HOSTILE = '<img src=x onerror=alert(1)>'

for (const { dialect, skip } of await testDialects()) {
  describe(`driver diagrams on ${dialect}`, { skip }, () => {
    let t: TestApp
    before(async () => {
      t = await startTestApp(dialect)
    })
    after(() => t?.close())

    const drivers = (projectId: string) =>
      t.db.database.db
        .selectFrom('drivers')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('kind')
        .orderBy('position')
        .execute()
    const ideaRow = (id: string) =>
      t.db.database.db.selectFrom('change_ideas').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

    async function addDriver(
      browser: Awaited<ReturnType<typeof signedIn>>,
      projectId: string,
      kind: string,
      title: string,
      parentIds: string[] = [],
    ) {
      const res = await browser.post(`/projects/${projectId}/drivers`, { kind, title, parentIds })
      assert.equal(res.statusCode, 303, res.body.slice(0, 300))
      const rows = await drivers(projectId)
      return rows.find((r) => r.title === title)!.id
    }

    test('a team member builds aim → primary → secondary → change ideas and sees the diagram and its list', async () => {
      const projectId = await teamProject(t, {
        aim: 'Increase discharges before noon on Ward 3 from 15% to 40% by March 2027',
      })
      const ben = await signedIn(t, BEN)
      const page = await ben.get(`/projects/${projectId}/drivers`)
      assert.equal(page.statusCode, 200)
      assert.equal(h1(page.body), 'Driver diagram')
      const flow = await addDriver(ben, projectId, 'primary', 'Timely senior review')
      const beds = await addDriver(ben, projectId, 'primary', 'Bed management')
      const board = await addDriver(ben, projectId, 'secondary', 'Board round by 10am', [flow, beds])
      const added = await ben.post(`/projects/${projectId}/change-ideas`, {
        title: 'Discharge checklist from admission',
        status: 'idea',
        driverIds: [board],
      })
      assert.equal(added.statusCode, 303)
      const ideaId = location(added).split('/').pop()!
      const direct = await ben.post(`/projects/${projectId}/change-ideas`, {
        title: 'Discharge lounge',
        status: 'testing',
        driverIds: beds,
      })
      assert.equal(direct.statusCode, 303)

      const res = await ben.get(`/projects/${projectId}/drivers`)
      assert.match(res.body, /The primary driver|has been added/)
      const svg = diagramOf(res.body)
      for (const text of [
        'Increase discharges',
        'Timely senior review',
        'Bed management',
        'Board round by 10am',
        'Discharge lounge',
        'Status: Testing',
      ])
        assert.ok(svg.includes(text), text)
      assert.equal(
        (svg.match(/<path /g) ?? []).length,
        6,
        'aim→2 primaries, secondary→2 parents, 2 change idea links',
      )
      const list = res.body.slice(res.body.indexOf('id="diagram-list"'))
      assert.match(
        list,
        /Primary driver: <strong>Timely senior review<\/strong>[\s\S]*Secondary driver: Board round by 10am[\s\S]*Discharge checklist from admission/,
      )
      assert.match(list, /Change idea \(linked to the primary driver\): <a [^>]+>Discharge lounge/)
      assert.match(res.body, /Version 1 of the project’s aim/)

      const ideaPage = await ben.get(`/projects/${projectId}/change-ideas/${ideaId}`)
      assert.equal(h1(ideaPage.body), 'Change idea: Discharge checklist from admission')
      assert.match(ideaPage.body, /Board round by 10am \(secondary\)/)

      const activity = await t.db.database.db
        .selectFrom('project_activity')
        .select(['kind', 'summary'])
        .where('project_id', '=', projectId)
        .execute()
      assert.ok(activity.some((a) => a.kind === 'driver.added' && a.summary.includes('Timely senior review')))
      assert.ok(activity.some((a) => a.kind === 'change_idea.added'))
      const audit = await t.services.audit.search({ action: 'driver.added' })
      // The audit says a title was set and how long it is, never the title itself.
      assert.ok(
        audit.items.some(
          (i) => (i.after as { title: { length: number } }).title.length === 'Board round by 10am'.length,
        ),
      )
      assert.ok(!JSON.stringify(audit.items).includes('Board round by 10am'))
    })

    test('bad driver and change idea input is explained and nothing is saved', async () => {
      const projectId = await teamProject(t)
      const ada = await signedIn(t, ADA)
      await ada.get(`/projects/${projectId}/drivers/new?kind=primary`)
      const empty = await ada.post(`/projects/${projectId}/drivers`, { kind: 'primary', title: '  ' })
      assert.equal(empty.statusCode, 400)
      assert.deepEqual(errorSummary(empty.body), ['Enter the driver'])
      const long = await ada.post(`/projects/${projectId}/drivers`, {
        kind: 'primary',
        title: 'x'.repeat(201),
      })
      assert.equal(long.statusCode, 400)
      assert.deepEqual(errorSummary(long.body), ['Driver must be 200 characters or fewer'])
      assert.match(long.body, /x{201}/, 'what was typed is kept')
      const orphan = await ada.post(`/projects/${projectId}/drivers`, {
        kind: 'secondary',
        title: 'No parent',
      })
      assert.equal(orphan.statusCode, 400)
      assert.deepEqual(errorSummary(orphan.body), [
        'Select at least one primary driver this secondary driver contributes to',
      ])
      const other = await teamProject(t)
      const foreign = await addDriver(ada, other, 'primary', 'Another project’s driver')
      const wrongParent = await ada.post(`/projects/${projectId}/drivers`, {
        kind: 'secondary',
        title: 'Sneaky',
        parentIds: foreign,
      })
      assert.equal(wrongParent.statusCode, 400)
      assert.deepEqual(errorSummary(wrongParent.body), ['Select primary drivers from the list'])
      const badStatus = await ada.post(`/projects/${projectId}/change-ideas`, {
        title: 'Idea',
        status: 'wonderful',
      })
      assert.equal(badStatus.statusCode, 400)
      assert.deepEqual(errorSummary(badStatus.body), ['Select the status of the change idea'])
      const badLink = await ada.post(`/projects/${projectId}/change-ideas`, {
        title: 'Idea',
        status: 'idea',
        driverIds: foreign,
      })
      assert.deepEqual(errorSummary(badLink.body), ['Select drivers from the list'])
      assert.equal((await drivers(projectId)).length, 0)
    })

    test('HTML in titles is shown as text in the page, the list and the SVG', async () => {
      const projectId = await teamProject(t, { aim: `Aim ${HOSTILE}` })
      const ada = await signedIn(t, ADA)
      const p = await addDriver(ada, projectId, 'primary', `Primary ${HOSTILE}`)
      await ada.post(`/projects/${projectId}/change-ideas`, {
        title: `Idea ${HOSTILE} & more`,
        status: 'idea',
        driverIds: p,
      })
      const res = await ada.get(`/projects/${projectId}/drivers`)
      assert.doesNotMatch(res.body, /<img src=x/)
      assert.match(res.body, /Primary &lt;img src=x onerror=alert\(1\)&gt;/)
      const svg = diagramOf(res.body)
      assert.match(svg, /Aim &lt;img src=x/)
      // Wrapped onto two lines of the box.
      assert.match(
        svg,
        /<tspan[^>]*>Idea &lt;img src=x<\/tspan><tspan[^>]*>onerror=alert\(1\)&gt; &amp; more<\/tspan>/,
      )
    })

    test('rename, relink, reorder and delete with confirmation', async () => {
      const projectId = await teamProject(t)
      const ada = await signedIn(t, ADA)
      const a = await addDriver(ada, projectId, 'primary', 'A')
      const b = await addDriver(ada, projectId, 'primary', 'B')
      const s = await addDriver(ada, projectId, 'secondary', 'S', [a])

      const form = await ada.get(`/projects/${projectId}/drivers/${s}/edit`)
      assert.equal(h1(form.body), 'Change the secondary driver')
      assert.match(form.body, /name="version" value="1"/)
      const saved = await ada.post(`/projects/${projectId}/drivers/${s}/edit`, {
        title: 'S renamed',
        parentIds: [b],
        version: '1',
      })
      assert.equal(saved.statusCode, 303)
      const links = await t.db.database.db
        .selectFrom('driver_parents')
        .selectAll()
        .where('secondary_id', '=', s)
        .execute()
      assert.deepEqual(
        links.map((l) => l.primary_id),
        [b],
        'unlinked from A, linked to B',
      )

      await ada.get(`/projects/${projectId}/drivers`)
      const moved = await ada.post(`/projects/${projectId}/drivers/${a}/move`, { direction: 'down' })
      assert.equal(moved.statusCode, 303)
      assert.deepEqual(
        (await drivers(projectId)).filter((d) => d.kind === 'primary').map((d) => d.title),
        ['B', 'A'],
      )

      // B is the only parent of S: refused, with the reason, until S is relinked.
      const confirm = await ada.get(`/projects/${projectId}/drivers/${b}/delete`)
      assert.match(confirm.body, /cannot be deleted yet/)
      const refused = await ada.post(`/projects/${projectId}/drivers/${b}/delete`, { version: '1' })
      assert.equal(refused.statusCode, 400)
      assert.match(errorSummary(refused.body)[0], /only parent of “S renamed”/)
      await ada.post(`/projects/${projectId}/drivers/${s}/edit`, {
        title: 'S renamed',
        parentIds: [a, b],
        version: '2',
      })
      const deleted = await ada.post(`/projects/${projectId}/drivers/${b}/delete`, { version: '1' })
      assert.equal(deleted.statusCode, 303)
      assert.deepEqual((await drivers(projectId)).map((d) => d.title).sort(), ['A', 'S renamed'])
    })

    test('a stale form is refused rather than overwriting the newer change', async () => {
      const projectId = await teamProject(t)
      const ada = await signedIn(t, ADA)
      const ben = await signedIn(t, BEN)
      const added = await ada.post(`/projects/${projectId}/change-ideas`, {
        title: 'Checklist',
        status: 'idea',
      })
      const ideaId = location(added).split('/').pop()!
      await ada.get(`/projects/${projectId}/change-ideas/${ideaId}/edit`)
      await ben.get(`/projects/${projectId}/change-ideas/${ideaId}/edit`)
      const first = await ben.post(`/projects/${projectId}/change-ideas/${ideaId}/edit`, {
        title: 'Checklist (Ben)',
        status: 'testing',
        version: '1',
      })
      assert.equal(first.statusCode, 303)
      const second = await ada.post(`/projects/${projectId}/change-ideas/${ideaId}/edit`, {
        title: 'Checklist (Ada)',
        status: 'idea',
        version: '1',
      })
      assert.equal(second.statusCode, 409)
      assert.match(second.body, /Someone else changed this after you opened it/)
      assert.equal((await ideaRow(ideaId)).title, 'Checklist (Ben)')
      const p = await addDriver(ada, projectId, 'primary', 'P')
      const staleDelete = await ada.post(`/projects/${projectId}/drivers/${p}/delete`, { version: '7' })
      assert.equal(staleDelete.statusCode, 409)
    })

    test('the demo project has a driver diagram, a ramp of two cycles and QI tools; loading again adds nothing', async () => {
      const ben = await signedIn(t, BEN)
      const page = await ben.get('/projects/demo-project-discharge/drivers')
      assert.equal(page.statusCode, 200)
      assert.match(diagramOf(page.body), /Morning board round<\/tspan><tspan[^>]*>before 10am/)
      const ramp = await ben.get('/projects/demo-project-discharge/change-ideas/demo-idea-board-round/ramp')
      assert.match(ramp.body, /Cycle 2: <a [^>]+>Board round on weekdays for two weeks \(cycle 2\)/)
      const tools = await ben.get('/projects/demo-project-discharge/tools')
      assert.match(tools.body, /Why discharges happen late in the day/)
      for (const id of ['demo-tool-fishbone', 'demo-tool-stakeholders', 'demo-tool-sustainability'])
        diagramOf((await ben.get(`/projects/demo-project-discharge/tools/${id}`)).body)
      const again = await t.db.database.db
        .transaction()
        .execute((trx) => loadImprovementDemo(trx, new Date().toISOString()))
      assert.equal(again, 0)
    })

    test('people outside the team cannot change the diagram; invisible projects are not found', async () => {
      const hidden = await teamProject(t, { visibility: 'team' })
      const open = await teamProject(t, { visibility: 'community' })
      const ada = await signedIn(t, ADA)
      const p = await addDriver(ada, open, 'primary', 'Visible driver')
      const hiddenDriver = await addDriver(ada, hidden, 'primary', 'Hidden driver')
      const leo = await signedIn(t, LEO)

      assert.equal((await leo.get(`/projects/${hidden}/drivers`)).statusCode, 404)
      assert.equal(
        (await leo.post(`/projects/${hidden}/drivers`, { kind: 'primary', title: 'Nope' })).statusCode,
        404,
      )
      assert.equal((await leo.get(`/projects/${hidden}/drivers/${hiddenDriver}/edit`)).statusCode, 404)

      const view = await leo.get(`/projects/${open}/drivers`)
      assert.equal(view.statusCode, 200)
      assert.match(view.body, /Visible driver/)
      assert.doesNotMatch(view.body, /Add a primary driver/)
      assert.equal((await leo.get(`/projects/${open}/drivers/new`)).statusCode, 403)
      assert.equal(
        (await leo.post(`/projects/${open}/drivers`, { kind: 'primary', title: 'Nope' })).statusCode,
        403,
      )
      assert.equal(
        (await leo.post(`/projects/${open}/drivers/${p}/edit`, { title: 'Nope', version: '1' })).statusCode,
        403,
      )
      assert.equal(
        (await leo.post(`/projects/${open}/drivers/${p}/delete`, { version: '1' })).statusCode,
        403,
      )
      assert.equal(
        (await leo.post(`/projects/${open}/change-ideas`, { title: 'Nope', status: 'idea' })).statusCode,
        403,
      )

      // A driver of another project is not found through this one.
      assert.equal((await ada.get(`/projects/${open}/drivers/${hiddenDriver}/edit`)).statusCode, 404)
      assert.equal(
        (await ada.post(`/projects/${open}/drivers/${hiddenDriver}/delete`, { version: '1' })).statusCode,
        404,
      )

      const anonymous = await t.app.inject({ method: 'GET', url: `/projects/${hidden}/drivers` })
      assert.equal(anonymous.statusCode, 303)
      assert.match(String(anonymous.headers.location), /^\/sign-in/)

      const archived = await teamProject(t, { status: 'archived' })
      assert.equal((await ada.get(`/projects/${archived}/drivers`)).statusCode, 200)
      assert.equal(
        (await ada.post(`/projects/${archived}/drivers`, { kind: 'primary', title: 'Too late' })).statusCode,
        403,
      )
      assert.equal((await drivers(archived)).length, 0)
    })
  })
}
