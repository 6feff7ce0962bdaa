import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { supportRequestRow } from '../db/rows.js'
import { h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { browserAs, createRightsUsers, RIGHTS_ROLES, type RightsRole } from '../projects/rights-fixtures.js'

const CARA = 'cara.cycle@example.invalid' // Steering Group
const ESME = 'esme.exec@example.invalid' // Board
const PAGE = '/steering-group/facilitation'
const OUTCOME = 'Twelve ward teams now run their own huddle boards'
const DAY = 86_400_000

/** The cells of a table's row (by its data-row), as text. */
function cells(html: string, table: string, row: string): string[] {
  const body = new RegExp(`data-table="${table}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? ''
  const tr = new RegExp(`data-row="${row}"[\\s\\S]*?</tr>`).exec(body)?.[0] ?? ''
  return [...tr.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) =>
    m[1]
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  )
}

for (const { dialect, skip } of await testDialects()) {
  describe(
    `governance: facilitation figures for the Steering Group and the Board, on ${dialect}`,
    { skip },
    () => {
      let t: TestApp
      let cara: TestBrowser
      let esme: TestBrowser

      before(async () => {
        t = await startTestApp(dialect)
        const db = t.db.database.db
        const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString()
        const request = (title: string, status: string, days: number, extra: Record<string, unknown> = {}) =>
          supportRequestRow({
            title,
            need: 'Help with run charts',
            start_date: '2026-01-01',
            end_date: '2026-06-30',
            status,
            status_changed_at: ago(days),
            created_at: ago(days + 1),
            organisation_id: 'org-ghft',
            ...extra,
          })
        await db
          .insertInto('support_requests')
          .values([
            request('Long wait for help', 'submitted', 120),
            request('Newly asked', 'submitted', 3),
            request('Huddle boards across the medical wards', 'closed', 10, {
              programme_id: 'prog-virtual-ward',
              outcome: OUTCOME,
            }),
          ])
          .execute()
        cara = new TestBrowser(t.app)
        await cara.signIn(CARA)
        esme = new TestBrowser(t.app)
        await esme.signIn(ESME)
      })
      after(() => t?.close())

      test('the pipeline by status and age, capacity by month and programmes’ outcomes, as the facilitation records say', async () => {
        const db = t.db.database.db
        const page = await cara.get(PAGE)
        assert.equal(page.statusCode, 200)
        assert.equal(h1(page.body), 'Facilitation')
        const submitted = await db
          .selectFrom('support_requests')
          .select(['status_changed_at'])
          .where('status', '=', 'submitted')
          .execute()
        const over90 = submitted.filter((r) => Date.parse(r.status_changed_at) < Date.now() - 90 * DAY).length
        const row = cells(page.body, 'pipeline', 'submitted')
        assert.equal(row[0], 'Submitted')
        assert.equal(row[1], String(submitted.length))
        assert.equal(row[5], String(over90))
        assert.ok(over90 >= 1)
        // Capacity: the same months and hours as facilitation's own report.
        const figures = await t.services.facilitation.pipeline.figures()
        for (const m of figures.months) {
          const c = cells(page.body, 'capacity', m.month)
          assert.equal(c[0], m.label)
          assert.equal(c[1], m.available.toLocaleString('en-GB'))
          assert.equal(c[2], m.committed.toLocaleString('en-GB'))
        }
        const programme = cells(page.body, 'programmes', 'prog-virtual-ward')
        const closed = await db
          .selectFrom('support_requests')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('programme_id', '=', 'prog-virtual-ward')
          .where('status', '=', 'closed')
          .executeTakeFirstOrThrow()
        assert.equal(programme[4], String(Number(closed.n)))
        assert.ok(Number(closed.n) >= 1)
        // The Steering Group sees the organisations and the recorded outcomes too.
        assert.match(page.body, /data-table="organisations"/)
        assert.match(page.body, new RegExp(OUTCOME))
        assert.match(page.body, /href="\/support\/pipeline"/)
      })

      test('the Board sees the aggregates only: no organisations, no outcomes, no requests', async () => {
        const page = await esme.get(PAGE)
        assert.equal(page.statusCode, 200)
        assert.match(page.body, /data-table="pipeline"/)
        assert.match(page.body, /data-table="capacity"/)
        assert.match(page.body, /data-table="programmes"/)
        assert.doesNotMatch(page.body, /data-table="organisations"/)
        assert.doesNotMatch(page.body, new RegExp(OUTCOME))
        assert.doesNotMatch(page.body, /Long wait for help|\/support\/requests\//)
        for (const table of ['organisations', 'outcomes']) {
          const csv = await esme.get(`${PAGE}/${table}.csv`)
          assert.equal(csv.statusCode, 403, table)
          assert.match(String(csv.headers['content-type']), /problem\+json/)
        }
        const ok = await esme.get(`${PAGE}/programmes.csv`)
        assert.equal(ok.statusCode, 200)
        assert.doesNotMatch(ok.body, new RegExp(OUTCOME))
      })

      test('each table downloads as CSV, and each export is audited', async () => {
        for (const table of ['pipeline', 'capacity', 'programmes', 'organisations', 'outcomes']) {
          const res = await cara.get(`${PAGE}/${table}.csv`)
          assert.equal(res.statusCode, 200, table)
          assert.match(String(res.headers['content-type']), /text\/csv/)
          assert.match(String(res.headers['content-disposition']), new RegExp(`facilitation-${table}-`))
          assert.ok(res.body.startsWith('\uFEFF'))
        }
        const pipeline = await cara.get(`${PAGE}/pipeline.csv`)
        assert.match(
          pipeline.body,
          /^\uFEFFStatus,Requests,Under 2 weeks,2 to 6 weeks,6 to 13 weeks,Over 13 weeks,In this status since \(oldest\)\r\n/,
        )
        const outcomes = await cara.get(`${PAGE}/outcomes.csv`)
        assert.match(
          outcomes.body,
          new RegExp(`Huddle boards across the medical wards,[^\\r]*,${OUTCOME}\\r\\n`),
        )
        const audit = await t.services.audit.search({ action: 'governance.facilitation_export' })
        assert.ok(audit.items.length >= 7)
      })

      test('who sees it: the Steering Group and the Board, nobody else', async () => {
        const db = t.db.database.db
        const users = await createRightsUsers(db)
        const urls = [PAGE, `${PAGE}/pipeline.csv`, `${PAGE}/outcomes.csv`]
        const expected = (role: RightsRole, url: string) =>
          role === 'steering_group'
            ? 200
            : role === 'board'
              ? url.endsWith('outcomes.csv')
                ? 403
                : 200
              : 403
        for (const role of RIGHTS_ROLES) {
          const browser = await browserAs(t, users, role)
          for (const url of urls) {
            const res = await browser.get(url)
            if (role === 'anonymous') assert.equal(res.statusCode, url.endsWith('.csv') ? 401 : 303, url)
            else assert.equal(res.statusCode, expected(role, url), `${role} ${url}`)
          }
        }
      })

      test('linked from the portfolio and the Board page', async () => {
        assert.match(
          (await cara.get('/steering-group/portfolio')).body,
          /href="\/steering-group\/facilitation"/,
        )
        assert.match((await esme.get('/board')).body, /href="\/steering-group\/facilitation"/)
      })
    },
  )
}
