import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, startTestApp, TestBrowser, type TestApp } from '../../testing/app.js'
import { testDialects } from '../../testing/databases.js'
import { demoUser } from '../../events/test-helpers.js'
import { NOW, decide, statusOf, submit } from '../test-helpers.js'

for (const { dialect, skip } of await testDialects()) {
  describe(`support request decisions on ${dialect}`, { skip }, () => {
    let t: TestApp
    const gus = () => new TestBrowser(t.app)
    before(async () => {
      t = await startTestApp(dialect, { clock: () => NOW })
    })
    after(() => t?.close())

    test('declining needs a reason and a faculty; the requester is e-mailed the signposting', async () => {
      const ben = new TestBrowser(t.app)
      await ben.signIn('ben.baseline@example.invalid')
      const id = await submit(ben, { title: 'Ben needs training', programmeId: '', scale: 'team' })
      const cara = new TestBrowser(t.app)
      await cara.signIn('cara.cycle@example.invalid')
      assert.equal((await decide(cara, t, id, { decision: 'triage' })).statusCode, 303)
      const bare = await decide(cara, t, id, { decision: 'declined' })
      assert.equal(bare.statusCode, 400)
      assert.deepEqual(errorSummary(bare.body), ['Enter the reason for your decision'])
      const noFaculty = await decide(cara, t, id, { decision: 'declined', reason: 'Training will help more' })
      assert.deepEqual(errorSummary(noFaculty.body), ['Select the faculty to signpost the requester to'])
      const ok = await decide(cara, t, id, {
        decision: 'declined',
        reason: 'Training will help more',
        facultyId: 'fac-qsir',
      })
      assert.equal(ok.statusCode, 303)
      assert.equal(await statusOf(t, id), 'declined')
      const page = await ben.get(`/support/requests/${id}`)
      assert.match(page.body, /Declined/)
      assert.match(page.body, /Quality, Service Improvement and Redesign \(QSIR\) faculty/)
      const mail = (await t.services.mail.list({ to: 'ben.baseline@example.invalid' })).items.find((m) =>
        m.subject.includes('cannot take it on'),
      )!
      assert.match(mail.text, /Reason: Training will help more/)
      assert.match(mail.text, /QSIR/)
      const audit = await t.services.audit.search({ action: 'support_request.declined' })
      assert.ok(audit.items.some((a) => a.entityId === id))
    })

    test('accepting records hours within capacity; going over needs a reason; hours are never negative', async () => {
      const lead = gus()
      await lead.signIn('gus.gateway@example.invalid')
      const id = await submit(lead, { title: 'Launch event' })
      const cara = new TestBrowser(t.app)
      await cara.signIn('cara.cycle@example.invalid')
      const caraId = (await demoUser(t.db.database.db, 'cara.cycle')).id
      await decide(cara, t, id, { decision: 'triage' })
      const noHours = await decide(cara, t, id, { decision: 'accepted', reason: 'System priority' })
      assert.deepEqual(errorSummary(noHours.body), [
        'Add at least one QI specialist with their estimated hours',
      ])
      const negative = await decide(cara, t, id, {
        decision: 'accepted',
        reason: 'System priority',
        coach1: caraId,
        month1: '2026-12',
        hours1: '-3',
      })
      assert.deepEqual(errorSummary(negative.body), ['Estimated hours must be 0.5 or more'])
      // The demo gives Cara 40 hours in December 2026, 8 of them already committed.
      const over = await decide(cara, t, id, {
        decision: 'accepted',
        reason: 'System priority',
        coach1: caraId,
        month1: '2026-12',
        hours1: '40',
      })
      assert.equal(over.statusCode, 400)
      assert.match(errorSummary(over.body)[0], /has 32 hours left in December 2026, fewer than 40/)
      const past = await decide(cara, t, id, {
        decision: 'accepted',
        reason: 'System priority',
        coach1: caraId,
        month1: '2026-11',
        hours1: '4',
      })
      assert.deepEqual(errorSummary(past.body), ['Month must be this month or later'])
      const ok = await decide(cara, t, id, {
        decision: 'accepted',
        reason: 'Aligned with F2',
        coach1: caraId,
        month1: '2026-12',
        hours1: '40',
        coach2: caraId,
        month2: '2027-01',
        hours2: '10',
        overrideReason: 'Launch cannot move',
      })
      assert.equal(ok.statusCode, 303, errorSummary(ok.body).join())
      assert.equal(await statusOf(t, id), 'accepted')
      const hours = await t.db.database.db
        .selectFrom('support_assignments')
        .selectAll()
        .where('request_id', '=', id)
        .orderBy('month')
        .execute()
      assert.deepEqual(
        hours.map((h) => [h.month, Number(h.estimated_hours), h.override_reason]),
        [
          ['2026-12', 40, 'Launch cannot move'],
          ['2027-01', 10, 'Launch cannot move'],
        ],
      )
      const status = await lead.get(`/support/requests/${id}`)
      assert.match(status.body, /Accepted/)
      assert.match(status.body, /Aligned with F2/)
      const actual = await cara.submit(`/support/requests/${id}/hours`, `/support/requests/${id}/hours`, {
        [`actual-${hours[0].id}`]: '-1',
      })
      assert.deepEqual(errorSummary(actual.body), ['Actual hours cannot be negative'])
      const saved = await cara.post(`/support/requests/${id}/hours`, { [`actual-${hours[0].id}`]: '12.5' })
      assert.equal(saved.statusCode, 303)
    })

    test('a withdrawn request cannot be accepted, and only the requester withdraws', async () => {
      const ben = new TestBrowser(t.app)
      await ben.signIn('ben.baseline@example.invalid')
      const id = await submit(ben, { title: 'Ben changes his mind', programmeId: '' })
      const cara = new TestBrowser(t.app)
      await cara.signIn('cara.cycle@example.invalid')
      await decide(cara, t, id, { decision: 'triage' })
      const decisionPage = await cara.get(`/support/requests/${id}/decide`)
      const staleVersion = /name="version" value="(\d+)"/.exec(decisionPage.body)![1]
      const notYours = await cara.submit(
        `/support/requests/${id}/withdraw`,
        `/support/requests/${id}/withdraw`,
        { version: staleVersion },
      )
      assert.equal(notYours.statusCode, 403)
      const withdrawn = await ben.submit(
        `/support/requests/${id}/withdraw`,
        `/support/requests/${id}/withdraw`,
        { version: staleVersion, reason: 'Found help elsewhere' },
      )
      assert.equal(withdrawn.statusCode, 303)
      const caraId = (await demoUser(t.db.database.db, 'cara.cycle')).id
      await cara.get(`/support/requests/${id}/decide`)
      const accept = await cara.post(`/support/requests/${id}/decide`, {
        version: staleVersion,
        decision: 'accepted',
        reason: 'Go',
        coach1: caraId,
        month1: '2027-02',
        hours1: '2',
      })
      assert.equal(accept.statusCode, 400)
      assert.deepEqual(errorSummary(accept.body), [
        'This request was withdrawn by the requester, so it cannot be accepted',
      ])
      assert.equal(await statusOf(t, id), 'withdrawn')
      assert.equal(
        (
          await t.db.database.db
            .selectFrom('support_assignments')
            .select('id')
            .where('request_id', '=', id)
            .execute()
        ).length,
        0,
      )
    })

    test('a decision made on a stale page is refused rather than overwriting a newer one', async () => {
      const ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      const id = await submit(ada, { title: 'Two people triage at once', programmeId: '' })
      const cara = new TestBrowser(t.app)
      await cara.signIn('cara.cycle@example.invalid')
      await cara.get(`/support/requests/${id}/decide`)
      assert.equal(
        (await cara.post(`/support/requests/${id}/decide`, { version: '1', decision: 'triage' })).statusCode,
        303,
      )
      assert.equal(
        (
          await cara.post(`/support/requests/${id}/decide`, {
            version: '1',
            decision: 'waitlisted',
            reason: 'No capacity',
          })
        ).statusCode,
        409,
      )
      assert.equal(await statusOf(t, id), 'triage')
    })
  })
}
