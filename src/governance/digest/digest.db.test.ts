import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { supportRequestRow } from '../../db/rows.js'
import { JobQueue } from '../../jobs/queue.js'
import { h1, startTestApp, TestBrowser, type TestApp } from '../../testing/app.js'
import { testDialects } from '../../testing/databases.js'
import { browserAs, createRightsUsers, RIGHTS_ROLES } from '../../projects/rights-fixtures.js'
import { DIGEST_JOB, type DigestPayload } from './service.js'

const CARA = 'cara.cycle@example.invalid' // Steering Group
const ESME = 'esme.exec@example.invalid' // Board
const SETTINGS = '/steering-group/digest'
const DAY = 86_400_000

/** A week's payload ending now (a made-up Monday names it, so each test's week is its own). */
function week(monday: string): DigestPayload {
  return {
    week: monday,
    from: new Date(Date.now() - 7 * DAY).toISOString(),
    to: new Date(Date.now() + DAY).toISOString(),
  }
}

for (const { dialect, skip } of await testDialects()) {
  describe(`governance: the weekly digest, on ${dialect}`, { skip }, () => {
    let t: TestApp
    let cara: TestBrowser
    let esme: TestBrowser

    const digestsTo = async (to: string) =>
      (await t.services.mail.list({ to, pageSize: 50 })).items.filter((m) => m.kind === 'governance_digest')

    /** Runs the week's digest job to the end, as the worker would. */
    const runWeek = async (monday: string, queue = t.services.jobs) => {
      await queue.enqueue(DIGEST_JOB, week(monday), { key: `test:${monday}:${Math.random()}` })
      while (await queue.runDue()) {
        /* until no job is due */
      }
    }

    before(async () => {
      t = await startTestApp(dialect)
      await t.db.database.db
        .insertInto('support_requests')
        .values(
          supportRequestRow({
            title: 'Help with a new falls audit',
            need: 'Run charts',
            start_date: '2027-01-01',
            end_date: '2027-03-31',
            created_at: new Date(Date.now() - 2 * DAY).toISOString(),
          }),
        )
        .execute()
      cara = new TestBrowser(t.app)
      await cara.signIn(CARA)
      esme = new TestBrowser(t.app)
      await esme.signIn(ESME)
    })
    after(() => t?.close())

    test('the Steering Group gets one digest a week, with its sections and the RFC 8058 headers', async () => {
      await runWeek('2030-01-07')
      const mails = await digestsTo(CARA)
      assert.equal(mails.length, 1)
      const mail = (await t.services.mail.get(mails[0].id))!
      assert.match(mail.subject, /^Weekly digest for the week of 7 January 2030$/)
      assert.match(
        mail.text,
        /SUPPORT REQUESTS\n1 new request last week|SUPPORT REQUESTS\n\d+ new requests last week/,
      )
      assert.match(mail.text, /New: Help with a new falls audit\n {2}http[^\n]+\/support\/requests\//)
      assert.match(mail.text, /STALLED PROJECTS|COURSES FILLING OR EMPTY|POSTERS AWAITING APPROVAL/)
      const url = /Stop this digest: (\S+)/.exec(mail.text)![1]
      assert.match(url, /\/steering-group\/digest\/unsubscribe\/[A-Za-z0-9_-]{20,}$/)
      assert.equal(mail.headers['List-Unsubscribe'], `<${url}>`)
      assert.equal(mail.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click')
      // The Board member did not opt in, so got nothing.
      assert.equal((await digestsTo(ESME)).length, 0)
      // The same week again (a second job, after the first finished): still one.
      await runWeek('2030-01-07')
      assert.equal((await digestsTo(CARA)).length, 1)
    })

    test('two workers running the digest at once send one each', async () => {
      const db = t.db.database.db
      const second = new JobQueue(db, { clock: () => new Date() })
      t.services.governance.digest.registerJobs(second)
      const payload = week('2030-02-04')
      await t.services.jobs.enqueue(DIGEST_JOB, payload, { key: 'race:a' })
      await t.services.jobs.enqueue(DIGEST_JOB, payload, { key: 'race:b' })
      // Each worker claims one of the two jobs, and both run at the same time.
      await Promise.all([t.services.jobs.runOne(), second.runOne()])
      await Promise.all([t.services.jobs.runDue(), second.runDue()])
      const weekOf = (await digestsTo(CARA)).filter((m) => /4 February 2030/.test(m.subject))
      assert.equal(weekOf.length, 1)
      const sent = await db
        .selectFrom('governance_digests_sent')
        .select(['user_id'])
        .where('week', '=', '2030-02-04')
        .execute()
      assert.equal(new Set(sent.map((s) => s.user_id)).size, sent.length)
    })

    test('the worker schedules one job a week, whichever instance asks', async () => {
      const digest = t.services.governance.digest
      const a = await digest.schedule(new Date('2031-03-05T10:00:00Z'))
      const b = await digest.schedule(new Date('2031-03-08T22:00:00Z'))
      assert.equal(a, b)
      const job = (await t.services.jobs.get<DigestPayload>(a))!
      assert.equal(job.payload.week, '2031-03-03')
      assert.equal(job.runAt, '2031-03-10T07:00:00.000Z')
    })

    test('a Board member opts in on the settings page and gets the Board’s sections only', async () => {
      const page = await esme.get(SETTINGS)
      assert.equal(page.statusCode, 200)
      assert.equal(h1(page.body), 'Weekly digest')
      assert.match(page.body, /value="no" checked/)
      const bad = await esme.post(SETTINGS, {
        weekly: 'maybe',
        _once: /name="_once" value="([^"]+)"/.exec(page.body)![1],
      })
      assert.equal(bad.statusCode, 400)
      await esme.get(SETTINGS)
      const saved = await esme.submit(SETTINGS, SETTINGS, { weekly: 'yes' })
      assert.equal(saved.statusCode, 303)
      assert.match((await esme.get(SETTINGS)).body, /value="yes" checked/)
      await runWeek('2030-03-04')
      const esmes = await digestsTo(ESME)
      assert.equal(esmes.length, 1, 'the demo’s Board measures and courses give the Board a digest')
      for (const m of esmes) {
        const mail = (await t.services.mail.get(m.id))!
        assert.doesNotMatch(mail.text, /STALLED PROJECTS|SUPPORT REQUESTS|POSTERS AWAITING APPROVAL/)
        assert.doesNotMatch(mail.text, /Help with a new falls audit/)
      }
      const audit = await t.services.audit.search({ action: 'governance.digest_pref' })
      assert.ok(audit.items.length >= 1)
    })

    test('one-click unsubscribe works without signing in; a used or tampered link gets a clear page', async () => {
      const mail = (await t.services.mail.get((await digestsTo(CARA))[0].id))!
      const path = new URL(/Stop this digest: (\S+)/.exec(mail.text)![1]).pathname
      const visitor = new TestBrowser(t.app)
      const confirm = await visitor.get(path)
      assert.equal(confirm.statusCode, 200)
      assert.equal(h1(confirm.body), 'Stop the weekly digest')
      // A mail client's one-click POST: no cookie, no CSRF token, RFC 8058's body.
      const done = await t.app.inject({
        method: 'POST',
        url: path,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      assert.equal(done.statusCode, 200)
      assert.equal(h1(done.body), 'You are unsubscribed')
      assert.match((await cara.get(SETTINGS)).body, /value="no" checked/)
      const again = await t.app.inject({ method: 'POST', url: path })
      assert.equal(again.statusCode, 410)
      assert.equal(h1(again.body), 'This link has been used')
      assert.equal((await visitor.get(path)).statusCode, 410)
      const tampered = `${path.slice(0, -3)}xyz`
      const bad = await visitor.get(tampered)
      assert.equal(bad.statusCode, 404)
      assert.equal(h1(bad.body), 'This link does not work')
      assert.equal((await t.app.inject({ method: 'POST', url: tampered })).statusCode, 404)
      // Unsubscribed: the next week's digest is not sent to Cara.
      const before = (await digestsTo(CARA)).length
      await runWeek('2030-04-01')
      assert.equal((await digestsTo(CARA)).length, before)
      const audit = await t.services.audit.search({ action: 'governance.digest_unsubscribed' })
      assert.equal(audit.items.length, 1)
    })

    test('the settings page: the Steering Group and the Board, nobody else', async () => {
      const db = t.db.database.db
      const users = await createRightsUsers(db)
      for (const role of RIGHTS_ROLES) {
        const browser = await browserAs(t, users, role)
        const res = await browser.get(SETTINGS)
        const expected =
          role === 'anonymous' ? 303 : role === 'steering_group' || role === 'board' ? 200 : 403
        assert.equal(res.statusCode, expected, role)
      }
    })
  })

  describe(`governance: a digest with nothing in it is not sent, on ${dialect}`, { skip }, () => {
    let t: TestApp
    before(async () => {
      t = await startTestApp(dialect, { demo: false })
    })
    after(() => t?.close())

    test('no signals, stalled projects, requests, courses or posters: no e-mail', async () => {
      const users = await createRightsUsers(t.db.database.db)
      const steering = users.steering_group
      const recipients = await t.services.governance.digest.recipients()
      assert.ok(
        recipients.some((r) => r.id === steering.id),
        'the Steering Group member is a recipient',
      )
      await t.services.jobs.enqueue(DIGEST_JOB, week('2030-05-06'))
      while (await t.services.jobs.runDue()) {
        /* until done */
      }
      const all = (await t.services.mail.list({ pageSize: 50 })).items.filter(
        (m) => m.kind === 'governance_digest',
      )
      assert.equal(all.length, 0)
    })
  })
}
