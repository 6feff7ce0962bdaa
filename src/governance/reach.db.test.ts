import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { newId } from '../core/ids.js'
import { showcaseItemRow, userRow } from '../db/rows.js'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { lastQuarters, quarterKey, quarterLabel } from './reach.js'

const CARA = 'cara.cycle@example.invalid' // Steering Group
const PORTFOLIO = '/steering-group/portfolio'
const HOUR = 3_600_000

/** The reach table's figures in the row for this period (a quarter key or 'all'). */
function reachRow(html: string, key: string): number[] {
  const table = /data-table="reach"[\s\S]*?<\/table>/.exec(html)?.[0] ?? ''
  const tr = new RegExp(`data-row="${key}"[\\s\\S]*?</tr>`).exec(table)?.[0] ?? ''
  return [...tr.matchAll(/<td[^>]*>([\d,]+)<\/td>/g)].map((m) => Number(m[1].replace(/,/g, '')))
}

test('quarters are London calendar quarters, the current one last', () => {
  assert.equal(quarterKey('2026-03-31T22:30:00Z'), '2026-Q1')
  assert.equal(quarterKey('2026-12-31T23:30:00Z'), '2026-Q4', 'GMT in winter')
  assert.equal(quarterKey('2026-06-30T23:30:00Z'), '2026-Q3', 'after midnight in BST')
  assert.equal(quarterLabel('2026-Q4'), 'Oct–Dec 2026')
  assert.deepEqual(lastQuarters(new Date('2026-02-10T12:00:00Z')), {
    keys: ['2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1'],
    since: '2025-03-31T23:00:00.000Z',
  })
})

for (const { dialect, skip } of await testDialects()) {
  describe(`governance: event and showcase reach on the portfolio, on ${dialect}`, { skip }, () => {
    let t: TestApp
    let cara: TestBrowser

    before(async () => {
      t = await startTestApp(dialect)
      cara = new TestBrowser(t.app)
      await cara.signIn(CARA)
    })
    after(() => t?.close())

    test('counts events held, places, attendance, people reached, posters and votes per quarter', async () => {
      const db = t.db.database.db
      const before = await cara.get(PORTFOLIO)
      assert.equal(before.statusCode, 200)
      assert.match(before.body, /Event and showcase reach/)
      const total0 = reachRow(before.body, 'all')
      assert.equal(total0.length, 7)

      const now = Date.now()
      const at = (ms: number) => new Date(ms).toISOString()
      const startsAt = at(now - 3 * HOUR)
      const quarter = quarterKey(startsAt)
      const quarter0 = reachRow(before.body, quarter)
      const people = ['Rea', 'Rob', 'Ria'].map((name) =>
        userRow({ email: `${name.toLowerCase()}.reach@example.invalid`, name }),
      )
      await db.insertInto('users').values(people).execute()
      const event = (id: string, ends: number, status = 'published') => ({
        id,
        title: `Reach test ${id}`,
        format: 'virtual',
        starts_at: startsAt,
        ends_at: at(ends),
        capacity: 20,
        status,
        created_at: startsAt,
        updated_at: startsAt,
      })
      await db
        .insertInto('events')
        .values([
          event('ev-reach-a', now - 2 * HOUR),
          event('ev-reach-b', now - 2 * HOUR),
          event('ev-reach-later', now + 2 * HOUR), // not over yet
          event('ev-reach-cancelled', now - 2 * HOUR, 'cancelled'),
        ])
        .execute()
      const registration = (
        eventId: string,
        userId: string,
        no: number,
        checkedIn: boolean,
        status = 'registered',
      ) => ({
        id: newId(),
        event_id: eventId,
        user_id: userId,
        status,
        queued_at: startsAt,
        queue_no: no,
        checked_in_at: checkedIn ? startsAt : null,
        created_at: startsAt,
        updated_at: startsAt,
      })
      await db
        .insertInto('event_registrations')
        .values([
          registration('ev-reach-a', people[0].id, 1, true),
          registration('ev-reach-a', people[1].id, 2, true),
          registration('ev-reach-a', people[2].id, 3, false),
          registration('ev-reach-b', people[0].id, 1, true), // the same person again
          registration('ev-reach-b', people[1].id, 2, false, 'waitlisted'),
          registration('ev-reach-later', people[2].id, 1, false),
        ])
        .execute()
      const submittedAt = at(now - HOUR)
      const posters = [
        showcaseItemRow({
          title: 'Reach poster one',
          slug: 'reach-one',
          status: 'submitted',
          submitted_at: submittedAt,
        }),
        showcaseItemRow({
          title: 'Reach poster two',
          slug: 'reach-two',
          status: 'approved',
          submitted_at: submittedAt,
          decided_at: submittedAt,
        }),
      ]
      await db.insertInto('showcase_items').values(posters).execute()
      const occasionId = newId()
      await db
        .insertInto('showcase_occasions')
        .values({ id: occasionId, slug: 'reach-occasion', title: 'Reach occasion', created_at: submittedAt })
        .execute()
      const categoryId = newId()
      await db
        .insertInto('showcase_categories')
        .values({ id: categoryId, occasion_id: occasionId, name: 'Best', sort: 1 })
        .execute()
      await db
        .insertInto('showcase_votes')
        .values(
          people.map((p) => ({
            id: newId(),
            occasion_id: occasionId,
            category_id: categoryId,
            voter_id: p.id,
            item_id: posters[1].id,
            created_at: submittedAt,
            updated_at: submittedAt,
          })),
        )
        .execute()

      const page = await cara.get(PORTFOLIO)
      const delta = (row: number[], base: number[]) => row.map((n, i) => n - base[i])
      // Events held, places taken, attended, people reached, submitted, published, votes.
      const expected = [2, 4, 3, 2, 2, 1, 3]
      assert.deepEqual(delta(reachRow(page.body, 'all'), total0), expected)
      if (quarterKey(submittedAt) === quarter)
        assert.deepEqual(delta(reachRow(page.body, quarter), quarter0), expected)

      const csv = await cara.get(`${PORTFOLIO}/reach.csv?status=active`)
      assert.equal(csv.statusCode, 200)
      assert.match(
        csv.body,
        /^\uFEFFPeriod,Events held,Places taken,Attended,People reached,Posters submitted,Posters published,Votes cast\r\n/,
      )
      assert.match(csv.body, new RegExp(`\\r\\n${quarterLabel(quarter)},`))
      assert.match(csv.body, /\r\nAll four quarters,/)
    })
  })
}
