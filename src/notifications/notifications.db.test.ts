import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { PREFERENCE_KIND_NAMES } from './kinds.js'
import { digestWindows } from '../networks/notify.js'

const ADA = 'ada.aimwell@example.invalid'
const BEN = 'ben.baseline@example.invalid'
const CARA = 'cara.cycle@example.invalid' // owner of Patient safety, wants every post
const HUDDLES = '/networks/patient-safety/threads/demo-thread-huddles'
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
const all = (frequency: string) => Object.fromEntries(PREFERENCE_KIND_NAMES.map((k) => [k, frequency]))

for (const { dialect, skip } of await testDialects()) {
  describe(`notification preferences on ${dialect}`, { skip }, () => {
    let t: TestApp
    let now = new Date()
    const browsers: Record<string, TestBrowser> = {}
    const outbox = async (to: string, kind?: string) =>
      (await t.services.mail.list({ to, pageSize: 200 })).items.filter((m) => !kind || m.kind === kind)
    /** What a feature sends: here, "you were added to a project team". */
    const teamMail = (to: string, n = 1) =>
      t.services.mail.enqueue(t.db.database.db, {
        to,
        kind: 'project_team_added',
        subject: `You were added to a project team (${n})`,
        text: `Hello,\n\nYou are now on the team of project ${n}.\n`,
      })
    const save = (email: string, form: Record<string, string>) =>
      browsers[email].submit('/settings/notifications', '/settings/notifications', form)

    before(async () => {
      t = await startTestApp(dialect, { clock: () => now })
      for (const email of [ADA, BEN, CARA]) {
        browsers[email] = new TestBrowser(t.app)
        await browsers[email].signIn(email)
      }
    })
    after(() => t?.close())

    test('the settings page lists every kind with four choices, says what is always sent, and is linked from my work', async () => {
      const home = await browsers[BEN].get('/')
      assert.match(home.body, /href="\/settings\/notifications"/)
      const page = await browsers[BEN].get('/settings/notifications')
      assert.equal(page.statusCode, 200)
      for (const kind of PREFERENCE_KIND_NAMES)
        for (const f of ['immediately', 'daily', 'weekly', 'never'])
          assert.match(page.body, new RegExp(`name="${kind}" type="radio" value="${f}"`), `${kind} ${f}`)
      assert.match(text(page.body), /Always sent/)
      assert.match(text(page.body), /Resetting your password/)
      assert.doesNotMatch(page.body, /name="reset_password"/)
      assert.equal((await new TestBrowser(t.app).get('/settings/notifications')).statusCode, 303)
    })

    test('a bad choice is shown again with the error summary, nothing saved', async () => {
      const res = await save(BEN, { ...all('immediately'), project_team: 'hourly' })
      assert.equal(res.statusCode, 400)
      assert.deepEqual(errorSummary(res.body), ['Choose how often you want these e-mails'])
      const missing = await save(BEN, { project_team: 'never' })
      assert.equal(missing.statusCode, 400)
    })

    test('"immediately" sends with a one-click unsubscribe that works without signing in, once', async () => {
      await teamMail(BEN, 1)
      const [mail] = await outbox(BEN, 'project_team_added')
      assert.ok(mail, 'sent at once (no choice stored means immediately)')
      const header = mail.headers['List-Unsubscribe'] ?? ''
      assert.match(header, /^<http:\/\/localhost:3000\/notifications\/unsubscribe\/[A-Za-z0-9_-]{40,}>$/)
      assert.equal(mail.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click')
      assert.match(
        mail.text,
        /Stop e-mails about being added to a project team: http:\/\/localhost:3000\/notifications\/unsubscribe\//,
      )
      assert.match(mail.text, /\/settings\/notifications/)
      const path = header.slice(1, -1).replace('http://localhost:3000', '')
      const visitor = new TestBrowser(t.app)
      // One table holds every list's tokens: this one works here only, not as a network's or the
      // Steering Group digest's link (both answer "not one we know", and nothing is used up).
      const token = path.split('/').pop()!
      for (const elsewhere of [`/unsubscribe/${token}`, `/steering-group/digest/unsubscribe/${token}`]) {
        assert.equal((await visitor.get(elsewhere)).statusCode, 404, elsewhere)
        assert.equal((await t.app.inject({ method: 'POST', url: elsewhere })).statusCode, 404, elsewhere)
      }
      const confirm = await visitor.get(path)
      assert.equal(confirm.statusCode, 200)
      assert.match(text(confirm.body), /no more e-mails about being added to a project team/)
      // A mail client's one-click POST: no cookie, no CSRF token, any body.
      const click = await t.app.inject({
        method: 'POST',
        url: path,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      assert.equal(click.statusCode, 200)
      assert.match(text(click.body), /You are unsubscribed/)
      const again = await t.app.inject({ method: 'POST', url: path })
      assert.equal(again.statusCode, 410)
      assert.match(text(again.body), /already been used/)
      assert.equal((await visitor.get(path)).statusCode, 410)
      const tampered = await visitor.get(`${path.slice(0, -3)}xyz`)
      assert.equal(tampered.statusCode, 404)
      assert.match(text(tampered.body), /not one we know/)
      // Now "never": the next team e-mail is not sent, and the settings page says so.
      await teamMail(BEN, 2)
      assert.equal((await outbox(BEN, 'project_team_added')).length, 1)
      const page = await browsers[BEN].get('/settings/notifications')
      assert.match(page.body, /name="project_team" type="radio" value="never" checked/)
    })

    test('security e-mail is always sent, whatever the choices', async () => {
      assert.equal((await save(ADA, all('never'))).statusCode, 303)
      await new TestBrowser(t.app).submit('/forgotten-password', '/forgotten-password', {
        email: ADA,
      })
      const [reset] = await outbox(ADA, 'reset_password')
      assert.ok(reset, 'the reset e-mail is sent')
      assert.equal(reset.headers['List-Unsubscribe'], undefined, 'and has no unsubscribe')
      await teamMail(ADA, 3)
      assert.equal((await outbox(ADA, 'project_team_added')).length, 0)
    })

    test('daily and weekly kinds are gathered into one digest per person and period by a job, never sent twice', async () => {
      assert.equal(
        (await save(CARA, { ...all('immediately'), project_team: 'daily', support: 'weekly' })).statusCode,
        303,
      )
      await teamMail(CARA, 4)
      await teamMail(CARA, 5)
      await t.services.mail.enqueue(t.db.database.db, {
        to: CARA,
        kind: 'support_request_status',
        subject: 'Your support request has been accepted',
        text: 'Accepted.',
      })
      assert.equal((await outbox(CARA, 'project_team_added')).length, 0, 'held, not sent')
      await t.services.jobs.runDue(50)
      assert.equal((await outbox(CARA, 'notification_digest_daily')).length, 0, 'not before the day is over')
      const w = digestWindows(now)
      now = new Date(Date.parse(w.daily.runAt) + 60_000)
      await t.services.jobs.runDue(50)
      const daily = await outbox(CARA, 'notification_digest_daily')
      assert.equal(daily.length, 1)
      assert.match(daily[0].subject, /Your daily digest: 2 messages/)
      assert.match(daily[0].text, /project 4[\s\S]*project 5/)
      assert.doesNotMatch(daily[0].text, /Accepted/, 'the weekly kind waits for the week')
      assert.match(daily[0].headers['List-Unsubscribe'] ?? '', /\/notifications\/unsubscribe\//)
      // Another digest job for the same day (a second instance, a retry) finds nothing left to send.
      await t.services.jobs.enqueue('notifications.digest', {
        period: 'daily',
        to: w.daily.to,
        key: w.daily.key,
      })
      await t.services.jobs.runDue(50)
      assert.equal((await outbox(CARA, 'notification_digest_daily')).length, 1)
      now = new Date(Date.parse(w.weekly.runAt) + 60_000)
      await t.services.jobs.runDue(50)
      const weekly = await outbox(CARA, 'notification_digest_weekly')
      assert.equal(weekly.length, 1)
      assert.match(weekly[0].text, /Accepted/)
      // The digest's own link stops everything that came in it.
      const path = (weekly[0].headers['List-Unsubscribe'] ?? '')
        .slice(1, -1)
        .replace('http://localhost:3000', '')
      assert.equal((await t.app.inject({ method: 'POST', url: path })).statusCode, 200)
      now = new Date()
      for (const email of [BEN, CARA]) {
        browsers[email] = new TestBrowser(t.app)
        await browsers[email].signIn(email)
      }
      const page = await browsers[CARA].get('/settings/notifications')
      assert.match(page.body, /name="support" type="radio" value="never" checked/)
      assert.match(page.body, /name="project_team" type="radio" value="daily" checked/)
    })

    test('networks: the central "network posts" choice applies on top of the per-network one, whose link stays', async () => {
      assert.equal((await save(CARA, { ...all('immediately'), network_posts: 'never' })).statusCode, 303)
      await browsers[BEN].get(HUDDLES)
      assert.equal(
        (await browsers[BEN].post(`${HUDDLES}/replies`, { body: 'A first huddle note.' })).statusCode,
        303,
      )
      assert.equal(
        (await outbox(CARA, 'network_post')).length,
        0,
        'Cara wants every post there, but no network posts at all',
      )
      assert.equal((await save(CARA, all('immediately'))).statusCode, 303)
      await browsers[BEN].get(HUDDLES)
      assert.equal(
        (await browsers[BEN].post(`${HUDDLES}/replies`, { body: 'A second huddle note.' })).statusCode,
        303,
      )
      const [post] = await outbox(CARA, 'network_post')
      assert.ok(post)
      assert.match(
        post.headers['List-Unsubscribe'] ?? '',
        /^<http:\/\/localhost:3000\/unsubscribe\//,
        'the network’s own link',
      )
      // …which the notifications' own unsubscribe page does not take.
      const networkToken = /\/unsubscribe\/([^>]+)>$/.exec(post.headers['List-Unsubscribe'] ?? '')![1]
      const wrongPlace = await t.app.inject({
        method: 'POST',
        url: `/notifications/unsubscribe/${networkToken}`,
      })
      assert.equal(wrongPlace.statusCode, 404)
      assert.match(post.text, /\/settings\/notifications/)
    })
  })
}
