import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { newId } from '../core/ids.js'
import { organisationRow, roleGrantRow, userRow } from '../db/rows.js'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { SESSION_COOKIE } from '../web/plugin.js'
import { createRightsUsers, RIGHTS_ROLES, sessionFor } from '../projects/rights-fixtures.js'

const CARA = 'cara.cycle@example.invalid' // Steering Group
const ESME = 'esme.exec@example.invalid' // Board
const ORG = 'org-capability-test'
const PAGE = '/steering-group/capability'

/** The cells of the organisation table's row for this organisation and level. */
function orgRow(html: string, org: string, level: string): string[] {
  const row = new RegExp(`data-row="${org}:${level}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? ''
  return [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) =>
    m[1]
      .replace(/<form[\s\S]*<\/form>/, '')
      .replace(/<[^>]+>/g, '')
      .replace(/&#39;|&rsquo;/g, '’')
      .replace(/\s+/g, ' ')
      .trim(),
  )
}

for (const { dialect, skip } of await testDialects()) {
  describe(`governance: capability against targets, on ${dialect}`, { skip }, () => {
    let t: TestApp
    let cara: TestBrowser
    let esme: TestBrowser
    let admin: TestBrowser

    before(async () => {
      t = await startTestApp(dialect)
      const db = t.db.database.db
      await db
        .insertInto('organisations')
        .values(organisationRow({ id: ORG, name: 'Capability Test Trust' }))
        .execute()
      // Three people of the organisation; one has two Awareness records (counted once, at the first).
      const people = ['Ann', 'Bea', 'Col'].map((name) =>
        userRow({ email: `${name.toLowerCase()}.cap@example.invalid`, name, organisation_id: ORG }),
      )
      const orgAdmin = userRow({ email: 'oda.cap@example.invalid', name: 'Oda', organisation_id: ORG })
      await db
        .insertInto('users')
        .values([...people, orgAdmin])
        .execute()
      await db
        .insertInto('role_grants')
        .values([
          roleGrantRow({ user_id: orgAdmin.id, role: 'member' }),
          roleGrantRow({
            user_id: orgAdmin.id,
            role: 'org_admin',
            scope_type: 'organisation',
            scope_id: ORG,
          }),
        ])
        .execute()
      const record = (userId: string, level: string, on: string, status = 'verified') => ({
        id: newId(),
        user_id: userId,
        title: 'Improvement basics',
        provider: 'Elsewhere',
        level,
        completed_on: on,
        faculty_id: 'fac-qsir',
        status,
        created_at: '2026-01-01T00:00:00Z',
      })
      await db
        .insertInto('external_training')
        .values([
          record(people[0].id, 'awareness', '2026-01-15'),
          record(people[0].id, 'awareness', '2026-02-15'),
          record(people[1].id, 'awareness', '2026-03-10'),
          record(people[2].id, 'foundation', '2026-03-20'),
          record(people[2].id, 'practitioner', '2026-04-20', 'pending'),
        ])
        .execute()
      cara = new TestBrowser(t.app)
      await cara.signIn(CARA)
      esme = new TestBrowser(t.app)
      await esme.signIn(ESME)
      admin = new TestBrowser(t.app)
      admin.cookies.set(SESSION_COOKIE, await sessionFor(t.services.sessions, db, orgAdmin.id))
    })
    after(() => t?.close())

    test('people trained by organisation, level, faculty and period, with a run chart', async () => {
      const page = await cara.get(PAGE)
      assert.equal(page.statusCode, 200)
      assert.equal(h1(page.body), 'Capability')
      assert.deepEqual(orgRow(page.body, ORG, 'awareness').slice(0, 6), [
        'Capability Test Trust',
        'Awareness',
        '2',
        '–',
        'No headcount entered',
        'No target',
      ])
      assert.equal(orgRow(page.body, ORG, 'foundation')[2], '1')
      assert.deepEqual(orgRow(page.body, ORG, 'practitioner'), [], 'pending records do not count')
      assert.match(page.body, /data-table="faculties"/)
      assert.match(page.body, /Jan–Mar 2026/)
      assert.match(page.body, /<svg[^>]+role="img"/)
      assert.match(page.body, /People newly trained each month/)
      // Filters narrow every figure; an unknown one is a clear 400.
      const only = await cara.get(`${PAGE}?organisation=${ORG}&level=foundation`)
      assert.equal(only.statusCode, 200)
      assert.deepEqual(orgRow(only.body, ORG, 'awareness'), [])
      assert.match(only.body, /<strong>1 person trained<\/strong>/)
      const bad = await cara.get(`${PAGE}?organisation=nowhere&level=x`)
      assert.equal(bad.statusCode, 400)
      assert.deepEqual(errorSummary(bad.body), [
        'The course level in the address is not one we know: choose one from the list',
        'The organisation in the address is not one we know: choose one from the list',
      ])
      const badCsv = await cara.get(`${PAGE}.csv?faculty=nowhere`)
      assert.equal(badCsv.statusCode, 400)
      assert.match(String(badCsv.headers['content-type']), /problem\+json/)
    })

    test('targets set by the Steering Group, headcounts by the organisation admin, progress in words', async () => {
      await cara.get(PAGE)
      const wrong = await cara.post(`${PAGE}/targets`, {
        organisationId: ORG,
        level: 'awareness',
        percent: 'ten',
        byDateDay: '31',
        byDateMonth: '2',
        byDateYear: '2027',
      })
      assert.equal(wrong.statusCode, 400)
      assert.deepEqual(errorSummary(wrong.body), ['Enter the share of staff as a number, like 10'])
      const notReal = await cara.post(`${PAGE}/targets`, {
        organisationId: ORG,
        level: 'awareness',
        percent: '10',
        byDateDay: '31',
        byDateMonth: '2',
        byDateYear: '2027',
      })
      assert.equal(notReal.statusCode, 400)
      assert.deepEqual(errorSummary(notReal.body), ['Date the target is due must be a real date'])
      const unknown = await cara.post(`${PAGE}/targets`, {
        organisationId: 'nowhere',
        level: 'awareness',
        percent: '10',
        byDateDay: '31',
        byDateMonth: '3',
        byDateYear: '2027',
      })
      assert.equal(unknown.statusCode, 400)
      assert.deepEqual(errorSummary(unknown.body), ['Choose an organisation from the list'])
      const saved = await cara.post(`${PAGE}/targets`, {
        organisationId: ORG,
        level: 'awareness',
        percent: '10',
        byDateDay: '31',
        byDateMonth: '3',
        byDateYear: '2027',
      })
      assert.equal(saved.statusCode, 303)
      let row = orgRow((await cara.get(PAGE)).body, ORG, 'awareness')
      assert.equal(row[5], '10% of staff by 31 March 2027')
      assert.equal(row[6], 'Needs the organisation’s headcount')

      const form = await admin.get('/steering-group/capability/headcounts')
      assert.equal(form.statusCode, 200)
      assert.match(form.body, /Capability Test Trust/)
      assert.doesNotMatch(form.body, /Gloucestershire Hospitals/, 'only the organisations this admin runs')
      const zero = await admin.post('/steering-group/capability/headcounts', {
        organisationId: ORG,
        headcount: '0',
      })
      assert.equal(zero.statusCode, 400)
      assert.deepEqual(errorSummary(zero.body), ['Enter a headcount of 1 or more'])
      const other = await admin.post('/steering-group/capability/headcounts', {
        organisationId: 'org-ghft',
        headcount: '100',
      })
      assert.equal(other.statusCode, 403, 'not another organisation’s headcount')
      assert.equal(
        (await admin.post('/steering-group/capability/headcounts', { organisationId: ORG, headcount: '40' }))
          .statusCode,
        303,
      )
      row = orgRow((await cara.get(PAGE)).body, ORG, 'awareness')
      assert.deepEqual(row.slice(2, 7), [
        '2',
        '40',
        '5%',
        '10% of staff by 31 March 2027',
        '2 more people to train',
      ])
      await admin.post('/steering-group/capability/headcounts', { organisationId: ORG, headcount: '20' })
      row = orgRow((await esme.get(PAGE)).body, ORG, 'awareness')
      assert.deepEqual(row.slice(3, 7), ['20', '10%', '10% of staff by 31 March 2027', 'Target reached'])
      assert.doesNotMatch((await esme.get(PAGE)).body, /Set a target/, 'the Board reads, it does not set')

      const csv = await esme.get(`${PAGE}.csv`)
      assert.equal(csv.statusCode, 200)
      assert.match(
        csv.body,
        /Capability Test Trust,Awareness,2,20,10%,10% of staff by 31 March 2027,Target reached/,
      )
      const audits = await t.services.audit.search({ action: 'governance.capability_target' })
      assert.equal(audits.total, 1)
      assert.equal((await t.services.audit.search({ action: 'governance.headcount' })).total, 2)
      assert.equal((await t.services.audit.search({ action: 'governance.capability_export' })).total, 1)

      const removed = await cara.post(`${PAGE}/targets/remove`, { organisationId: ORG, level: 'awareness' })
      assert.equal(removed.statusCode, 303)
      assert.equal(orgRow((await cara.get(PAGE)).body, ORG, 'awareness')[5], 'No target')
      assert.equal(
        (await cara.post(`${PAGE}/targets/remove`, { organisationId: ORG, level: 'awareness' })).statusCode,
        404,
      )
    })

    test('who sees what: the Steering Group and the Board read; only org admins enter headcounts', async () => {
      const db = t.db.database.db
      const users = await createRightsUsers(db)
      for (const role of RIGHTS_ROLES) {
        const browser = new TestBrowser(t.app)
        if (role !== 'anonymous')
          browser.cookies.set(SESSION_COOKIE, await sessionFor(t.services.sessions, db, users[role].id))
        const reads = role === 'steering_group' || role === 'board'
        for (const url of [PAGE, `${PAGE}.csv`, `${PAGE}/headcounts`]) {
          const res = await browser.get(url)
          if (role === 'anonymous') assert.equal(res.statusCode, url.endsWith('.csv') ? 401 : 303, url)
          else if (url.endsWith('/headcounts'))
            assert.equal(res.statusCode, role === 'platform_admin' ? 200 : 403, `${role} ${url}`)
          else assert.equal(res.statusCode, reads ? 200 : 403, `${role} ${url}`)
        }
        if (role === 'anonymous' || role === 'steering_group') continue
        await browser.get('/')
        const target = await browser.post(`${PAGE}/targets`, {
          organisationId: ORG,
          level: 'awareness',
          percent: '10',
          byDateDay: '31',
          byDateMonth: '3',
          byDateYear: '2027',
        })
        assert.equal(target.statusCode, 403, `${role} POST targets`)
      }
    })
  })
}
