import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { organisationRow, roleGrantRow, userRow } from '../../db/rows.js'
import { errorSummary, startTestApp, TestBrowser, type TestApp } from '../../testing/app.js'
import { testDialects } from '../../testing/databases.js'
import { SESSION_COOKIE } from '../../web/plugin.js'
import { sessionFor } from '../../projects/rights-fixtures.js'
import { IMPACT_AREAS } from './framework.js'

const CARA = 'cara.cycle@example.invalid' // Steering Group
const ESME = 'esme.exec@example.invalid' // Board
const LEO = 'leo.learner@example.invalid' // a member
const ORG_A = 'org-impact-a'
const ORG_B = 'org-impact-b'
const PAGE = '/steering-group/impact'

const idFrom = (location: unknown) => /\/steering-group\/impact\/([^/?#]+)$/.exec(String(location))?.[1] ?? ''

/** The trend table's rows: period, then the mean per component. */
function trendRows(html: string): string[][] {
  const table = /data-table="trend"[\s\S]*?<\/table>/.exec(html)?.[0] ?? ''
  return [...table.matchAll(/<tr class="nhsuk-table__row" data-period[\s\S]*?<\/tr>/g)].map((row) =>
    [...row[0].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim()),
  )
}

/** Every area at `level`, but the first area of each component one higher (so means are not whole). */
function ratings(level: number): Record<string, string> {
  const out: Record<string, string> = {}
  for (const a of IMPACT_AREAS) out[`level_${a.id}`] = String(level)
  out['level_purpose-story'] = String(level + 1)
  return out
}

for (const { dialect, skip } of await testDialects()) {
  describe(`governance: the NHS IMPACT self-assessment, on ${dialect}`, { skip }, () => {
    let t: TestApp
    let cara: TestBrowser
    let esme: TestBrowser
    let leo: TestBrowser
    let oda: TestBrowser // org admin of ORG_A
    let obi: TestBrowser // org admin of ORG_B
    let orgAssessment = ''

    before(async () => {
      t = await startTestApp(dialect)
      const db = t.db.database.db
      await db
        .insertInto('organisations')
        .values([
          organisationRow({ id: ORG_A, name: 'Impact Test Trust A' }),
          organisationRow({ id: ORG_B, name: 'Impact Test Trust B' }),
        ])
        .execute()
      const admins = [
        userRow({
          email: 'oda.impact@example.invalid',
          name: 'Oda',
          organisation_id: ORG_A,
          email_verified_at: '2026-01-01T00:00:00Z',
        }),
        userRow({ email: 'obi.impact@example.invalid', name: 'Obi', organisation_id: ORG_B }),
      ]
      await db.insertInto('users').values(admins).execute()
      await db
        .insertInto('role_grants')
        .values(
          admins.flatMap((u, i) => [
            roleGrantRow({ user_id: u.id, role: 'member' }),
            roleGrantRow({
              user_id: u.id,
              role: 'org_admin',
              scope_type: 'organisation',
              scope_id: [ORG_A, ORG_B][i],
            }),
          ]),
        )
        .execute()
      cara = new TestBrowser(t.app)
      await cara.signIn(CARA)
      esme = new TestBrowser(t.app)
      await esme.signIn(ESME)
      leo = new TestBrowser(t.app)
      await leo.signIn(LEO)
      oda = new TestBrowser(t.app)
      oda.cookies.set(SESSION_COOKIE, await sessionFor(t.services.sessions, db, admins[0].id))
      obi = new TestBrowser(t.app)
      obi.cookies.set(SESSION_COOKIE, await sessionFor(t.services.sessions, db, admins[1].id))
    })
    after(() => t?.close())

    test('the Steering Group completes a system self-assessment; the Board reads it', async () => {
      await cara.get(`${PAGE}/new`)
      const created = await cara.post(PAGE, {
        scope: 'system',
        periodDay: '31',
        periodMonth: '3',
        periodYear: '2026',
      })
      assert.equal(created.statusCode, 303)
      const id = idFrom(created.headers.location)
      assert.ok(id)
      const form = await cara.get(`${PAGE}/${id}`)
      assert.equal(form.statusCode, 200)
      assert.match(form.body, /name="level_purpose-story"/)
      const saved = await cara.post(`${PAGE}/${id}`, {
        periodDay: '31',
        periodMonth: '3',
        periodYear: '2026',
        ...ratings(2),
        'note_purpose-story': 'Discussed at the March meeting',
      })
      assert.equal(saved.statusCode, 303)
      assert.equal((await cara.post(`${PAGE}/${id}/complete`, {})).statusCode, 303)
      const view = await esme.get(`${PAGE}/${id}`)
      assert.equal(view.statusCode, 200)
      assert.match(view.body, /data-status="complete"/)
      assert.match(view.body, /Discussed at the March meeting/)
      assert.doesNotMatch(view.body, /name="level_purpose-story"/, 'complete: no longer a form')
      // Complete means no more changes: a clear message, not a 500.
      const late = await cara.post(`${PAGE}/${id}`, { periodDay: '31', periodMonth: '3', periodYear: '2026' })
      assert.equal(late.statusCode, 400)
      assert.deepEqual(errorSummary(late.body), [
        'This self-assessment is complete: it can no longer be changed',
      ])
      const list = await esme.get(PAGE)
      assert.equal(list.statusCode, 200)
      assert.deepEqual(trendRows(list.body)[0], ['31 March 2026', '2.3', '2', '2', '2', '2'])
      const audits = await t.services.audit.search({ action: 'governance.impact_completed' })
      assert.equal(audits.total, 1)
    })

    test('bad levels, dates and scopes get the error summary', async () => {
      await cara.get(`${PAGE}/new`)
      const noScope = await cara.post(PAGE, {
        scope: 'nowhere',
        periodDay: '1',
        periodMonth: '4',
        periodYear: '2026',
      })
      assert.equal(noScope.statusCode, 400)
      assert.deepEqual(errorSummary(noScope.body), ['Choose the system or an organisation from the list'])
      const notMine = await cara.post(PAGE, {
        scope: ORG_A,
        periodDay: '1',
        periodMonth: '4',
        periodYear: '2026',
      })
      assert.equal(notMine.statusCode, 400)
      assert.deepEqual(errorSummary(notMine.body), ['You can assess only an organisation you administer'])
      const badDate = await cara.post(PAGE, {
        scope: 'system',
        periodDay: '31',
        periodMonth: '2',
        periodYear: '2026',
      })
      assert.equal(badDate.statusCode, 400)
      assert.deepEqual(errorSummary(badDate.body), ['Date of the period assessed must be a real date'])
      const created = await cara.post(PAGE, {
        scope: 'system',
        periodDay: '1',
        periodMonth: '4',
        periodYear: '2026',
      })
      const id = idFrom(created.headers.location)
      await cara.get(`${PAGE}/${id}`)
      const bad = await cara.post(`${PAGE}/${id}`, {
        periodDay: '1',
        periodMonth: '4',
        periodYear: '2026',
        'level_purpose-story': '7',
        'level_people-time': 'high',
      })
      assert.equal(bad.statusCode, 400)
      assert.deepEqual(errorSummary(bad.body), [
        `Choose a level from 1 to 5, or not assessed, for “${IMPACT_AREAS[0].question}”`,
        `Choose a level from 1 to 5, or not assessed, for “${IMPACT_AREAS.find((a) => a.id === 'people-time')!.question}”`,
      ])
      const empty = await cara.post(`${PAGE}/${id}/complete`, {})
      assert.equal(empty.statusCode, 400)
      assert.deepEqual(errorSummary(empty.body), [
        'Give a maturity level for at least one question area first',
      ])
      const unknownArea = await cara.post(`${PAGE}/${id}/actions`, {
        area: 'not-an-area',
        text: 'Do something',
      })
      assert.equal(unknownArea.statusCode, 400)
      assert.deepEqual(errorSummary(unknownArea.body), ['Choose a question area from the list'])
    })

    test('an organisation’s self-assessment is private to it until it shares it', async () => {
      const list = await oda.get(PAGE)
      assert.equal(list.statusCode, 200)
      assert.doesNotMatch(list.body, /data-scope="system"/, 'an org admin does not see the system’s')
      await oda.get(`${PAGE}/new`)
      assert.equal(
        (await oda.post(PAGE, { scope: 'system', periodDay: '1', periodMonth: '1', periodYear: '2026' }))
          .statusCode,
        400,
      )
      const created = await oda.post(PAGE, {
        scope: ORG_A,
        periodDay: '31',
        periodMonth: '1',
        periodYear: '2026',
      })
      assert.equal(created.statusCode, 303)
      orgAssessment = idFrom(created.headers.location)
      await oda.get(`${PAGE}/${orgAssessment}`)
      assert.equal(
        (
          await oda.post(`${PAGE}/${orgAssessment}`, {
            periodDay: '31',
            periodMonth: '1',
            periodYear: '2026',
            ...ratings(1),
          })
        ).statusCode,
        303,
      )
      assert.equal((await oda.post(`${PAGE}/${orgAssessment}/complete`, {})).statusCode, 303)

      // Private: the Steering Group, the Board, another organisation's admin and a member are refused.
      assert.equal((await cara.get(`${PAGE}/${orgAssessment}`)).statusCode, 404)
      assert.equal((await esme.get(`${PAGE}/${orgAssessment}`)).statusCode, 404)
      assert.doesNotMatch((await cara.get(PAGE)).body, /Impact Test Trust A/)
      assert.equal((await obi.get(`${PAGE}/${orgAssessment}`)).statusCode, 404)
      await obi.get(PAGE)
      assert.equal((await obi.post(`${PAGE}/${orgAssessment}/share`, { shared: 'on' })).statusCode, 404)
      assert.equal((await leo.get(PAGE)).statusCode, 403)
      assert.equal((await leo.get(`${PAGE}/${orgAssessment}`)).statusCode, 403)
      await leo.get('/')
      assert.equal((await leo.post(PAGE, { scope: ORG_A })).statusCode, 403)

      // Shared at system level: the Steering Group and the Board read it, but do not change it.
      assert.equal((await oda.post(`${PAGE}/${orgAssessment}/share`, { shared: 'on' })).statusCode, 303)
      const seen = await cara.get(`${PAGE}/${orgAssessment}`)
      assert.equal(seen.statusCode, 200)
      assert.match(seen.body, /Shared at system level/)
      assert.doesNotMatch(seen.body, /Save sharing/)
      assert.match((await cara.get(PAGE)).body, /Impact Test Trust A/)
      assert.equal((await esme.get(`${PAGE}/${orgAssessment}`)).statusCode, 200)
      assert.equal((await cara.post(`${PAGE}/${orgAssessment}/share`, {})).statusCode, 403)
      assert.equal((await obi.get(`${PAGE}/${orgAssessment}`)).statusCode, 404, 'not another organisation')
      // Unshared: private again.
      assert.equal((await oda.post(`${PAGE}/${orgAssessment}/share`, {})).statusCode, 303)
      assert.equal((await cara.get(`${PAGE}/${orgAssessment}`)).statusCode, 404)
      const shares = await t.services.audit.search({ action: 'governance.impact_shared' })
      assert.equal(shares.total, 2)
    })

    test('two self-assessments over time give the trend per component', async () => {
      await oda.get(`${PAGE}/new`)
      const created = await oda.post(PAGE, {
        scope: ORG_A,
        periodDay: '31',
        periodMonth: '7',
        periodYear: '2026',
      })
      const id = idFrom(created.headers.location)
      await oda.get(`${PAGE}/${id}`)
      await oda.post(`${PAGE}/${id}`, {
        periodDay: '31',
        periodMonth: '7',
        periodYear: '2026',
        ...ratings(3),
        'level_systems-standard': 'na',
      })
      assert.equal((await oda.post(`${PAGE}/${id}/complete`, {})).statusCode, 303)
      const page = await oda.get(`${PAGE}/${id}`)
      assert.deepEqual(trendRows(page.body), [
        ['31 January 2026', '1.3', '1', '1', '1', '1'],
        ['31 July 2026', '3.3', '3', '3', '3', '3'],
      ])
    })

    test('actions link to projects, courses and programmes the person may see, and nothing else', async () => {
      const db = t.db.database.db
      const hidden = await db
        .selectFrom('projects')
        .select('id')
        .where('visibility', '=', 'organisation')
        .executeTakeFirstOrThrow()
      const open = await db
        .selectFrom('projects')
        .select(['id', 'title'])
        .where('visibility', '=', 'community')
        .executeTakeFirstOrThrow()
      const course = await db
        .selectFrom('courses')
        .select(['slug', 'title'])
        .where('published', '=', true)
        .executeTakeFirstOrThrow()
      const programme = await db.selectFrom('programmes').select(['slug', 'name']).executeTakeFirstOrThrow()
      const ACTIONS = `${PAGE}/${orgAssessment}/actions`
      await oda.get(ACTIONS)
      const refused = await oda.post(ACTIONS, {
        area: 'capability-training',
        text: 'Train the ward teams',
        linkType: 'project',
        linkRef: hidden.id,
      })
      assert.equal(refused.statusCode, 400)
      assert.deepEqual(errorSummary(refused.body), ['There is no project with that id that you can see'])
      const noProgramme = await oda.post(ACTIONS, {
        area: 'capability-training',
        text: 'Join a programme',
        linkType: 'programme',
        linkRef: 'no-such-programme',
      })
      assert.deepEqual(errorSummary(noProgramme.body), ['There is no programme with that address'])
      for (const [linkType, linkRef] of [
        ['project', open.id],
        ['course', course.slug],
        ['programme', programme.slug],
        ['', ''],
      ])
        assert.equal(
          (
            await oda.post(ACTIONS, {
              area: 'capability-training',
              text: `Action ${linkType}`,
              linkType,
              linkRef,
            })
          ).statusCode,
          303,
          linkType,
        )
      const page = await oda.get(ACTIONS)
      assert.equal(page.statusCode, 200)
      for (const text of [open.title, course.title, programme.name])
        assert.ok(page.body.includes(text.replace(/&/g, '&amp;').replace(/'/g, '&#39;')), text)
      assert.equal((await obi.get(ACTIONS)).statusCode, 404)
      const actionId = /data-action="([^"]+)"/.exec(page.body)?.[1] ?? ''
      assert.equal((await oda.post(`${ACTIONS}/${actionId}/remove`, {})).statusCode, 303)
      assert.equal((await oda.post(`${ACTIONS}/${actionId}/remove`, {})).statusCode, 404)
      assert.equal((await t.services.audit.search({ action: 'governance.impact_action' })).total, 4)
    })
  })
}
