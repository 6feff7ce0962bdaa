import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'

const ADA = 'ada.aimwell@example.invalid' // moderator of Patient safety
const BEN = 'ben.baseline@example.invalid' // member of Patient safety and Primary care QI
const CARA = 'cara.cycle@example.invalid' // owner of Patient safety and the partners' forum (coach)
const ESME = 'esme.exec@example.invalid' // in no network
const FAY = 'fay.feedback@example.invalid' // improvement partner, member of Patient safety and the forum
const LEO = 'leo.learner@example.invalid' // owner of Primary care QI; asked to join the forum
const IVY = 'ivy.infogov@example.invalid' // platform admin: handles patient-data reports
const SAFETY = '/networks/patient-safety'
const HUDDLES = `${SAFETY}/threads/demo-thread-huddles`
const FORUM = '/networks/improvement-partners-forum'

/** Text of the page's <main>. */
const text = (html: string) =>
  (/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')

const location = (res: { headers: Record<string, unknown> }) => {
  const value = res.headers.location
  return typeof value === 'string' ? value : ''
}

for (const { dialect, skip } of await testDialects()) {
  describe(`networks with discussions on ${dialect}`, { skip }, () => {
    let t: TestApp
    let now = new Date()
    const browsers: Record<string, TestBrowser> = {}
    const as = (email: string) => browsers[email]
    const outbox = async (to: string, kind?: string) =>
      (await t.services.mail.list({ to, pageSize: 200 })).items.filter((m) => !kind || m.kind === kind)
    const postIdOf = (location: string) => /#post-(.+)$/.exec(location)?.[1] ?? ''
    const reply = async (email: string, thread: string, body: string) => {
      await as(email).get(thread)
      return as(email).post(`${thread}/replies`, { body })
    }

    before(async () => {
      t = await startTestApp(dialect, { clock: () => now })
      for (const email of [ADA, BEN, CARA, ESME, FAY, LEO, IVY]) {
        browsers[email] = new TestBrowser(t.app)
        await browsers[email].signIn(email)
        await browsers[email].get('/networks') // this session's CSRF token
      }
    })
    after(() => t?.close())

    test('the three demo networks are listed, with a link in the header, and anyone can see the list', async () => {
      const anonymous = await new TestBrowser(t.app).get('/networks')
      assert.equal(anonymous.statusCode, 200)
      for (const name of ['Patient safety', 'Primary care QI', 'Improvement partners’ forum'])
        assert.match(text(anonymous.body), new RegExp(name))
      assert.match(anonymous.body, /<a[^>]+href="\/networks"[^>]*>(<strong[^>]*>)?\s*Networks/)
      assert.equal((await new TestBrowser(t.app).get(HUDDLES)).statusCode, 303, 'threads need a sign-in')
    })

    test('a member proposes a network by request; another asks to join, is approved, and then reads it', async () => {
      const esme = as(ESME)
      await esme.get('/networks/new')
      const bad = await esme.post('/networks', { name: '', purpose: 'short', joinPolicy: 'nope' })
      assert.equal(bad.statusCode, 400)
      assert.deepEqual(errorSummary(bad.body), [
        'Network’s name must be 3 characters or more',
        'What the network is for must be 10 characters or more',
        'Select whether anyone can join or members ask to join',
      ])
      const made = await esme.post('/networks', {
        name: 'Board quality conversations',
        purpose: 'For Board members to talk about quality and improvement data.',
        joinPolicy: 'request',
      })
      assert.equal(made.statusCode, 303)
      const slug = location(made)
      assert.equal(slug, '/networks/board-quality-conversations')
      await esme.get(slug)
      const thread = await esme.post(`${slug}/threads`, {
        title: 'Reading SPC charts at Board',
        body: 'What helps a Board read an SPC chart well?',
      })
      assert.equal(thread.statusCode, 303)
      const threadUrl = location(thread)

      const ben = as(BEN)
      const page = await ben.get(slug)
      assert.doesNotMatch(
        page.body,
        /Reading SPC charts at Board/,
        'a closed network lists no threads to others',
      )
      assert.equal((await ben.get(threadUrl)).statusCode, 404)
      assert.equal((await ben.get(`${slug}/members`)).statusCode, 404)
      assert.equal((await ben.post(`${threadUrl}/replies`, { body: 'Let me in' })).statusCode, 404)
      const asked = await ben.post(`${slug}/join`, {})
      assert.equal(asked.statusCode, 303)
      assert.equal((await ben.get(threadUrl)).statusCode, 404, 'a request is not membership')
      assert.equal(
        (await ben.post(`${slug}/requests/${'x'.repeat(10)}`, { decision: 'approve' })).statusCode,
        404,
      )

      const members = await esme.get(`${slug}/members`)
      assert.match(text(members.body), /Requests to join.*Ben Baseline/)
      const benId = /requests\/([^"]+)"/.exec(members.body)![1]
      // Ben cannot approve himself: the closed network is not his to see yet (404).
      assert.equal((await ben.post(`${slug}/requests/${benId}`, { decision: 'approve' })).statusCode, 404)
      // A moderator of another network cannot decide it either.
      assert.equal((await as(ADA).post(`${slug}/requests/${benId}`, { decision: 'approve' })).statusCode, 404)
      const approved = await esme.post(`${slug}/requests/${benId}`, { decision: 'approve' })
      assert.equal(approved.statusCode, 303)
      assert.equal((await ben.get(threadUrl)).statusCode, 200)
      const audit = await t.services.audit.search({ action: 'network.request_approved' })
      assert.equal(audit.items.length, 1)

      // An open network: joining is at once.
      const joined = await as(ESME).post(`${SAFETY}/join`, {})
      assert.equal(joined.statusCode, 303)
      assert.match(text((await as(ESME).get(SAFETY)).body), /Leave the network/)
    })

    test("a closed network's threads are not shown to non-members; members see only what each member shares", async () => {
      const ada = as(ADA)
      assert.equal((await ada.get(`${FORUM}/threads/demo-thread-welcome`)).statusCode, 404)
      assert.doesNotMatch((await ada.get(FORUM)).body, /Welcome to the forum/)
      assert.equal(
        (await ada.post(`${FORUM}/threads`, { title: 'Hi there', body: 'Hello all' })).statusCode,
        404,
      )
      assert.equal((await as(FAY).get(`${FORUM}/threads/demo-thread-welcome`)).statusCode, 200)
      // Fay is an improvement partner: her address only to those allowed (coaches and admins).
      // The same rule for lists across networks (search): the forum only for its members.
      const ids = async (email: string) => {
        const u = await t.db.database.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', email)
          .executeTakeFirstOrThrow()
        return (await t.services.networks.readableNetworkIds({ id: u.id } as never)).sort()
      }
      assert.ok(!(await ids(ADA)).includes('demo-network-partners-forum'))
      assert.ok((await ids(ADA)).includes('demo-network-patient-safety'))
      assert.ok((await ids(FAY)).includes('demo-network-partners-forum'))
      assert.ok(!(await ids(LEO)).includes('demo-network-partners-forum'), 'a request is not membership')
      assert.deepEqual(await t.services.networks.readableNetworkIds(null), [])
      const fayToAda = await ada.get(`${SAFETY}/members`)
      assert.equal(fayToAda.statusCode, 200)
      assert.match(text(fayToAda.body), /Fay Feedback/)
      assert.doesNotMatch(fayToAda.body, /fay\.feedback@example\.invalid/)
      const fayToCara = await as(CARA).get(`${SAFETY}/members`)
      assert.match(fayToCara.body, /fay\.feedback@example\.invalid/)
    })

    test('Markdown is sanitised: no scripts, iframes or javascript: links', async () => {
      const res = await reply(
        ADA,
        HUDDLES,
        '**Bold** <script>alert(1)</script> <iframe src="https://example.org"></iframe> [click](javascript:alert(2)) <a href="javascript:alert(3)">x</a> <img src=x onerror=alert(4)> [safe](https://example.org/guide)',
      )
      assert.equal(res.statusCode, 303)
      const page = await as(BEN).get(HUDDLES)
      const post = new RegExp(`id="post-${postIdOf(location(res))}"[\\s\\S]*?</li>`).exec(page.body)![0]
      assert.match(post, /<strong>Bold<\/strong>/)
      assert.match(post, /<a href="https:\/\/example.org\/guide">safe<\/a>/)
      assert.doesNotMatch(post, /<script|<iframe|javascript:|onerror|<img/i)
    })

    test('@mentions notify by e-mail; members who want every post get it; each e-mail has one-click unsubscribe headers', async () => {
      const res = await reply(BEN, HUDDLES, 'Thanks @Ada Aimwell, and @Nobody Here: see you at the huddle.')
      assert.equal(res.statusCode, 303)
      const mention = (await outbox(ADA, 'network_mention'))[0]
      assert.ok(mention, 'Ada is told she was mentioned')
      assert.match(mention.subject, /Ben Baseline \(DEMO\) mentioned you in Patient safety/)
      assert.match(mention.text, /Thanks @Ada Aimwell/)
      assert.match(
        mention.headers['List-Unsubscribe'] ?? '',
        /^<http:\/\/localhost:3000\/unsubscribe\/[A-Za-z0-9_-]{40,}>$/,
      )
      assert.equal(mention.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click')
      assert.match(mention.text, /Stop e-mails from this network: http:\/\/localhost:3000\/unsubscribe\//)
      // Cara owns the network and wants every post; Ben is not told of his own post.
      const every = await outbox(CARA, 'network_post')
      assert.ok(every.some((m) => m.text.includes('see you at the huddle')))
      assert.ok(every.every((m) => m.headers['List-Unsubscribe-Post'] === 'List-Unsubscribe=One-Click'))
      assert.equal((await outbox(BEN, 'network_post')).length, 0)
    })

    test('the author may edit within 15 minutes ("edited" is shown), and not after', async () => {
      const res = await reply(ADA, HUDDLES, 'First version of my thought.')
      const id = postIdOf(location(res))
      const edit = `${SAFETY}/posts/${id}/edit`
      assert.equal((await as(BEN).get(edit)).statusCode, 403, 'only the author edits')
      const form = await as(ADA).get(edit)
      assert.equal(form.statusCode, 200)
      assert.match(form.body, /First version of my thought/)
      const saved = await as(ADA).post(edit, { body: 'Second version of my thought.' })
      assert.equal(saved.statusCode, 303)
      const page = await as(BEN).get(HUDDLES)
      const post = new RegExp(`id="post-${id}"[\\s\\S]*?</li>`).exec(page.body)![0]
      assert.match(post, /Second version/)
      assert.match(post, /data-edited>edited</)
      now = new Date(now.getTime() + 16 * 60_000)
      try {
        assert.equal((await as(ADA).get(edit)).statusCode, 403)
        const late = await as(ADA).post(edit, { body: 'Third version.' })
        assert.equal(late.statusCode, 403)
        assert.match(text(late.body), /15 minutes/)
      } finally {
        now = new Date()
      }
    })

    test('a moderator deletes a post: the row stays as "This post was removed", the audit says who and when, never the text', async () => {
      const secret = 'A reply the moderator will remove, with words only here.'
      const res = await reply(BEN, HUDDLES, secret)
      const id = postIdOf(location(res))
      assert.equal(
        (await as(FAY).post(`${SAFETY}/posts/${id}/delete`, {})).statusCode,
        403,
        'not another member',
      )
      const removed = await as(ADA).post(`${SAFETY}/posts/${id}/delete`, {})
      assert.equal(removed.statusCode, 303)
      const page = await as(BEN).get(HUDDLES)
      const post = new RegExp(`id="post-${id}"[\\s\\S]*?</li>`).exec(page.body)![0]
      assert.match(post, /This post was removed/)
      assert.doesNotMatch(page.body, /words only here/)
      const row = await t.db.database.db
        .selectFrom('network_posts')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      assert.equal(row.body, '')
      assert.equal(row.status, 'removed')
      const audit = (await t.services.audit.search({ action: 'network.post_removed' })).items.find(
        (a) => a.entityId === id,
      )!
      assert.ok(audit, 'audited')
      assert.match(audit.actorLabel, /Ada Aimwell/)
      assert.ok(audit.at)
      assert.deepEqual(audit.after, { by: 'moderator', thread: 'demo-thread-huddles', opening: false })
      assert.doesNotMatch(JSON.stringify(audit), /words only here/)
      // Deleting again, and reporting the removed post: clear answers.
      const again = await as(ADA).post(`${SAFETY}/posts/${id}/delete`, {})
      assert.equal(again.statusCode, 303)
      const report = await as(FAY).post(`${SAFETY}/posts/${id}/report`, { reason: 'offensive' })
      assert.equal(report.statusCode, 303)
      const after = await as(FAY).get(location(report))
      assert.match(text(after.body), /already been removed, so there is nothing to report/)
      assert.equal((await as(FAY).get(`${SAFETY}/posts/${id}/report`)).statusCode, 303)
    })

    test('reports go to the moderators’ queue; a patient-data report hides the post at once and goes to the IG lead', async () => {
      const res = await reply(BEN, HUDDLES, 'A reply someone will find rude.')
      const id = postIdOf(location(res))
      const fay = as(FAY)
      const form = await fay.get(`${SAFETY}/posts/${id}/report`)
      assert.equal(form.statusCode, 200)
      const bad = await fay.post(`${SAFETY}/posts/${id}/report`, { reason: 'because' })
      assert.equal(bad.statusCode, 400)
      assert.deepEqual(errorSummary(bad.body), ['Select why you are reporting this post'])
      assert.equal((await fay.post(`${SAFETY}/posts/${id}/report`, { reason: 'offensive' })).statusCode, 303)
      assert.equal((await as(BEN).get(`${SAFETY}/reports`)).statusCode, 403, 'members have no queue')
      const queue = await as(ADA).get(`${SAFETY}/reports`)
      assert.equal(queue.statusCode, 200)
      assert.match(
        text(queue.body),
        /It is abusive, offensive or discriminatory.*A reply someone will find rude/,
      )
      assert.ok((await outbox(CARA, 'network_report')).length >= 1, 'moderators are told')
      const reportId = /data-report="([^"]+)"/.exec(queue.body)![1]
      assert.equal(
        (await as(IVY).post(`${SAFETY}/reports/${reportId}`, { decision: 'remove' })).statusCode,
        404,
      )
      const kept = await as(ADA).post(`${SAFETY}/reports/${reportId}`, { decision: 'dismiss' })
      assert.equal(kept.statusCode, 303)
      assert.doesNotMatch((await as(ADA).get(`${SAFETY}/reports`)).body, /A reply someone will find rude/)

      // Patient data: hidden at once, to everyone; the IG lead decides.
      const leak = await reply(BEN, HUDDLES, 'The lady in bed four was very confused overnight.')
      const leakId = postIdOf(location(leak))
      assert.equal(
        (await fay.post(`${SAFETY}/posts/${leakId}/report`, { reason: 'patient_data' })).statusCode,
        303,
      )
      const hidden = await as(CARA).get(HUDDLES)
      assert.doesNotMatch(hidden.body, /bed four/)
      assert.match(
        new RegExp(`id="post-${leakId}"[\\s\\S]*?</li>`).exec(hidden.body)![0],
        /hidden while the information governance lead checks it/,
      )
      assert.doesNotMatch(
        (await as(ADA).get(`${SAFETY}/reports`)).body,
        /bed four/,
        'not in the moderators’ queue',
      )
      assert.equal((await as(ADA).get('/networks/ig-reports')).statusCode, 403)
      assert.ok((await outbox(IVY, 'network_report_patient_data')).length >= 1, 'the IG lead is told')
      const ig = await as(IVY).get('/networks/ig-reports')
      assert.equal(ig.statusCode, 200)
      assert.match(text(ig.body), /bed four/)
      const igReport = /data-report="([^"]+)"/.exec(ig.body)![1]
      assert.equal(
        (await as(CARA).post(`${SAFETY}/reports/${igReport}`, { decision: 'restore' })).statusCode,
        404,
      )
      const removed = await as(IVY).post(`${SAFETY}/reports/${igReport}`, { decision: 'remove' })
      assert.equal(removed.statusCode, 303)
      const row = await t.db.database.db
        .selectFrom('network_posts')
        .select(['body', 'status'])
        .where('id', '=', leakId)
        .executeTakeFirstOrThrow()
      assert.deepEqual(row, { body: '', status: 'removed' })
      const twice = await as(IVY).post(`${SAFETY}/reports/${igReport}`, { decision: 'remove' })
      assert.equal(twice.statusCode, 303, 'a report already handled is a clear answer')
    })

    test('e-mail preferences and the daily digest job; the unsubscribe link works without signing in, once', async () => {
      const leo = as(LEO)
      const qi = '/networks/primary-care-qi'
      await leo.get(qi)
      const bad = await leo.post(`${qi}/preferences`, { emailPref: 'hourly' })
      assert.equal(bad.statusCode, 400)
      assert.deepEqual(errorSummary(bad.body), ['Select how often you want e-mails from this network'])
      assert.equal((await leo.post(`${qi}/preferences`, { emailPref: 'daily' })).statusCode, 303)
      const before = (await outbox(LEO)).length
      await as(BEN).get(qi)
      const thread = await as(BEN).post(`${qi}/threads`, {
        title: 'Digest test thread',
        body: 'A post for the daily digest.',
      })
      assert.equal(thread.statusCode, 303)
      assert.equal((await outbox(LEO)).length, before, 'a daily member gets no mail per post')
      const job = await t.db.database.db
        .selectFrom('jobs')
        .selectAll()
        .where('kind', '=', 'networks.digest')
        .where('status', '=', 'queued')
        .execute()
      assert.ok(
        job.some((j) => j.dedupe_key?.startsWith('daily:')) &&
          job.some((j) => j.dedupe_key?.startsWith('weekly:')),
      )
      const real = now
      now = new Date(real.getTime() + 2 * 86_400_000)
      try {
        await t.services.jobs.runDue(50)
      } finally {
        now = real
      }
      const digest = (await outbox(LEO, 'network_digest_daily')).find((m) =>
        m.text.includes('Digest test thread'),
      )
      assert.ok(digest, 'Leo gets the daily digest')
      assert.match(digest.subject, /Primary care QI: your daily digest/)
      assert.match(digest.text, /A post for the daily digest/)
      assert.equal(digest.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click')
      assert.equal(
        (await outbox(BEN, 'network_digest_daily')).filter((m) => m.text.includes('Digest test thread'))
          .length,
        0,
        'not his own post',
      )

      const link = /^<http:\/\/localhost:3000(\/unsubscribe\/[^>]+)>$/.exec(
        digest.headers['List-Unsubscribe'],
      )![1]
      const stranger = new TestBrowser(t.app)
      const confirm = await stranger.get(link)
      assert.equal(confirm.statusCode, 200)
      assert.match(h1(confirm.body), /Stop e-mails from Primary care QI/)
      const tampered = await stranger.get(`${link.slice(0, -3)}abc`)
      assert.equal(tampered.statusCode, 404)
      assert.match(text(tampered.body), /This unsubscribe link is not one we know/)
      assert.equal((await stranger.get('/unsubscribe/%00%22%3Cscript%3E')).statusCode < 500, true)
      // One-click from a mail client: no cookie, no CSRF token, RFC 8058's body.
      const oneClick = await t.app.inject({
        method: 'POST',
        url: link,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      assert.equal(oneClick.statusCode, 200)
      assert.match(h1(oneClick.body), /You are unsubscribed/)
      const pref = await t.db.database.db
        .selectFrom('network_members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .select('m.email_pref')
        .where('u.email', '=', LEO)
        .where('m.network_id', '=', 'demo-network-primary-care')
        .executeTakeFirstOrThrow()
      assert.equal(pref.email_pref, 'none')
      const used = await t.app.inject({
        method: 'POST',
        url: link,
        payload: '--x--\r\n',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
      })
      assert.equal(used.statusCode, 410)
      assert.match(text(used.body), /already been used/)
      assert.equal((await stranger.get(link)).statusCode, 410)
      assert.equal((await t.app.inject({ method: 'POST', url: `${link}x` })).statusCode, 404)
    })

    test('hostile input gets a clear answer, never a 500, and nothing typed is lost', async () => {
      const ben = as(BEN)
      // A 1 MB post: the error summary, with the text kept.
      const huge = 'a'.repeat(1024 * 1024)
      const big = await reply(BEN, HUDDLES, huge)
      assert.equal(big.statusCode, 400)
      assert.deepEqual(errorSummary(big.body), [
        'Your post is 1,048,576 characters long: a post can be at most 20,000 characters. Shorten it or split it into several posts',
      ])
      assert.ok(big.body.includes(huge), 'what was typed is shown again')
      await ben.get(`${SAFETY}/threads/new`)
      const bigThread = await ben.post(`${SAFETY}/threads`, { title: 'Big', body: huge })
      assert.equal(bigThread.statusCode, 400)
      await ben.get('/networks/new')
      const bigNetwork = await ben.post('/networks', { name: 'Big', purpose: huge, joinPolicy: 'open' })
      assert.equal(bigNetwork.statusCode, 400)
      assert.deepEqual(errorSummary(bigNetwork.body), [
        'What the network is for must be 2000 characters or fewer',
      ])
      // Patient data in free text is refused, naming the field, never the value.
      const nhs = await reply(BEN, HUDDLES, 'Patient 943 476 5919 was seen')
      assert.equal(nhs.statusCode, 400)
      assert.match(errorSummary(nhs.body)[0] ?? '', /NHS number/)
      const empty = await reply(BEN, HUDDLES, '   ')
      assert.deepEqual(errorSummary(empty.body), ['Enter your post'])
      // A reply to a removed thread.
      await ben.get(`${SAFETY}/threads/new`)
      const made = await ben.post(`${SAFETY}/threads`, { title: 'A thread to remove', body: 'Soon gone.' })
      const threadUrl = location(made)
      const opening = (await ben.get(threadUrl)).body
      const openingId = /id="post-([^"]+)"/.exec(opening)![1]
      assert.equal((await ben.post(`${SAFETY}/posts/${openingId}/delete`, {})).statusCode, 303)
      const gone = await ben.get(threadUrl)
      assert.equal(gone.statusCode, 200)
      assert.match(h1(gone.body), /This discussion was removed/)
      assert.doesNotMatch((await ben.get(SAFETY)).body, /A thread to remove/)
      const late = await reply(BEN, threadUrl, 'My reply that must not be lost')
      assert.equal(late.statusCode, 400)
      assert.match(
        errorSummary(late.body)[0] ?? '',
        /This discussion was removed, so it takes no new replies/,
      )
      assert.match(late.body, /My reply that must not be lost/)
      // Odd addresses and bodies.
      for (const url of [
        `${SAFETY}/threads/nope`,
        `${SAFETY}/threads/${'x'.repeat(900)}`,
        '/networks/%E2%80%AEevil',
        `${SAFETY}/posts/nope/edit`,
        `${SAFETY}/posts/nope/report`,
        '/networks/nope/members',
      ]) {
        const res = await ben.get(url)
        assert.ok([400, 404].includes(res.statusCode), `${url}: ${res.statusCode}`)
      }
      for (const [url, body] of [
        [`${SAFETY}/threads/nope/replies`, { body: 'x' }],
        [`${SAFETY}/posts/nope/delete`, {}],
        [`${SAFETY}/posts/nope/report`, { reason: 'spam' }],
        [`${SAFETY}/reports/nope`, { decision: 'remove' }],
        [`${SAFETY}/threads`, { title: ['a', 'b'], body: { x: 1 } as unknown as string }],
        [`${SAFETY}/preferences`, { emailPref: ['every', 'none'] }],
        ['/networks', { name: '🙂‮ '.repeat(50), purpose: "'; DROP TABLE networks; --", joinPolicy: 'open' }],
      ] as [string, Record<string, string | string[]>][]) {
        const res = await ben.post(url, body)
        assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`)
      }
      const json = await ben.request({
        method: 'POST',
        url: `${SAFETY}/threads`,
        payload: '{"title":"x"}',
        headers: { 'content-type': 'application/json' },
      })
      assert.equal(json.statusCode, 415)
    })
  })
}
