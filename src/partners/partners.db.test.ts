import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
const PROJECT = 'demo-project-discharge'
const PLAIN = `/projects/${PROJECT}/for-partners`
const LOG = `/projects/${PROJECT}/involvement`
const NHS = '943 476 5919'

for (const { dialect, skip } of await testDialects()) {
  describe(`improvement partners on ${dialect}`, { skip }, () => {
    let t: TestApp
    const people: Record<string, TestBrowser> = {}
    const db = () => t.db.database.db
    before(async () => {
      t = await startTestApp(dialect)
      for (const who of ['ada.aimwell', 'ben.baseline', 'cara.cycle', 'fay.feedback', 'leo.learner']) {
        const b = new TestBrowser(t.app)
        await b.signIn(`${who}@example.invalid`)
        people[who.split('.')[0]] = b
      }
    })
    after(() => t?.close())

    test('the plain-English view: a partner and a member read it; the project page links to it', async () => {
      const overview = await people.fay.get(`/projects/${PROJECT}`)
      assert.match(overview.body, new RegExp(`href="${PLAIN}">Read this project in plain English`))
      for (const who of ['fay', 'leo']) {
        const res = await people[who].get(PLAIN)
        assert.equal(res.statusCode, 200, who)
        const body = text(res.body)
        assert.match(body, /What the team wants to change, and why/)
        assert.match(body, /Most patients on Ward 3 who are ready to go home/, 'the problem')
        assert.match(body, /What they have tried/)
        assert.match(body, /What changed/)
        assert.match(body, /You said: DEMO: On the day you go home/, 'the demo "you said, we did"')
        assert.doesNotMatch(res.body, /for-partners\/you-said\/new/, `${who} cannot add one`)
        assert.doesNotMatch(body, /reading age about/, 'the reading-age advice is for the team')
      }
      const anonymous = await new TestBrowser(t.app).get(PLAIN)
      assert.equal(anonymous.statusCode, 303, 'a community project asks visitors to sign in')
      assert.equal((await people.leo.get('/projects/no-such-project/for-partners')).statusCode, 404)
    })

    test('"you said, we did": the team adds and edits it with reading-age advice; others are refused', async () => {
      const jargon = {
        youSaid:
          'Implementation of standardised discharge documentation necessitates multidisciplinary collaboration.',
        weDid: 'Consequently, organisational communication infrastructure was comprehensively reconfigured.',
        saidOnDay: '1',
        saidOnMonth: '10',
        saidOnYear: '2026',
      }
      let res = await people.ada.submit(`${PLAIN}/you-said/new`, `${PLAIN}/you-said`, jargon)
      assert.equal(res.statusCode, 303)
      res = await people.ada.get(PLAIN)
      assert.match(text(res.body), /This may be hard to read/, 'a warning, above reading age 11')
      assert.match(
        text(res.body),
        /Consequently, organisational communication/,
        'and it is saved all the same',
      )
      const row = await db()
        .selectFrom('partner_you_said')
        .select(['id', 'author_id'])
        .where('we_did', 'like', 'Consequently%')
        .executeTakeFirstOrThrow()
      // Ben (a team member) makes it plain.
      res = await people.ben.submit(`${PLAIN}/you-said/${row.id}/edit`, `${PLAIN}/you-said/${row.id}/edit`, {
        ...jargon,
        youSaid: 'You said the letters were late.',
        weDid: 'We now write them the day before.',
      })
      assert.equal(res.statusCode, 303)
      const body = text((await people.ada.get(PLAIN)).body)
      assert.match(body, /You said: You said the letters were late/)
      assert.doesNotMatch(body, /Consequently/)
      // Bad input is shown again with the error summary; patient data is refused.
      res = await people.ada.submit(`${PLAIN}/you-said/new`, `${PLAIN}/you-said`, { youSaid: '', weDid: '' })
      assert.equal(res.statusCode, 400)
      assert.deepEqual(errorSummary(res.body).slice(0, 2), [
        'Enter what partners said',
        'Enter what the team did',
      ])
      res = await people.ada.post(`${PLAIN}/you-said`, { ...jargon, youSaid: `NHS number ${NHS}` })
      assert.equal(res.statusCode, 400)
      res = await people.ada.post(`${PLAIN}/you-said`, { ...jargon, saidOnYear: '2099' })
      assert.equal(res.statusCode, 400)
      assert.match(text(res.body), /The date must be today or in the past/)
      // Not the team: a partner on it with the read-only role, a member elsewhere.
      for (const who of ['fay', 'leo']) {
        await people[who].get(PLAIN)
        res = await people[who].post(`${PLAIN}/you-said`, { ...jargon, weDid: `Try by ${who}` })
        assert.equal(res.statusCode, 403, who)
        res = await people[who].post(`${PLAIN}/you-said/${row.id}/edit`, jargon)
        assert.equal(res.statusCode, 403, who)
        assert.equal((await people[who].get(`${PLAIN}/you-said/new`)).statusCode, 403, who)
      }
      const audit = await db()
        .selectFrom('audit_log')
        .select(['action', 'after'])
        .where('action', 'like', 'partners.you_said%')
        .execute()
      assert.equal(audit.length, 2)
      assert.doesNotMatch(JSON.stringify(audit), /letters|Consequently/, 'no free text in the audit log')
    })

    test('a partner on the team reads the project but cannot change its details', async () => {
      const member = await db()
        .selectFrom('project_members')
        .innerJoin('users', 'users.id', 'project_members.user_id')
        .select('project_members.role')
        .where('project_id', '=', PROJECT)
        .where('users.email', '=', 'fay.feedback@example.invalid')
        .executeTakeFirstOrThrow()
      assert.equal(member.role, 'partner')
      const page = await people.fay.get(`/projects/${PROJECT}`)
      assert.equal(page.statusCode, 200)
      assert.doesNotMatch(
        page.body,
        new RegExp(`/projects/${PROJECT}/edit"`),
        'no "Change" link on the details',
      )
      assert.match(
        (await people.ben.get(`/projects/${PROJECT}`)).body,
        new RegExp(`/projects/${PROJECT}/edit"`),
      )
      const res = await people.fay.post(`/projects/${PROJECT}/edit`, {
        title: 'Changed by a partner',
        version: '1',
      })
      assert.equal(res.statusCode, 403)
      // Added as a team member, a partner joins read-only (the lead may give them more later).
      const fay = await db()
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'fay.feedback@example.invalid')
        .executeTakeFirstOrThrow()
      const version = async () =>
        String(
          (
            await db()
              .selectFrom('projects')
              .select('version')
              .where('id', '=', PROJECT)
              .executeTakeFirstOrThrow()
          ).version,
        )
      await people.ada.get(`/projects/${PROJECT}/team`)
      let step = await people.ada.post(`/projects/${PROJECT}/team/${fay.id}/remove`, {
        version: await version(),
      })
      assert.equal(step.statusCode, 303)
      step = await people.ada.post(`/projects/${PROJECT}/team`, {
        email: 'fay.feedback@example.invalid',
        role: 'member',
        version: await version(),
      })
      assert.equal(step.statusCode, 303)
      const again = await db()
        .selectFrom('project_members')
        .select('role')
        .where('project_id', '=', PROJECT)
        .where('user_id', '=', fay.id)
        .executeTakeFirstOrThrow()
      assert.equal(again.role, 'partner')
    })

    test('the involvement log: the partner adds; bad input is refused; the lead approves, pays and downloads', async () => {
      const fay = people.fay
      let res = await fay.get('/partners/involvement')
      assert.equal(res.statusCode, 200)
      assert.match(text(res.body), /DEMO: Team meeting to plan the next test/)
      assert.match(text(res.body), /£12\.50/)
      const good = {
        projectId: PROJECT,
        involvedOnDay: '2',
        involvedOnMonth: '11',
        involvedOnYear: '2026',
        sessions: '2',
        hours: '1.5',
        whatFor: '=HYPERLINK("x") reading the new leaflet',
        expenses: '8.40',
      }
      const refused: [Record<string, string>, RegExp][] = [
        [{ expenses: '-5' }, /Expenses must be £0 or more/],
        [{ expenses: '1000.01' }, /One entry can claim up to £1,000/],
        [{ expenses: 'lots' }, /Enter the amount in pounds and pence/],
        [{ involvedOnYear: '2099' }, /The date you took part must be today or in the past/],
        [{ projectId: '' }, /Choose the project/],
        [{ projectId: 'demo-project-referrals' }, /Choose a project whose team you are on/],
        [{ projectId: 'no-such-project' }, /Choose a project whose team you are on/],
        [{ whatFor: `Patient ${NHS}` }, /NHS number/],
      ]
      for (const [change, message] of refused) {
        res = await fay.post('/partners/involvement', { ...good, ...change })
        assert.equal(res.statusCode, 400, JSON.stringify(change))
        assert.match(text(res.body), message)
      }
      res = await fay.post('/partners/involvement', good)
      assert.equal(res.statusCode, 303)
      const entry = await db()
        .selectFrom('partner_involvement')
        .selectAll()
        .where('what_for', 'like', '%leaflet')
        .executeTakeFirstOrThrow()
      assert.deepEqual(
        [entry.expenses_pence, entry.minutes, entry.sessions, entry.status, entry.involved_on],
        [840, 90, 2, 'claimed', '2026-11-02'],
      )
      // Nobody but partners keeps a log.
      await people.leo.get('/projects')
      assert.equal((await people.leo.post('/partners/involvement', good)).statusCode, 403)
      assert.equal((await people.leo.get('/partners/involvement')).statusCode, 403)

      // The project's lead sees it and approves; the team's other people, and the partner, do not.
      res = await people.ada.get(LOG)
      assert.equal(res.statusCode, 200)
      assert.match(text(res.body), /Fay Feedback/)
      for (const who of ['ben', 'cara', 'fay', 'leo'])
        assert.equal((await people[who].get(LOG)).statusCode, 403, who)
      for (const who of ['ben', 'fay'])
        assert.equal(
          (await people[who].post(`${LOG}/${entry.id}/status`, { status: 'approved' })).statusCode,
          403,
          who,
        )
      await people.ada.get(LOG)
      res = await people.ada.post(`${LOG}/${entry.id}/status`, { status: 'paid' })
      assert.equal(res.statusCode, 409, 'paid only once approved')
      res = await people.ada.post(`${LOG}/${entry.id}/status`, { status: 'approved' })
      assert.equal(res.statusCode, 303)
      res = await people.ada.post(`${LOG}/${entry.id}/status`, { status: 'paid' })
      assert.equal(res.statusCode, 303)
      assert.equal(
        (
          await db()
            .selectFrom('partner_involvement')
            .select('status')
            .where('id', '=', entry.id)
            .executeTakeFirstOrThrow()
        ).status,
        'paid',
      )
      assert.equal(
        (await people.ada.post(`${LOG}/no-such-entry/status`, { status: 'approved' })).statusCode,
        404,
      )

      // The CSV for finance: the lead only; formula cells are escaped.
      const csv = await people.ada.get(`${LOG}.csv`)
      assert.equal(csv.statusCode, 200)
      assert.match(String(csv.headers['content-type']), /text\/csv/)
      assert.match(csv.body, /Fay Feedback \(DEMO\),Timely discharge/)
      assert.match(csv.body, /,8\.40,paid\r\n/)
      assert.match(csv.body, /,12\.50,claimed\r\n/)
      assert.match(csv.body, /"'=HYPERLINK\(""x""\) reading the new leaflet"/)
      assert.equal((await people.ben.get(`${LOG}.csv`)).statusCode, 403)

      const audit = await db()
        .selectFrom('audit_log')
        .select(['action', 'before', 'after'])
        .where('action', 'like', 'partners.involvement%')
        .execute()
      assert.deepEqual(audit.map((a) => a.action).sort(), [
        'partners.involvement_add',
        'partners.involvement_export',
        'partners.involvement_status',
        'partners.involvement_status',
      ])
      assert.doesNotMatch(JSON.stringify(audit), /leaflet|HYPERLINK/, 'no free text in the audit log')
      assert.match(JSON.stringify(audit), /840/)
    })

    test('the reading age is the Steering Group’s to set', async () => {
      const cara = people.cara
      let res = await cara.get('/partners/settings')
      assert.equal(res.statusCode, 200)
      assert.match(res.body, /value="11"/)
      res = await cara.post('/partners/settings', { maxReadingAge: '3' })
      assert.equal(res.statusCode, 400)
      assert.match(text(res.body), /Enter 7 years or more/)
      res = await cara.post('/partners/settings', { maxReadingAge: '18' })
      assert.equal(res.statusCode, 303)
      assert.doesNotMatch(text((await people.ada.get(PLAIN)).body), /This may be hard to read/)
      for (const who of ['ada', 'fay'])
        assert.equal(
          (await people[who].post('/partners/settings', { maxReadingAge: '12' })).statusCode,
          403,
          who,
        )
      res = await cara.post('/partners/settings', { maxReadingAge: '11' })
      assert.equal(res.statusCode, 303)
    })
  })
}
