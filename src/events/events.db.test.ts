import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { addMembers } from './test-helpers.js'

const START = new Date('2026-12-01T10:00:00Z')

const eventForm = (overrides: Record<string, string> = {}) => ({
  title: 'Virtual ward design workshop, part 1',
  description: 'Bring a colleague',
  format: 'hybrid',
  venue: 'Sanger House, Gloucester',
  joiningDetails: 'Teams link sent by e-mail',
  dateDay: '10',
  dateMonth: '12',
  dateYear: '2026',
  startTime: '09:30',
  endTime: '12:00',
  capacity: '2',
  programmeId: '',
  version: '0',
  ...overrides,
})

for (const { dialect, skip } of await testDialects()) {
  describe(`events and registration on ${dialect}`, { skip }, () => {
    let t: TestApp
    let now = START
    let cara: TestBrowser
    let eventId = ''
    const member = async (email: string) => {
      const b = new TestBrowser(t.app)
      await b.signIn(email)
      return b
    }
    const register = async (b: TestBrowser, accessNeeds = '') =>
      b.submit(`/events/${eventId}`, `/events/${eventId}/register`, { accessNeeds })
    before(async () => {
      t = await startTestApp(dialect, { clock: () => now })
      await addMembers(t.db.database.db, 3, 'ev')
      cara = await member('cara.cycle@example.invalid')
    })
    after(() => t?.close())

    test('an organiser creates an event; past dates, reversed times, missing venue and bad places are refused', async () => {
      const form = await cara.get('/events/new')
      assert.equal(h1(form.body), 'Create an event')
      const past = await cara.post('/events/new', eventForm({ dateDay: '30', dateMonth: '11' }))
      assert.equal(past.statusCode, 400)
      assert.deepEqual(errorSummary(past.body), ['The event must start in the future'])
      const reversed = await cara.post('/events/new', eventForm({ startTime: '14:00', endTime: '13:00' }))
      assert.deepEqual(errorSummary(reversed.body), ['End time must be after the start time'])
      const bad = await cara.post(
        '/events/new',
        eventForm({ venue: '', joiningDetails: '', capacity: '0', dateDay: '', startTime: '9am' }),
      )
      assert.deepEqual(errorSummary(bad.body), [
        'Date of the event must include a day',
        'Start time must be a real time, like 09:30 or 14:00',
        'There must be at least 1 place',
      ])
      const noPlace = await cara.post('/events/new', eventForm({ venue: '', joiningDetails: '' }))
      assert.deepEqual(errorSummary(noPlace.body), [
        'Enter the venue for an in-person or hybrid event',
        'Enter how people join online',
      ])
      const ok = await cara.post('/events/new', eventForm())
      assert.equal(ok.statusCode, 303)
      eventId = String(ok.headers.location).split('/').pop()!
      const row = await t.db.database.db
        .selectFrom('events')
        .selectAll()
        .where('id', '=', eventId)
        .executeTakeFirstOrThrow()
      assert.equal(new Date(row.starts_at).toISOString(), '2026-12-10T09:30:00.000Z')
      const leo = await member('leo.learner@example.invalid')
      assert.equal((await leo.get('/events/new')).statusCode, 403)
      const gus = await member('gus.gateway@example.invalid')
      const otherProgramme = await gus.submit(
        '/events/new',
        '/events/new',
        eventForm({ programmeId: 'prog-peol' }),
      )
      assert.deepEqual(errorSummary(otherProgramme.body), ['You can only link events to programmes you lead'])
      assert.equal(
        (
          await gus.post(
            '/events/new',
            eventForm({ programmeId: 'prog-virtual-ward', title: 'Gus’s workshop' }),
          )
        ).statusCode,
        303,
      )
      assert.match((await gus.get('/programmes/virtual-ward')).body, /Gus’s workshop/)
    })

    test('members register until the event is full, then join the waiting list; duplicates are refused', async () => {
      const ada = await member('ada.aimwell@example.invalid')
      const first = await register(ada, 'Step-free access please')
      assert.equal(first.statusCode, 303)
      assert.match((await ada.get(`/events/${eventId}`)).body, /You are registered/)
      const twice = await register(ada)
      assert.equal(twice.statusCode, 400)
      assert.deepEqual(errorSummary(twice.body), ['You are already registered for this event'])
      const ben = await member('ben.baseline@example.invalid')
      assert.equal((await register(ben)).statusCode, 303)
      const leo = await member('leo.learner@example.invalid')
      const full = await leo.get(`/events/${eventId}`)
      assert.match(full.body, /Join the waiting list/)
      await register(leo)
      const waiting = await leo.get(`/events/${eventId}`)
      assert.match(waiting.body, /You are number 1 on the waiting list/)
      assert.deepEqual(errorSummary((await register(leo)).body), [
        'You are already on the waiting list for this event',
      ])
      const mails = await t.services.mail.list({ to: 'leo.learner@example.invalid' })
      assert.ok(mails.items.some((m) => m.subject.startsWith('You are on the waiting list')))
      const counts = await t.db.database.db
        .selectFrom('event_registrations')
        .select(['status'])
        .where('event_id', '=', eventId)
        .execute()
      assert.deepEqual(counts.map((c) => c.status).sort(), ['registered', 'registered', 'waitlisted'])
    })

    test('places cannot drop below the people registered; raising them gives places to the waiting list in order', async () => {
      const edit = await cara.get(`/events/${eventId}/edit`)
      assert.equal(h1(edit.body), 'Change the event')
      assert.match(edit.body, /value="09:30"/)
      const version = /name="version" value="(\d+)"/.exec(edit.body)![1]
      const below = await cara.post(`/events/${eventId}/edit`, eventForm({ capacity: '1', version }))
      assert.deepEqual(errorSummary(below.body), [
        '2 people are already registered: places cannot be fewer than that',
      ])
      const ev1 = await member('ev.0@example.invalid')
      await register(ev1)
      assert.equal(
        (await cara.post(`/events/${eventId}/edit`, eventForm({ capacity: '3', version }))).statusCode,
        303,
      )
      const leo = await member('leo.learner@example.invalid')
      assert.match((await leo.get(`/events/${eventId}`)).body, /You are registered/)
      assert.match((await ev1.get(`/events/${eventId}`)).body, /You are number 1 on the waiting list/)
      const promoted = await t.services.mail.list({ to: 'leo.learner@example.invalid' })
      assert.ok(promoted.items.some((m) => m.subject.startsWith('A place has come up')))
    })

    test('giving up a place passes it to the first person waiting, who is e-mailed', async () => {
      const ben = await member('ben.baseline@example.invalid')
      const cancelled = await ben.submit(`/events/${eventId}`, `/events/${eventId}/cancel-registration`, {})
      assert.equal(cancelled.statusCode, 303)
      const ev1 = await member('ev.0@example.invalid')
      assert.match((await ev1.get(`/events/${eventId}`)).body, /You are registered/)
      const mails = await t.services.mail.list({ to: 'ev.0@example.invalid' })
      assert.ok(mails.items.some((m) => m.subject.startsWith('A place has come up')))
      const again = await register(ben)
      assert.equal(again.statusCode, 303)
      assert.match((await ben.get(`/events/${eventId}`)).body, /You are number 1 on the waiting list/)
    })

    test('organisers see the attendee list and CSV, with access needs, and spreadsheet formulas neutralised', async () => {
      const ev2 = await member('ev.1@example.invalid')
      await t.db.database.db
        .updateTable('users')
        .set({ name: '=HYPERLINK("http://evil.example")' })
        .where('email', '=', 'ev.1@example.invalid')
        .execute()
      await t.db.database.db.updateTable('events').set({ capacity: 10 }).where('id', '=', eventId).execute()
      await register(ev2, '@SUM(1+1)')
      const list = await cara.get(`/events/${eventId}/attendees`)
      assert.equal(h1(list.body), 'Attendees')
      assert.match(list.body, /Step-free access please/)
      const csv = await cara.get(`/events/${eventId}/attendees.csv`)
      assert.equal(csv.statusCode, 200)
      assert.match(String(csv.headers['content-type']), /text\/csv/)
      assert.match(String(csv.headers['content-disposition']), /attachment/)
      assert.match(csv.body, /"'=HYPERLINK\(""http:\/\/evil.example""\)"/)
      assert.match(csv.body, /,'@SUM\(1\+1\),/)
      assert.doesNotMatch(csv.body, /,=HYPERLINK/)
      const exports = await t.services.audit.search({ action: 'event.attendees_export' })
      assert.equal(exports.total, 1)
      const ada = await member('ada.aimwell@example.invalid')
      assert.equal((await ada.get(`/events/${eventId}/attendees`)).statusCode, 403)
      assert.equal((await ada.get(`/events/${eventId}/attendees.csv`)).statusCode, 403)
    })

    test('the calendar file is valid iCalendar', async () => {
      const res = await new TestBrowser(t.app).get(`/events/${eventId}/calendar.ics`)
      assert.equal(res.statusCode, 200)
      assert.match(String(res.headers['content-type']), /^text\/calendar/)
      assert.ok(res.body.startsWith('BEGIN:VCALENDAR\r\n'))
      assert.match(res.body, /\r\nUID:event-[^\r\n]+@localhost\r\n/)
      assert.match(res.body, /\r\nDTSTAMP:20261201T100000Z\r\n/)
      assert.match(res.body, /\r\nDTSTART:20261210T093000Z\r\n/)
      assert.match(res.body.replace(/\r\n /g, ''), /SUMMARY:Virtual ward design workshop\\, part 1\r\n/)
      assert.doesNotMatch(res.body.replace(/\r\n/g, ''), /\n/)
    })

    test('check-in opens on the day, works with plain forms, and can be undone', async () => {
      const before = await cara.get(`/events/${eventId}/check-in`)
      assert.match(before.body, /Check-in opens on the day of the event/)
      const ada = await t.db.database.db
        .selectFrom('event_registrations as r')
        .innerJoin('users as u', 'u.id', 'r.user_id')
        .select('r.id')
        .where('r.event_id', '=', eventId)
        .where('u.email', '=', 'ada.aimwell@example.invalid')
        .executeTakeFirstOrThrow()
      assert.equal((await cara.post(`/events/${eventId}/check-in/${ada.id}`, {})).statusCode, 400)
      now = new Date('2026-12-10T08:45:00Z')
      cara = await member('cara.cycle@example.invalid') // sessions last at most seven days
      const page = await cara.get(`/events/${eventId}/check-in?q=ada`)
      assert.equal(h1(page.body), 'Check-in')
      assert.match(page.body, /Ada Aimwell/)
      assert.doesNotMatch(page.body, /Leo Learner/)
      const checked = await cara.post(`/events/${eventId}/check-in/${ada.id}`, { q: 'ada' })
      assert.equal(checked.statusCode, 303)
      assert.equal(checked.headers.location, `/events/${eventId}/check-in?q=ada#reg-${ada.id}`)
      assert.match((await cara.get(`/events/${eventId}/check-in`)).body, /1 of \d+ checked in/)
      assert.equal((await cara.post(`/events/${eventId}/check-in/${ada.id}`, { undo: '1' })).statusCode, 303)
      assert.match((await cara.get(`/events/${eventId}/check-in`)).body, /0 of \d+ checked in/)
      await cara.post(`/events/${eventId}/check-in/${ada.id}`, {})
    })

    test('feedback afterwards, once per attendee, summarised for organisers', async () => {
      const ada = await member('ada.aimwell@example.invalid')
      const early = await ada.submit(`/events/${eventId}/feedback`, `/events/${eventId}/feedback`, {
        rating: '5',
      })
      assert.deepEqual(errorSummary(early.body), ['Feedback opens when the event has finished'])
      now = new Date('2026-12-10T13:00:00Z')
      const late = await (
        await member('ev.2@example.invalid')
      ).submit(`/events/${eventId}`, `/events/${eventId}/register`, {})
      assert.deepEqual(errorSummary(late.body), ['Registration has closed: this event has already started'])
      const missing = await ada.submit(`/events/${eventId}/feedback`, `/events/${eventId}/feedback`, {
        rating: '',
      })
      assert.deepEqual(errorSummary(missing.body), ['Select how useful the event was'])
      assert.equal(
        (
          await ada.post(`/events/${eventId}/feedback`, {
            rating: '4',
            wentWell: 'Mixed groups',
            evenBetter: 'Longer breaks',
          })
        ).statusCode,
        303,
      )
      const twice = await ada.post(`/events/${eventId}/feedback`, { rating: '1' })
      assert.deepEqual(errorSummary(twice.body), ['You have already given feedback on this event'])
      const ben = await member('ben.baseline@example.invalid')
      assert.equal(
        (await ben.submit(`/events/${eventId}/feedback`, `/events/${eventId}/feedback`, { rating: '1' }))
          .statusCode,
        403,
        'ben was only waiting',
      )
      await cara.get(`/events/${eventId}`)
      const summary = await cara.get(`/events/${eventId}/feedback/summary`)
      assert.equal(h1(summary.body), 'Feedback summary')
      assert.match(
        summary.body,
        /1 response from \d+ registered \(1 checked in\)\. Average rating 4 out of 5/,
      )
      assert.match(summary.body, /Longer breaks/)
      assert.doesNotMatch(summary.body, /Ada Aimwell/)
      assert.equal((await ada.get(`/events/${eventId}/feedback/summary`)).statusCode, 403)
    })
  })
}
