import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { pdfText } from '../testing/pdf-text.js'
import { NOW } from './test-fixtures.js'

const course = {
  title: 'Safety huddles',
  summary: 'Short daily huddles.',
  level: 'foundation',
  mode: 'in_person',
  eligibility: 'all',
  minAttendancePct: '100',
  certificateValidMonths: '12',
  published: 'on',
  version: '0',
}
const cohort = {
  name: 'January',
  capacity: '1',
  closesDate: '2027-01-11',
  closesTime: '17:00',
  venue: 'Sanger House',
  onlineUrl: '',
  facilitators: 'Dev',
  version: '0',
}
const session = {
  title: 'Huddle day',
  date: '2027-01-12',
  startTime: '09:30',
  endTime: '12:30',
  venue: '',
  onlineUrl: '',
}

for (const { dialect, skip } of await testDialects()) {
  describe(`cohorts, registers, completion and certificates on ${dialect}`, { skip }, () => {
    let t: TestApp
    let now = NOW
    let cohortUrl = ''
    before(async () => {
      t = await startTestApp(dialect, { clock: () => now })
    })
    after(() => t?.close())

    const idOf = async (table: 'enrolments', email: string) => {
      const u = await t.db.database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
      return (
        await t.db.database.db
          .selectFrom(table)
          .select('id')
          .where('user_id', '=', u.id)
          .where('cohort_id', '=', cohortUrl.split('/')[3])
          .executeTakeFirstOrThrow()
      ).id
    }

    test('cohorts and sessions refuse bad dates, links, places and overlaps with clear messages', async () => {
      const dev = new TestBrowser(t.app)
      await dev.signIn('dev.driver@example.invalid')
      await dev.submit('/learning/faculties/qsir/courses/new', '/learning/faculties/qsir/courses/new', course)
      await dev.get('/learning/courses/safety-huddles/cohorts/new')
      const bad = await dev.post('/learning/courses/safety-huddles/cohorts/new', {
        ...cohort,
        name: '',
        capacity: '0',
        closesDate: '2027-02-30',
        onlineUrl: 'javascript:alert(1)',
      })
      assert.equal(bad.statusCode, 400)
      assert.deepEqual(errorSummary(bad.body), [
        'Enter the cohort name',
        'Number of places must be 1 or more',
        'Date enrolment closes must be a real date, for example 2027-03-15',
        'Online joining link must start with https:// or http://',
      ])
      const made = await dev.post('/learning/courses/safety-huddles/cohorts/new', cohort)
      assert.equal(made.statusCode, 303)
      cohortUrl = String(made.headers.location)
      const sessionsUrl = cohortUrl.replace('/manage', '/sessions/new')
      await dev.get(sessionsUrl)
      const backwards = await dev.post(sessionsUrl, { ...session, startTime: '12:30', endTime: '09:30' })
      assert.deepEqual(errorSummary(backwards.body), ['The end time must be after the start time'])
      assert.equal((await dev.post(sessionsUrl, session)).statusCode, 303)
      const overlap = await dev.post(sessionsUrl, {
        ...session,
        title: 'Follow-up',
        startTime: '12:00',
        endTime: '13:00',
      })
      assert.equal(overlap.statusCode, 400)
      assert.match(
        errorSummary(overlap.body)[0],
        /^This session overlaps “Huddle day” \(Tuesday, 12 January 2027 at 09:30 to 12:30\)/,
      )
      const manage = await dev.get(cohortUrl)
      assert.match(manage.body, /Huddle day/)
    })

    test('a full cohort puts the next person on the waiting list; a withdrawal promotes them and tells them', async () => {
      const ben = new TestBrowser(t.app)
      await ben.signIn('ben.baseline@example.invalid')
      const cohortId = cohortUrl.split('/')[3]
      await ben.get('/learning/courses/safety-huddles')
      assert.equal((await ben.post(`/learning/cohorts/${cohortId}/enrol`, {})).statusCode, 303)
      const leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      const page = await leo.get('/learning/courses/safety-huddles')
      assert.match(page.body, /Join the waiting list/)
      await leo.post(`/learning/cohorts/${cohortId}/enrol`, {})
      assert.match((await leo.get('/learning/courses/safety-huddles')).body, /you are on the waiting list/)
      const dev = new TestBrowser(t.app)
      await dev.signIn('dev.driver@example.invalid')
      await dev.get(cohortUrl.replace('/manage', '/edit'))
      const shrink = await dev.post(cohortUrl.replace('/manage', '/edit'), {
        ...cohort,
        capacity: '0',
        version: '1',
      })
      assert.deepEqual(errorSummary(shrink.body), ['Number of places must be 1 or more'])
      const course = await ben.get('/learning/courses/safety-huddles')
      const benPlace = await idOf('enrolments', 'ben.baseline@example.invalid')
      assert.doesNotMatch(
        course.body,
        /<form[^>]*\/withdraw"/,
        'withdrawing is a link to a confirmation page',
      )
      const confirm = await ben.get(`/learning/enrolments/${benPlace}/withdraw`)
      assert.match(h1(confirm.body), /^Withdraw from /)
      assert.match(confirm.body, /What will be lost/)
      const withdrawn = await ben.post(`/learning/enrolments/${benPlace}/withdraw`, {})
      assert.equal(withdrawn.statusCode, 303)
      const mail = await t.services.mail.list({ to: 'leo.learner@example.invalid' })
      assert.equal(mail.items[0].kind, 'learning_promoted')
      assert.match(
        (await leo.get('/learning/courses/safety-huddles')).body,
        /Your place:\s*<strong class="nhsuk-tag nhsuk-tag--green">\s*Enrolled/,
      )
    })

    test('the register marks who is present; completion issues a certificate the learner downloads', async () => {
      const dev = new TestBrowser(t.app)
      await dev.signIn('dev.driver@example.invalid')
      const manage = await dev.get(cohortUrl)
      assert.match(manage.body, /Opens when the session starts/, 'no register link before the session')
      const sessionId = /href="\/learning\/sessions\/([^"/]+)\/edit"/.exec(manage.body)![1]
      const registerUrl = `/learning/sessions/${sessionId}/register`
      const leoId = await idOf('enrolments', 'leo.learner@example.invalid')
      // Before the session starts (Tuesday 12 January, 09:30) the register is closed.
      const early = await dev.get(registerUrl)
      assert.equal(early.statusCode, 409)
      assert.match(early.body, /once the session has started \(Tue, 12 Jan 2027, 09:30/)
      assert.doesNotMatch(early.body, /Save register/)
      const tooSoon = await dev.post(registerUrl, { present: [leoId] })
      assert.equal(tooSoon.statusCode, 400)
      assert.match(errorSummary(tooSoon.body)[0], /once the session has started/)
      const notYet = await dev.post(cohortUrl.replace('/manage', '/complete'), {})
      assert.equal(notYet.statusCode, 400)
      assert.match(errorSummary(notYet.body)[0], /Huddle day is still to come/)
      now = new Date('2027-01-12T12:00:00.000Z')
      await dev.signIn('dev.driver@example.invalid') // two days on, the first session has expired
      const register = await dev.get(registerUrl)
      assert.equal(register.statusCode, 200)
      assert.equal(h1(register.body), 'Register: Huddle day')
      assert.match(register.body, /Leo Learner/)
      assert.doesNotMatch(register.body, /Ben Baseline/, 'people who withdrew are not on the register')
      const json = await dev.request({
        method: 'POST',
        url: registerUrl,
        headers: { 'content-type': 'application/json', 'x-csrf-token': dev.csrf },
        payload: JSON.stringify({ present: [1, 2] }),
      })
      assert.ok(
        [400, 415].includes(json.statusCode),
        `a JSON body is refused, not a crash: ${json.statusCode}`,
      )
      if (json.statusCode === 400)
        assert.deepEqual(errorSummary(json.body), ['Select learners from the register'])
      const forged = await dev.post(registerUrl, { present: 'someone-else' })
      assert.deepEqual(errorSummary(forged.body), ['Select learners from the register'])
      const saved = await dev.post(registerUrl, { present: [leoId] })
      assert.equal(saved.statusCode, 303)
      const deleteSession = await dev.post(registerUrl.replace('/register', '/delete'), {})
      assert.equal(deleteSession.statusCode, 400)
      assert.match(deleteSession.body, /has a register, so it cannot be deleted/)
      const done = await dev.post(cohortUrl.replace('/manage', '/complete'), {})
      assert.equal(done.statusCode, 303)
      assert.match((await dev.get(cohortUrl)).body, /1 completed and was sent a certificate/)
      const leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      const record = await leo.get('/learning/record')
      assert.match(record.body, /Safety huddles/)
      assert.match(record.body, /Highest level reached[\s\S]*Foundation/)
      const pdfUrl = /href="(\/learning\/certificates\/[^"]+\/certificate\.pdf)"/.exec(record.body)![1]
      const pdf = await leo.get(pdfUrl)
      assert.equal(pdf.statusCode, 200)
      assert.equal(pdf.headers['content-type'], 'application/pdf')
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-')
      const text = pdfText(pdf.rawPayload).lines
      for (const line of [
        'Leo Learner (DEMO)',
        'Safety huddles',
        'Awarded on 12 January 2027. Valid until 12 January 2028',
      ])
        assert.ok(text.includes(line), `${line} in ${JSON.stringify(text)}`)
      const ben = new TestBrowser(t.app)
      await ben.signIn('ben.baseline@example.invalid')
      assert.equal((await ben.get(pdfUrl)).statusCode, 404, 'only the learner (and the faculty) download it')
    })

    test('anyone can check a code; forged, revoked and expired codes say only "not valid"', async () => {
      const cert = await t.db.database.db
        .selectFrom('certificates')
        .select(['id', 'code'])
        .where('course_title', '=', 'Safety huddles')
        .executeTakeFirstOrThrow()
      const anon = new TestBrowser(t.app)
      const form = await anon.get('/certificates/verify')
      assert.equal(form.statusCode, 200, 'the form itself, with no code yet')
      assert.equal(h1(form.body), 'Check a certificate')
      const typed =
        `${cert.code.slice(0, 4)}-${cert.code.slice(4, 8)}-${cert.code.slice(8, 12)}-${cert.code.slice(12)}`.toLowerCase()
      const valid = await anon.get(`/certificates/verify?code=${encodeURIComponent(typed)}`)
      assert.equal(valid.statusCode, 200)
      assert.equal(h1(valid.body), 'This certificate is valid')
      for (const fact of ['Leo Learner (DEMO)', 'Safety huddles', 'Foundation', '12 January 2027'])
        assert.ok(valid.body.includes(fact), fact)
      assert.equal((await anon.get(`/certificates/verify/${cert.code}`)).statusCode, 200)
      const forged = await anon.get('/certificates/verify/ABCD-EFGH-JKMN-PQRS')
      assert.equal(forged.statusCode, 404)
      assert.equal(h1(forged.body), 'This code is not valid')
      assert.doesNotMatch(forged.body, /Leo|Safety huddles/)
      const empty = await anon.get('/certificates/verify?code=')
      assert.deepEqual(errorSummary(empty.body), ['Enter the certificate code'])
      now = new Date(NOW.getTime() + 400 * 86_400_000)
      const expired = await anon.get(`/certificates/verify/${cert.code}`)
      assert.equal(h1(expired.body), 'This code is not valid', 'the course gives certificates 12 months')
      now = NOW
      const dev = new TestBrowser(t.app)
      await dev.signIn('dev.driver@example.invalid')
      const manage = await dev.get(cohortUrl)
      assert.doesNotMatch(manage.body, /<form[^>]*\/revoke"/, 'revoking is a link to a confirmation page')
      const confirm = await dev.get(`/learning/certificates/${cert.id}/revoke`)
      assert.match(h1(confirm.body), /^Revoke .+(&#39;|')s certificate for /)
      const noReason = await dev.post(`/learning/certificates/${cert.id}/revoke`, { reason: '' })
      assert.equal(noReason.statusCode, 400)
      assert.deepEqual(errorSummary(noReason.body), ['Enter the reason for revoking the certificate'])
      const anonymous = await anon.get(`/learning/certificates/${cert.id}/revoke`)
      assert.equal(anonymous.statusCode, 303)
      assert.match(String(anonymous.headers.location), /^\/sign-in/)
      assert.equal(
        (await dev.post(`/learning/certificates/${cert.id}/revoke`, { reason: 'Issued in error' }))
          .statusCode,
        303,
      )
      const revoked = await anon.get(`/certificates/verify/${cert.code}`)
      assert.equal(h1(revoked.body), 'This code is not valid')
      assert.doesNotMatch(revoked.body, /Issued in error|Leo/)
    })

    test('calendar files for a session and a cohort are valid iCalendar; online links only for people with a place', async () => {
      const anon = new TestBrowser(t.app)
      const ics = await anon.get('/learning/cohorts/coh-qsir-board-1/calendar.ics')
      assert.equal(ics.headers['content-type'], 'text/calendar; charset=utf-8')
      assert.match(String(ics.headers['content-disposition']), /attachment; filename=".*\.ics"/)
      assert.ok(ics.body.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'))
      assert.equal((ics.body.match(/BEGIN:VEVENT/g) ?? []).length, 2)
      assert.match(ics.body, /DTSTAMP:\d{8}T\d{6}Z\r\n/)
      assert.doesNotMatch(ics.body, /meet\.example\.org/)
      const session = await anon.get('/learning/sessions/coh-qsir-prac-spring-s1/calendar.ics')
      assert.match(session.body, /UID:coh-qsir-prac-spring-s1@localhost\r\n/)
      const leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      const dev = new TestBrowser(t.app)
      await dev.signIn('dev.driver@example.invalid')
      assert.match(
        (await dev.get('/learning/cohorts/coh-qsir-board-1/calendar.ics')).body,
        /meet\.example\.org/,
      )
      assert.equal((await anon.get('/learning/sessions/nope/calendar.ics')).statusCode, 404)
    })
  })
}
