import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../../testing/app.js'
import { testDialects } from '../../testing/databases.js'
import { demoUser } from '../../events/test-helpers.js'

const NOW = new Date('2026-12-01T10:00:00Z')

const request = (overrides: Record<string, string | string[]>) => ({
  title: 'A request',
  programmeId: '',
  need: 'Help',
  scale: 'team',
  stakeholders: '',
  startDay: '1',
  startMonth: '9',
  startYear: '2027',
  endDay: '1',
  endMonth: '10',
  endYear: '2027',
  helpWanted: ['coaching'],
  ...overrides,
})

/** Row order of the triage table: the titles of the requests, top to bottom. */
function queueTitles(html: string): string[] {
  return [...html.matchAll(/<a href="\/support\/requests\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1])
}

for (const { dialect, skip } of await testDialects()) {
  describe(`priorities, triage, capacity and pipeline on ${dialect}`, { skip }, () => {
    let t: TestApp
    let cara: TestBrowser
    before(async () => {
      t = await startTestApp(dialect, { clock: () => NOW })
      cara = new TestBrowser(t.app)
      await cara.signIn('cara.cycle@example.invalid')
    })
    after(() => t?.close())

    test('the Steering Group keeps the system priorities; duplicates are refused and others cannot change them', async () => {
      const added = await cara.submit('/priorities/new', '/priorities/new', {
        name: 'Place-based population health',
        owner: 'ICB',
        description: 'F1',
      })
      assert.equal(added.statusCode, 303)
      const again = await cara.submit('/priorities/new', '/priorities/new', {
        name: 'place-based population health',
        owner: 'ICB',
      })
      assert.deepEqual(errorSummary(again.body), ['There is already a priority with this name'])
      const missing = await cara.post('/priorities/new', { name: '', owner: '' })
      assert.deepEqual(errorSummary(missing.body), [
        'Enter the name of the priority',
        'Enter who owns the priority',
      ])
      const list = await new TestBrowser(t.app).get('/priorities')
      assert.match(list.body, /Place-based population health/)
      assert.doesNotMatch(list.body, /Add a priority/)
      const { id } = await t.db.database.db
        .selectFrom('system_priorities')
        .select('id')
        .where('name', '=', 'Place-based population health')
        .executeTakeFirstOrThrow()
      const changed = await cara.submit(`/priorities/${id}/edit`, `/priorities/${id}/edit`, {
        name: 'Place-based population health',
        owner: 'One Gloucestershire ICB',
        version: '1',
      })
      assert.equal(changed.statusCode, 303)
      const stale = await cara.post(`/priorities/${id}/edit`, { name: 'Renamed', owner: 'ICB', version: '1' })
      assert.equal(stale.statusCode, 409)
      const ben = new TestBrowser(t.app)
      await ben.signIn('ben.baseline@example.invalid')
      assert.equal((await ben.get('/priorities/new')).statusCode, 403)
      assert.equal((await ben.post(`/priorities/${id}/delete`, {})).statusCode, 403)
      const temp = await cara.submit('/priorities/new', '/priorities/new', {
        name: 'Temporary',
        owner: 'Steering Group',
      })
      assert.equal(temp.statusCode, 303)
      const tempId = (
        await t.db.database.db
          .selectFrom('system_priorities')
          .select('id')
          .where('name', '=', 'Temporary')
          .executeTakeFirstOrThrow()
      ).id
      assert.equal(
        (await cara.submit(`/priorities/${tempId}/delete`, `/priorities/${tempId}/delete`, {})).statusCode,
        303,
      )
      const audit = await t.services.audit.search({ entityType: 'system_priority' })
      assert.deepEqual(audit.items.map((a) => a.action).sort(), [
        'priority.create',
        'priority.create',
        'priority.delete',
        'priority.update',
      ])
    })

    test('the triage queue puts the highest priority first and the Steering Group can override it with a reason', async () => {
      await cara.submit('/priorities/new', '/priorities/new', {
        name: 'Urgent and emergency care flow',
        owner: 'ICB',
      })
      const priorities = await t.db.database.db.selectFrom('system_priorities').select('id').execute()
      const ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      await ada.submit(
        '/support/requests/new',
        '/support/requests',
        request({ title: 'Low: one team, far off' }),
      )
      await ada.submit(
        '/support/requests/new',
        '/support/requests',
        request({
          title: 'High: whole system, soon, two priorities',
          scale: 'system',
          startDay: '10',
          startMonth: '12',
          startYear: '2026',
          endDay: '1',
          endMonth: '2',
          endYear: '2027',
          priorityIds: priorities.map((p) => p.id),
        }),
      )
      const queue = await cara.get('/support/triage')
      assert.equal(h1(queue.body), 'Triage support requests')
      const titles = queueTitles(queue.body)
      assert.ok(
        titles.indexOf('High: whole system, soon, two priorities') < titles.indexOf('Low: one team, far off'),
        titles.join(' | '),
      )
      assert.match(queue.body, /December 2026/)
      assert.match(queue.body, /32 of 40/, 'Cara has 32 of her 40 December hours left after the demo’s 8')
      const high = await t.db.database.db
        .selectFrom('support_requests')
        .select('id')
        .where('title', '=', 'High: whole system, soon, two priorities')
        .executeTakeFirstOrThrow()
      const noReason = await cara.submit(
        `/support/requests/${high.id}/priority`,
        `/support/requests/${high.id}/priority`,
        { score: '5', reason: '' },
      )
      assert.deepEqual(errorSummary(noReason.body), ['Enter why you are changing the priority'])
      const outOfRange = await cara.post(`/support/requests/${high.id}/priority`, {
        score: '101',
        reason: 'x',
      })
      assert.deepEqual(errorSummary(outOfRange.body), ['Priority must be a whole number from 0 to 100'])
      assert.equal(
        (
          await cara.post(`/support/requests/${high.id}/priority`, {
            score: '5',
            reason: 'The programme asked us to wait',
          })
        ).statusCode,
        303,
      )
      const reordered = queueTitles((await cara.get('/support/triage')).body)
      assert.ok(
        reordered.indexOf('Low: one team, far off') <
          reordered.indexOf('High: whole system, soon, two priorities'),
        reordered.join(' | '),
      )
      const urgent = priorities.find((p) => p.id !== priorities[0].id)!
      assert.equal(
        (await cara.submit(`/priorities/${urgent.id}/delete`, `/priorities/${urgent.id}/delete`, {}))
          .statusCode,
        303,
      )
      const tagged = await t.db.database.db
        .selectFrom('support_requests')
        .select('priority_count')
        .where('id', '=', high.id)
        .executeTakeFirstOrThrow()
      assert.equal(
        Number(tagged.priority_count),
        1,
        'deleting a priority keeps the request’s count of priorities in step',
      )
      const history = await cara.get(`/support/requests/${high.id}`)
      assert.match(history.body, /Priority set to 5: The programme asked us to wait/)
      assert.equal(
        (await ada.post(`/support/requests/${high.id}/priority`, { score: '100', reason: 'Mine' }))
          .statusCode,
        403,
      )
    })

    test('QI specialists set their own hours; the Steering Group anyone’s; never negative or below what is committed', async () => {
      const caraId = (await demoUser(t.db.database.db, 'cara.cycle')).id
      const page = await cara.get('/support/capacity')
      assert.equal(h1(page.body), 'QI specialists’ capacity')
      assert.equal(
        (await cara.post('/support/capacity', { coachId: caraId, month: '2027-06', hours: '30' })).statusCode,
        303,
      )
      const row = await t.db.database.db
        .selectFrom('coach_capacity')
        .selectAll()
        .where('coach_id', '=', caraId)
        .where('month', '=', '2027-06')
        .executeTakeFirstOrThrow()
      assert.equal(Number(row.available_hours), 30)
      assert.deepEqual(
        errorSummary(
          (await cara.post('/support/capacity', { coachId: caraId, month: '2027-06', hours: '-5' })).body,
        ),
        ['Available hours cannot be negative'],
      )
      assert.deepEqual(
        errorSummary(
          (await cara.post('/support/capacity', { coachId: caraId, month: '2027-06', hours: '7.25' })).body,
        ),
        ['Available hours must be in whole or half hours, like 7 or 7.5'],
      )
      const below = await cara.post('/support/capacity', { coachId: caraId, month: '2026-12', hours: '5' })
      assert.equal(below.statusCode, 400)
      assert.match(errorSummary(below.body)[0], /8 hours are already committed in December 2026/)
      const past = await cara.post('/support/capacity', { coachId: caraId, month: '2026-11', hours: '5' })
      assert.deepEqual(errorSummary(past.body), ['Month must be this month or later'])
      const leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      assert.equal((await leo.get('/support/capacity')).statusCode, 403)
      assert.equal(
        (
          await leo.submit('/events', '/support/capacity', {
            coachId: caraId,
            month: '2027-06',
            hours: '100',
          })
        ).statusCode,
        403,
      )
      const audit = await t.services.audit.search({ action: 'capacity.set' })
      assert.equal(audit.total, 1)
    })

    test('the pipeline shows requests by status and age, hours committed against available, by programme and organisation', async () => {
      const page = await cara.get('/support/pipeline')
      assert.equal(page.statusCode, 200)
      assert.equal(h1(page.body), 'Support pipeline')
      const pipeline = await t.services.facilitation.pipeline.pipeline(
        await demoUser(t.db.database.db, 'cara.cycle'),
      )
      const byStatus = Object.fromEntries(pipeline.statuses.map((s) => [s.status, s.total]))
      assert.equal(byStatus.submitted, 3, 'the demo request and two from this test file')
      assert.equal(byStatus.triage, 1)
      assert.equal(byStatus.accepted, 1)
      const submitted = pipeline.statuses.find((s) => s.status === 'submitted')!
      assert.deepEqual(submitted.buckets, [3, 0, 0, 0])
      const december = pipeline.months.find((m) => m.month === '2026-12')!
      assert.deepEqual([december.available, december.committed, december.left], [40, 8, 32])
      const ghft = pipeline.byOrganisation.find((g) => g.id === 'org-ghft')!
      assert.equal(ghft.total, 3)
      const primary = pipeline.byOrganisation.find((g) => g.id === 'org-primary-care')!
      assert.deepEqual([primary.active, primary.committed], [1, 8])
      const none = pipeline.byProgramme.find((g) => g.id === null)!
      assert.equal(none.total, pipeline.totals.requests)
    })
  })
}
