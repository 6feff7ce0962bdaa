import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'

const EVENT = 'demo-event-data-webinar'
const FAY = 'fay.feedback@example.invalid' // an improvement partner
const BEN = 'ben.baseline@example.invalid'

/** DOMAIN.md §5.4: a partner's contact details are for coaches and admins only (issue 15). */
for (const { dialect, skip } of await testDialects()) {
  describe(`an improvement partner's e-mail on attendee lists on ${dialect}`, { skip }, () => {
    let t: TestApp
    before(async () => {
      t = await startTestApp(dialect)
      // The webinar belongs to the Virtual Ward programme, which Gus leads.
      await t.db.database.db
        .updateTable('events')
        .set({ programme_id: 'prog-virtual-ward' })
        .where('id', '=', EVENT)
        .execute()
      for (const email of [FAY, BEN]) {
        const b = new TestBrowser(t.app)
        await b.signIn(email)
        const res = await b.submit(`/events/${EVENT}`, `/events/${EVENT}/register`, { accessNeeds: '' })
        assert.equal(res.statusCode, 303)
      }
    })
    after(() => t?.close())

    test('a programme lead sees the partner’s name but not their e-mail, on the page and in the CSV', async () => {
      const gus = new TestBrowser(t.app)
      await gus.signIn('gus.gateway@example.invalid')
      const page = await gus.get(`/events/${EVENT}/attendees`)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /Fay Feedback/)
      assert.ok(!page.body.includes(FAY), 'no partner e-mail on the page')
      assert.ok(page.body.includes(BEN), 'staff contacts still shown to the organiser')
      assert.match(page.body, /Improvement partner: ask a QI specialist/)
      const csv = await gus.get(`/events/${EVENT}/attendees.csv`)
      assert.equal(csv.statusCode, 200)
      assert.match(csv.body, /Fay Feedback/)
      assert.ok(!csv.body.includes(FAY), 'no partner e-mail in the CSV')
      assert.ok(csv.body.includes(BEN))
      const mails = await t.services.mail.list({ to: 'gus.gateway@example.invalid', pageSize: 50 })
      for (const m of mails.items) assert.ok(!m.text.includes(FAY), `no partner e-mail in “${m.subject}”`)
    })

    test('a QI specialist sees it', async () => {
      const cara = new TestBrowser(t.app)
      await cara.signIn('cara.cycle@example.invalid')
      assert.ok((await cara.get(`/events/${EVENT}/attendees`)).body.includes(FAY))
      assert.ok((await cara.get(`/events/${EVENT}/attendees.csv`)).body.includes(FAY))
    })
  })
}
