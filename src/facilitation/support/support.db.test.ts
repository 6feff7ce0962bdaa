import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Transporter } from 'nodemailer'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../../testing/app.js'
import { testDialects } from '../../testing/databases.js'
import { MailService } from '../../mail/service.js'
import { demoUser } from '../../events/test-helpers.js'
import { SupportService } from './service.js'
import { NOW, requestForm, statusOf, submit } from '../test-helpers.js'

for (const { dialect, skip } of await testDialects()) {
  describe(`support requests on ${dialect}`, { skip }, () => {
    let t: TestApp
    const gus = () => new TestBrowser(t.app)
    before(async () => {
      t = await startTestApp(dialect, { clock: () => NOW })
    })
    after(() => t?.close())

    test('a programme lead asks for support; the request, its history, the audit and the e-mails are recorded', async () => {
      const lead = gus()
      await lead.signIn('gus.gateway@example.invalid')
      const form = await lead.get('/support/requests/new?programme=virtual-ward')
      assert.equal(h1(form.body), 'Ask for facilitation support')
      assert.match(form.body, /<option value="prog-virtual-ward" selected>/)
      const id = await submit(lead)
      const page = await lead.get(`/support/requests/${id}`)
      assert.equal(h1(page.body), 'Stakeholder design workshops')
      assert.match(page.body, /Submitted/)
      const row = await t.db.database.db
        .selectFrom('support_requests')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      assert.equal(row.status, 'submitted')
      assert.equal(row.organisation_id, 'org-icb')
      assert.equal(row.programme_id, 'prog-virtual-ward')
      const mine = await t.services.mail.list({ to: 'gus.gateway@example.invalid' })
      assert.ok(
        mine.items.some(
          (m) => m.kind === 'support_request_status' && m.text.includes(`/support/requests/${id}`),
        ),
      )
      const triage = await t.services.mail.list({ to: 'cara.cycle@example.invalid' })
      assert.ok(
        triage.items.some(
          (m) => m.kind === 'support_request_new' && m.subject.includes('Stakeholder design workshops'),
        ),
      )
      const audit = await t.services.audit.search({ action: 'support_request.submit' })
      assert.ok(audit.items.some((a) => a.entityId === id))
    })

    test('bad input is explained: missing answers, dates in the past or reversed, impossible dates', async () => {
      const lead = gus()
      await lead.signIn('gus.gateway@example.invalid')
      await lead.get('/support/requests/new')
      const empty = await lead.post('/support/requests', {
        title: '',
        need: '',
        startDay: '',
        startMonth: '',
        startYear: '',
      })
      assert.equal(empty.statusCode, 400)
      const messages = errorSummary(empty.body)
      for (const m of [
        'Enter a short title for your request',
        'Enter what you need help with',
        'Select how far the work reaches',
        'Enter the start date',
        'Select the help you want',
      ])
        assert.ok(messages.includes(m), m)
      const past = await lead.post(
        '/support/requests',
        requestForm({ startDay: '1', startMonth: '11', startYear: '2026' }),
      )
      assert.equal(past.statusCode, 400)
      assert.deepEqual(errorSummary(past.body), ['Start date must be today or in the future'])
      const reversed = await lead.post(
        '/support/requests',
        requestForm({ endDay: '1', endMonth: '12', endYear: '2026' }),
      )
      assert.deepEqual(errorSummary(reversed.body), ['End date must be the same as or after the start date'])
      const impossible = await lead.post(
        '/support/requests',
        requestForm({ startDay: '31', startMonth: '2', startYear: '2027' }),
      )
      assert.deepEqual(errorSummary(impossible.body), ['Start date must be a real date'])
      const unknown = await lead.post(
        '/support/requests',
        requestForm({ programmeId: 'prog-nowhere', aimCodes: ['Z9'] }),
      )
      assert.equal(unknown.statusCode, 400)
      assert.match(unknown.body, /Stakeholder design workshops/, 'the answers are kept')
    })

    test('requesters see their own requests, programme leads their programme’s, the triage team all', async () => {
      const ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      const forWard = await submit(ada, { title: 'Ada for the virtual ward' })
      const ownOnly = await submit(ada, { title: 'Ada on her own', programmeId: '' })
      const lead = gus()
      await lead.signIn('gus.gateway@example.invalid')
      assert.equal((await lead.get(`/support/requests/${forWard}`)).statusCode, 200)
      assert.equal((await lead.get(`/support/requests/${ownOnly}`)).statusCode, 403)
      assert.match((await lead.get('/support/requests')).body, /Ada for the virtual ward/)
      assert.match((await lead.get('/programmes/virtual-ward')).body, /Ada for the virtual ward/)
      const leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      assert.equal((await leo.get(`/support/requests/${forWard}`)).statusCode, 403)
      assert.equal((await leo.get('/support/triage')).statusCode, 403)
      assert.equal((await leo.get('/support/pipeline')).statusCode, 403)
      assert.doesNotMatch((await leo.get('/programmes/virtual-ward')).body, /Ada for the virtual ward/)
      const denied = await leo.post(`/support/requests/${forWard}/decide`, {
        decision: 'triage',
        version: '1',
      })
      assert.equal(denied.statusCode, 403)
      assert.equal(await statusOf(t, forWard), 'submitted')
      const anonymous = await new TestBrowser(t.app).get(`/support/requests/${forWard}`)
      assert.equal(anonymous.statusCode, 303)
      assert.match(String(anonymous.headers.location), /^\/sign-in/)
      const cara = new TestBrowser(t.app)
      await cara.signIn('cara.cycle@example.invalid')
      assert.equal((await cara.get(`/support/requests/${ownOnly}`)).statusCode, 200)
    })

    test('a request is never lost when its e-mail cannot be sent: the mail waits in the outbox for a retry', async () => {
      const failing = {
        sendMail: async () => Promise.reject(new Error('SMTP is down')),
      } as unknown as Transporter
      const db = t.db.database.db
      const mail = new MailService(
        db,
        { smtpUrl: null, from: 'test@example.invalid', guard: true, clock: () => NOW },
        failing,
      )
      const support = new SupportService(db, () => NOW, mail, 'http://localhost:3000')
      const leo = await demoUser(db, 'leo.learner')
      const id = await support.submit(leo, {
        title: 'While SMTP is down',
        programmeId: '',
        need: 'Help',
        scale: 'team',
        stakeholders: '',
        startDate: '2027-01-10',
        endDate: '2027-02-10',
        priorityIds: [],
        aimCodes: [],
        helpWanted: ['coaching'],
      })
      await mail.deliverDue()
      assert.equal(await statusOf(t, id), 'submitted')
      const queued = (await mail.list({ to: 'leo.learner@example.invalid' })).items.find((m) =>
        m.text.includes(id),
      )!
      assert.equal(queued.status, 'pending')
      assert.equal(queued.attempts, 1)
      assert.equal(queued.lastError, 'SMTP is down')
    })
  })
}
