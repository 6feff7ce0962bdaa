import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { boardMeasureRow, dataPointRow, measureRow } from '../db/rows.js'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { SESSION_COOKIE } from '../web/plugin.js'
import { insertProject } from '../projects/fixtures.js'
import { createRightsUsers, RIGHTS_ROLES, sessionFor, type RightsRole } from '../projects/rights-fixtures.js'
import { userId } from '../measures/test-helpers.js'

const CARA = 'cara.cycle@example.invalid' // coach and Steering Group
const ESME = 'esme.exec@example.invalid' // Board
const NOON = 'demo-measure-discharge-noon'
const PORTFOLIO = '/steering-group/portfolio'

/** Text of the page's <main>, pictures left out. */
const text = (html: string) =>
  (/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '')
    .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ')

/** The count a portfolio page links for `dimension:value`, and where the link goes. */
function countLink(html: string, key: string): { n: number; href: string } | null {
  const m = new RegExp(`<a href="([^"]+)" data-count="${key}">([\\d,]+)`).exec(html)
  return m ? { href: m[1].replace(/&amp;/g, '&'), n: Number(m[2].replace(/,/g, '')) } : null
}

const listed = (html: string) => /(\d+) projects?, showing|(\d+) projects?\./.exec(text(html))

for (const { dialect, skip } of await testDialects()) {
  describe(
    `governance: the portfolio, the Board's summary and who sees them, on ${dialect}`,
    { skip },
    () => {
      let t: TestApp
      let cara: TestBrowser
      let esme: TestBrowser

      before(async () => {
        t = await startTestApp(dialect)
        cara = new TestBrowser(t.app)
        await cara.signIn(CARA)
        esme = new TestBrowser(t.app)
        await esme.signIn(ESME)
      })
      after(() => t?.close())

      test('counts projects by every dimension; filters combine; every count links to its projects', async () => {
        const page = await cara.get(PORTFOLIO)
        assert.equal(page.statusCode, 200)
        assert.equal(h1(page.body), 'Portfolio')
        const total = countLink(page.body, 'total')
        assert.ok(total && total.n >= 3, 'the demo projects are counted')
        for (const heading of [
          'Projects by status',
          'Projects by organisation',
          'Projects by programme',
          'Projects by system priority',
          'Projects by aim',
          'Projects by QSIR stage',
          'Projects by progress score',
        ])
          assert.match(page.body, new RegExp(heading))
        const active = countLink(page.body, 'status:active')!
        assert.equal(active.n, 1)
        // Each count's link lists as many projects as it says.
        const list = await cara.get(active.href)
        assert.equal(list.statusCode, 200)
        assert.equal(Number(listed(list.body)?.[1] ?? listed(list.body)?.[2]), 1)
        assert.match(list.body, /Timely discharge before noon on Ward 3/)
        // Filters combine: active and at Gloucestershire Hospitals, then one more that matches nothing.
        const both = await cara.get(`${PORTFOLIO}?status=active&organisation=org-ghft`)
        assert.equal(countLink(both.body, 'total')?.n, 1)
        assert.match(text(both.body), /Status: Active/)
        const none = await cara.get(`${PORTFOLIO}?status=active&organisation=org-primary-care`)
        assert.equal(countLink(none.body, 'total')?.n, 0)
        const stage = countLink(page.body, 'stage:handover_sustain')!
        const staged = await cara.get(stage.href)
        assert.match(staged.body, /Faster routine referrals/)
        assert.match(text(page.body), /33% of these projects \(1 of 3\) have an improvement partner/)
      })

      test('a filter value that names nothing is a clear 400, on the page and in a CSV', async () => {
        const bad = await cara.get(`${PORTFOLIO}?organisation=nowhere&stage=x&score=9`)
        assert.equal(bad.statusCode, 400)
        assert.deepEqual(errorSummary(bad.body), [
          'The organisation in the address is not one we know: choose one from the list',
          'The QSIR stage in the address is not one we know: choose one from the list',
          'The progress score in the address is not one we know: choose one from the list',
        ])
        assert.equal((await cara.get(`${PORTFOLIO}/projects?status=nope`)).statusCode, 400)
        const csv = await cara.get(`${PORTFOLIO}/status.csv?programme=nope`)
        assert.equal(csv.statusCode, 400)
        assert.match(String(csv.headers['content-type']), /problem\+json/)
        // Repeated keys and odd pages are ignored, not refused.
        assert.equal((await cara.get(`${PORTFOLIO}?status=active&status=draft&page=x`)).statusCode, 200)
      })

      test('every table downloads as CSV for the filters in force, and the export is audited', async () => {
        for (const table of [
          'status',
          'organisation',
          'score',
          'projects',
          'stalled',
          'signals',
          'decisions',
        ]) {
          const res = await cara.get(`${PORTFOLIO}/${table}.csv?status=active`)
          assert.equal(res.statusCode, 200, table)
          assert.match(String(res.headers['content-type']), /text\/csv/)
          assert.ok(res.body.startsWith('\uFEFF'), `${table}: a byte order mark for Excel`)
        }
        const status = await cara.get(`${PORTFOLIO}/status.csv`)
        assert.match(status.body, /Status,Projects\r\nActive,1\r\n/)
        const projects = await cara.get(`${PORTFOLIO}/projects.csv?stage=handover_sustain`)
        assert.match(projects.body, /Faster routine referrals from primary care \(DEMO\),Completed,4.5/)
        const audit = await t.services.audit.search({ action: 'governance.portfolio_export' })
        assert.ok(audit.items.length >= 8)
      })

      test('stalled: no data point and no PDSA change for the Steering Group’s number of days', async () => {
        const db = t.db.database.db
        const cutoff = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString()
        const lead = await userId(db, 'ada.aimwell')
        const quiet = await insertProject(db, {
          title: 'A quiet project',
          createdBy: lead,
          status: 'active',
          visibility: 'community',
          organisationIds: ['org-ghft'],
        })
        await db
          .updateTable('projects')
          .set({ status_changed_at: cutoff(100) })
          .where('id', '=', quiet)
          .execute()
        const stalled = await cara.get(`${PORTFOLIO}/stalled`)
        assert.match(text(stalled.body), /A quiet project Active Never/)
        // A recent data point wakes it.
        await db
          .insertInto('measures')
          .values(measureRow({ project_id: quiet, name: 'Quiet measure', last_data_at: cutoff(10) }))
          .execute()
        assert.doesNotMatch((await cara.get(`${PORTFOLIO}/stalled`)).body, /A quiet project/)
        // The Steering Group sets the number of days: 7 makes it stalled again, 3 is refused.
        const refused = await cara.submit('/steering-group/settings', '/steering-group/settings', {
          stalledDays: '3',
        })
        assert.equal(refused.statusCode, 400)
        assert.deepEqual(errorSummary(refused.body), ['Enter 7 days or more'])
        const saved = await cara.submit('/steering-group/settings', '/steering-group/settings', {
          stalledDays: '7',
        })
        assert.equal(saved.statusCode, 303)
        const page = await cara.get(PORTFOLIO)
        assert.match(text(page.body), /for 7 days or more/)
        assert.match((await cara.get(`${PORTFOLIO}/stalled`)).body, /A quiet project/)
        const audit = await t.services.audit.search({ action: 'governance.settings_update' })
        assert.equal(audit.items.length, 1)
        await cara.submit('/steering-group/settings', '/steering-group/settings', { stalledDays: '60' })
        await db.deleteFrom('projects').where('id', '=', quiet).execute()
      })

      test('measures showing special cause now; flagging one puts it on the Board’s summary', async () => {
        const page = await cara.get(`${PORTFOLIO}?status=active`)
        const improvement = /id="signals-improvement"[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? ''
        assert.match(improvement, /Patients discharged before noon \(DEMO\)/)
        assert.match(improvement, /Flag for the Board/)
        const concern = /id="signals-concern"[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? ''
        assert.match(concern, /Average length of stay \(DEMO\)/)
        assert.match(concern, /On the Board’s summary/, 'the demo flags it already')

        const flagged = await cara.post('/steering-group/board-measures', {
          measureId: NOON,
          from: 'portfolio',
          returnTo: `${PORTFOLIO}?status=active`,
        })
        assert.equal(flagged.statusCode, 303)
        assert.equal(flagged.headers.location, `${PORTFOLIO}?status=active`)
        const board = await esme.get('/board')
        assert.equal(board.statusCode, 200)
        assert.match(board.body, /Patients discharged before noon \(DEMO\)/)
        const audit = await t.services.audit.search({ action: 'governance.board_flag' })
        assert.equal(audit.items.length, 1)
        // A measure nobody can see, or one that does not exist, is not found; a bad priority is refused.
        assert.equal(
          (await cara.post('/steering-group/board-measures', { measureId: 'no-such-measure' })).statusCode,
          404,
        )
        const badPriority = await cara.post('/steering-group/board-measures', {
          measureId: NOON,
          priorityId: 'no-such-priority',
        })
        assert.equal(badPriority.statusCode, 400)
        // Removing it takes it off the Board's page.
        assert.equal((await cara.post(`/steering-group/board-measures/${NOON}/remove`, {})).statusCode, 303)
        assert.doesNotMatch((await esme.get('/board')).body, /Patients discharged before noon/)
        assert.equal((await cara.post(`/steering-group/board-measures/${NOON}/remove`, {})).statusCode, 404)
        // Found by name on the Steering Group's page, and flagged there under a system priority.
        const db = t.db.database.db
        await db
          .insertInto('system_priorities')
          .values({
            id: 'prio-flow',
            name: 'Urgent care flow',
            owner: 'ICB',
            created_at: '2026-01-01T00:00:00Z',
            updated_at: '2026-01-01T00:00:00Z',
          })
          .execute()
        const found = await cara.get('/steering-group/board-measures?q=before%20noon')
        assert.match(found.body, /Patients discharged before noon \(DEMO\)/)
        await cara.post('/steering-group/board-measures', { measureId: NOON, priorityId: 'prio-flow' })
        const sections = text((await esme.get('/board')).body)
        assert.match(sections, /Urgent care flow Urgent care flow: 1 measure/)
        assert.match(sections, /Other measures flagged for the Board/)
      })

      test('the Board’s table: engine figures, icons, sparklines, mixed frequencies, small numbers suppressed', async () => {
        const db = t.db.database.db
        const board = await esme.get('/board')
        const body = board.body
        assert.match(body, /Data as at/)
        assert.match(body, /Making Data Count rules/)
        assert.match(body, /role="img" aria-label="Special cause improvement \(low\)"/)
        assert.match(body, /role="img" aria-label="Special cause concern \(high\)"/)
        assert.match(body, /aria-label="The target is/)
        assert.match(body, /class="app-sparkline"/)
        assert.match(text(body), /Monthly, days/)
        assert.match(text(body), /Weekly, working days/)
        assert.match(text(body), /Week from \d+ \w{3} \d{4}/)
        assert.doesNotMatch(body, /\b(RAG|red, amber or green rating:)/)
        // A count of 3 at the latest point, on a project the Board member can see: suppressed.
        const lead = await userId(db, 'ada.aimwell')
        const project = await insertProject(db, {
          title: 'Small numbers',
          createdBy: lead,
          status: 'active',
          visibility: 'community',
        })
        const small = 'measure-small-counts'
        const single = 'measure-one-point'
        await db
          .insertInto('measures')
          .values([
            measureRow({
              id: small,
              project_id: project,
              name: 'Pressure ulcers',
              data_kind: 'count',
              direction: 'decrease',
            }),
            measureRow({ id: single, project_id: project, name: 'One point so far' }),
          ])
          .execute()
        const counts = [9, 8, 11, 7, 10, 9, 12, 8, 9, 10, 11, 9, 3]
        await db
          .insertInto('measure_data_points')
          .values([
            ...counts.map((value, i) =>
              dataPointRow({
                measure_id: small,
                period: new Date(Date.UTC(2025, i, 1)).toISOString().slice(0, 10),
                value,
              }),
            ),
            dataPointRow({ measure_id: single, period: '2026-01-05', value: 42 }),
          ])
          .execute()
        await db
          .insertInto('board_measures')
          .values([boardMeasureRow({ measure_id: small }), boardMeasureRow({ measure_id: single })])
          .execute()
        const shown = await esme.get('/board')
        assert.equal(shown.statusCode, 200)
        const row = /data-measure="measure-small-counts"[\s\S]*?<\/tr>/.exec(shown.body)?.[0] ?? ''
        assert.match(row, /Suppressed \(1 to 4\)/)
        assert.doesNotMatch(text(row), /Jan 2026 3 /)
        const one = /data-measure="measure-one-point"[\s\S]*?<\/tr>/.exec(shown.body)?.[0] ?? ''
        assert.match(one, /One point so far/)
        assert.match(one, /Not shown on a run chart/)
        const csv = await esme.get('/board.csv')
        assert.equal(csv.statusCode, 200)
        assert.match(csv.body, /Pressure ulcers,,Small numbers,Monthly,Jan 2026,Suppressed \(1 to 4\)/)
        // A deleted measure leaves the Board's list with it.
        await db.deleteFrom('measures').where('id', '=', small).execute()
        const after = await esme.get('/board')
        assert.equal(after.statusCode, 200)
        assert.doesNotMatch(after.body, /Pressure ulcers/)
        assert.equal(
          (
            await db
              .selectFrom('board_measures')
              .select('measure_id')
              .where('measure_id', '=', small)
              .execute()
          ).length,
          0,
        )
      })

      test('who sees what: every role on every governance page (sign in, 403 or the page)', async () => {
        const db = t.db.database.db
        const users = await createRightsUsers(db)
        const pages = [
          PORTFOLIO,
          `${PORTFOLIO}/projects`,
          `${PORTFOLIO}/stalled`,
          `${PORTFOLIO}/status.csv`,
          '/steering-group/settings',
          '/steering-group/board-measures',
          '/board',
          '/board.csv',
        ]
        const readsPortfolio = (r: RightsRole) => r === 'steering_group' || r === 'coach'
        const expected = (role: RightsRole, url: string): number => {
          if (role === 'steering_group') return 200
          if (url.startsWith('/board')) return role === 'board' ? 200 : 403
          if (url.startsWith(PORTFOLIO)) return readsPortfolio(role) ? 200 : 403
          return 403
        }
        for (const role of RIGHTS_ROLES) {
          const browser = new TestBrowser(t.app)
          if (role !== 'anonymous')
            browser.cookies.set(SESSION_COOKIE, await sessionFor(t.services.sessions, db, users[role].id))
          for (const url of pages) {
            const res = await browser.get(url)
            if (role === 'anonymous') {
              if (url.endsWith('.csv')) assert.equal(res.statusCode, 401, `${role} ${url}`)
              else {
                assert.equal(res.statusCode, 303, `${role} ${url}`)
                assert.match(String(res.headers.location), /^\/sign-in\?next=/)
              }
            } else assert.equal(res.statusCode, expected(role, url), `${role} ${url}`)
          }
          if (role === 'anonymous' || role === 'steering_group') continue
          await browser.get('/')
          for (const [url, form] of [
            ['/steering-group/settings', { stalledDays: '30' }],
            ['/steering-group/board-measures', { measureId: NOON }],
            [`/steering-group/board-measures/${NOON}/remove`, {}],
          ] as const)
            assert.equal((await browser.post(url, form)).statusCode, 403, `${role} POST ${url}`)
        }
      })

      test('Steering Group members see a faculty’s figures (read only); learners still do not', async () => {
        const page = await cara.get('/learning/faculties/qsir/dashboard')
        assert.equal(page.statusCode, 200)
        assert.equal(h1(page.body), 'Learning dashboard')
        assert.doesNotMatch(page.body, /\/learning\/cohorts\/[^"]+\/manage/)
        assert.equal((await cara.get('/learning/faculties/qsir/dashboard.csv')).statusCode, 200)
        assert.match((await cara.get('/learning/faculties/qsir')).body, /qsir\/dashboard/)
        const leo = new TestBrowser(t.app)
        await leo.signIn('leo.learner@example.invalid')
        assert.equal((await leo.get('/learning/faculties/qsir/dashboard')).statusCode, 403)
      })
    },
  )
}
