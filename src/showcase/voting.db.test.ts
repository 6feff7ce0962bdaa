import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { makePdf, multipart } from './fixtures.js'

const START = new Date('2026-12-03T10:00:00Z')
const ADA = 'ada.aimwell@example.invalid'
const CARA = 'cara.cycle@example.invalid'

for (const { dialect, skip } of await testDialects()) {
  describe(`showcase voting and judging on ${dialect}`, { skip }, () => {
    let t: TestApp
    let now = START
    let occasionId = ''
    const categories: Record<string, string> = {}
    const posterIds: string[] = []
    const as = async (email: string) => {
      const b = new TestBrowser(t.app)
      await b.signIn(email)
      return b
    }

    /** A poster taken through upload, consent, submission and approval, as a team and the Steering Group do. */
    async function publish(ada: TestBrowser, cara: TestBrowser, title: string): Promise<string> {
      await ada.get('/showcase/posters/new')
      const body = multipart(
        { title, summary: `${title}: what we changed and what happened.`, occasionId, visibility: 'public' },
        { filename: 'poster.pdf', contentType: 'application/pdf', bytes: await makePdf() },
      )
      const created = await ada.request({
        method: 'POST',
        url: `/showcase/posters?_csrf=${encodeURIComponent(ada.csrf)}`,
        payload: body.payload,
        headers: body.headers,
      })
      assert.equal(created.statusCode, 303, created.body)
      const id = String(created.headers.location).split('/').pop()!
      await t.services.jobs.runDue()
      await ada.submit(`/showcase/posters/${id}/consent`, `/showcase/posters/${id}/consent/confirm`, {
        nobodyIdentifiable: 'on',
        confirmed: 'on',
      })
      assert.equal(
        (await ada.submit(`/showcase/posters/${id}`, `/showcase/posters/${id}/submit`, {})).statusCode,
        303,
      )
      const approved = await cara.submit(`/showcase/posters/${id}`, `/showcase/posters/${id}/decision`, {
        decision: 'approve',
      })
      assert.equal(approved.statusCode, 303, errorSummary(approved.body).join())
      return id
    }

    before(async () => {
      t = await startTestApp(dialect, { clock: () => now })
      const cara = await as(CARA)
      const made = await cara.submit('/showcase/occasions/new', '/showcase/occasions', {
        title: 'Winter improvement fair (DEMO)',
        kind: 'event',
        startsOnDay: '3',
        startsOnMonth: '12',
        startsOnYear: '2026',
        votingOpensOnDay: '3',
        votingOpensOnMonth: '12',
        votingOpensOnYear: '2026',
        votingClosesOnDay: '10',
        votingClosesOnMonth: '12',
        votingClosesOnYear: '2026',
        votingClosesAt: '17:00',
        categories: "People's choice\nBest partnership",
      })
      assert.equal(made.statusCode, 303)
      occasionId = String(made.headers.location).split('/').pop()!
      for (const c of await t.db.database.db
        .selectFrom('showcase_categories')
        .select(['id', 'name'])
        .where('occasion_id', '=', occasionId)
        .execute())
        categories[c.name] = c.id
      const ada = await as(ADA)
      posterIds.push(await publish(ada, cara, 'Huddles poster (DEMO)'))
      posterIds.push(await publish(ada, cara, 'Falls poster (DEMO)'))
    })
    after(() => t?.close())

    const idOf = async (email: string) =>
      (
        await t.db.database.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', email)
          .executeTakeFirstOrThrow()
      ).id
    const page = (b: TestBrowser) => b.get(`/showcase/occasions/${occasionId}`)
    const vote = (b: TestBrowser, category: string, itemId: string) =>
      b.submit(`/showcase/occasions/${occasionId}`, `/showcase/occasions/${occasionId}/vote`, {
        categoryId: categories[category] ?? category,
        itemId,
      })

    test('one vote per member per category, changeable while the window is open, results hidden until it closes', async () => {
      const ben = await as('ben.baseline@example.invalid')
      const [huddles, falls] = posterIds as [string, string]
      assert.equal((await vote(ben, "People's choice", huddles)).statusCode, 303)
      const again = await vote(ben, "People's choice", huddles)
      assert.equal(again.statusCode, 400)
      assert.match(errorSummary(again.body)[0] ?? '', /already voted for Huddles poster/)
      const changed = await vote(ben, "People's choice", falls)
      assert.equal(changed.statusCode, 303)
      const flash = await ben.get(String(changed.headers.location))
      assert.match(flash.body, /Your vote in People(&#39;|’|')s choice is now for Falls poster/)
      assert.equal((await vote(ben, 'Best partnership', huddles)).statusCode, 303)
      const noPoster = await vote(ben, 'Best partnership', '')
      assert.match(errorSummary(noPoster.body)[0] ?? '', /Select a poster to vote for in Best partnership/)
      const wrongCategory = await vote(ben, 'no-such-category', huddles)
      assert.equal(wrongCategory.statusCode, 400)
      const votes = await t.db.database.db
        .selectFrom('showcase_votes')
        .select(['category_id', 'item_id'])
        .where('voter_id', '=', await idOf('ben.baseline@example.invalid'))
        .execute()
      assert.deepEqual(
        votes.map((v) => [v.category_id, v.item_id]).sort(),
        [
          [categories["People's choice"], falls],
          [categories['Best partnership'], huddles],
        ].sort(),
      )
      assert.doesNotMatch((await page(ben)).body, /Members’ vote:/, 'no results while the window is open')
      const visitor = new TestBrowser(t.app)
      assert.match((await page(visitor)).body, /Sign in to vote/)
    })

    test('ten votes sent at once by one member leave one vote', async () => {
      const leo = await as('leo.learner@example.invalid')
      await leo.get(`/showcase/occasions/${occasionId}`)
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          leo.post(`/showcase/occasions/${occasionId}/vote`, {
            categoryId: categories["People's choice"],
            itemId: posterIds[i % 2],
          }),
        ),
      )
      for (const r of results) assert.ok([303, 400].includes(r.statusCode), `status ${r.statusCode}`)
      const rows = await t.db.database.db
        .selectFrom('showcase_votes')
        .select('item_id')
        .where('voter_id', '=', await idOf('leo.learner@example.invalid'))
        .where('category_id', '=', categories["People's choice"])
        .execute()
      assert.equal(rows.length, 1)
    })

    test('the Steering Group names judges and criteria; judges score; others may not', async () => {
      const cara = await as(CARA)
      const ada = await as(ADA)
      assert.equal((await ada.get(`/showcase/occasions/${occasionId}/judging`)).statusCode, 403)
      const url = `/showcase/occasions/${occasionId}/judging`
      const unknown = await cara.submit(url, `/showcase/occasions/${occasionId}/judges`, {
        email: 'nobody@example.invalid',
      })
      assert.deepEqual(errorSummary(unknown.body), ['No member has this e-mail address'])
      for (const email of ['dev.driver@example.invalid', 'gus.gateway@example.invalid'])
        assert.equal(
          (await cara.submit(url, `/showcase/occasions/${occasionId}/judges`, { email })).statusCode,
          303,
        )
      const badMax = await cara.submit(url, `/showcase/occasions/${occasionId}/criteria`, {
        name: 'Spread',
        maxScore: '0',
      })
      assert.deepEqual(errorSummary(badMax.body), ['Enter the highest score, a whole number from 1 to 100'])
      for (const [name, maxScore] of [
        ['Spread', '10'],
        ['Use of data', '5'],
      ])
        assert.equal(
          (await cara.submit(url, `/showcase/occasions/${occasionId}/criteria`, { name, maxScore }))
            .statusCode,
          303,
        )
      const criteria = await t.db.database.db
        .selectFrom('showcase_criteria')
        .select(['id', 'name'])
        .where('occasion_id', '=', occasionId)
        .orderBy('sort')
        .execute()
      const [spread, data] = criteria.map((c) => c.id) as [string, string]
      const [huddles, falls] = posterIds as [string, string]
      const field = (item: string, c: string) => `score-${item}-${c}`
      assert.equal(
        (
          await ada.post(`/showcase/occasions/${occasionId}/scores/${huddles}`, {
            [field(huddles, spread)]: '5',
          })
        ).statusCode,
        403,
        'a member who is not a judge may not score',
      )
      const dev = await as('dev.driver@example.invalid')
      const gus = await as('gus.gateway@example.invalid')
      const tooHigh = await dev.submit(url, `/showcase/occasions/${occasionId}/scores/${huddles}`, {
        [field(huddles, spread)]: '11',
        [field(huddles, data)]: 'x',
      })
      assert.deepEqual(errorSummary(tooHigh.body), [
        'Spread must be a whole number from 0 to 10',
        'Use of data must be a whole number from 0 to 5',
      ])
      const score = (b: TestBrowser, item: string, a: string, c: string) =>
        b.submit(url, `/showcase/occasions/${occasionId}/scores/${item}`, {
          [field(item, spread)]: a,
          [field(item, data)]: c,
        })
      assert.equal((await score(dev, huddles, '8', '4')).statusCode, 303)
      assert.equal((await score(dev, huddles, '9', '4')).statusCode, 303, 'a judge changes a score')
      assert.equal((await score(gus, huddles, '6', '3')).statusCode, 303)
      assert.equal((await score(dev, falls, '5', '5')).statusCode, 303)
      const scores = await t.db.database.db
        .selectFrom('showcase_scores')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('occasion_id', '=', occasionId)
        .executeTakeFirstOrThrow()
      assert.equal(Number(scores.n), 6)
      assert.doesNotMatch((await page(cara)).body, /Judges’ scores/, 'no judges’ scores before the close')
    })

    test('a vote for a poster the Steering Group has withdrawn is refused', async () => {
      const cara = await as(CARA)
      const ada = await as(ADA)
      const id = await publish(ada, cara, 'Short-lived poster (DEMO)')
      const withdrawn = await cara.submit(`/showcase/posters/${id}`, `/showcase/posters/${id}/decision`, {
        decision: 'withdraw',
        comment: 'Withdrawn at the team’s request (DEMO).',
      })
      assert.equal(withdrawn.statusCode, 303)
      const ben = await as('ben.baseline@example.invalid')
      const refused = await vote(ben, 'Best partnership', id)
      assert.equal(refused.statusCode, 400)
      assert.match(errorSummary(refused.body)[0] ?? '', /has been withdrawn/)
    })

    test('after the window closes: votes refused, both results shown apart', async () => {
      now = new Date('2026-12-10T17:00:01Z')
      const ben = await as('ben.baseline@example.invalid')
      const late = await vote(ben, "People's choice", posterIds[0])
      assert.equal(late.statusCode, 400)
      assert.match(errorSummary(late.body)[0] ?? '', /Voting has closed/)
      const dev = await as('dev.driver@example.invalid')
      const lateScore = await dev.submit(
        `/showcase/occasions/${occasionId}/judging`,
        `/showcase/occasions/${occasionId}/scores/${posterIds[0]}`,
        {},
      )
      assert.equal(lateScore.statusCode, 400)
      assert.match(lateScore.body, /Judging has closed/)
      const body = (await page(new TestBrowser(t.app))).body
      // Members' vote: Falls 2 (Ben, and Leo's one vote if it went to Falls) or 1; Huddles the rest.
      const choice = body.slice(body.indexOf('Members’ vote: People'))
      assert.match(choice, /Falls poster \(DEMO\)/)
      assert.match(body, /Members’ vote: Best partnership/)
      assert.ok(body.includes('Judges’ scores (mean total out of 15)'))
      const judges = body
        .slice(body.indexOf('Judges’ scores (mean total out of 15)'))
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
      // Huddles: Dev 13, Gus 9 → mean 11 from 2 judges; Falls: Dev 10 from 1 judge.
      assert.match(judges, /Huddles poster \(DEMO\) (Mean score )?11 (Judges )?2 /)
      assert.match(judges, /Falls poster \(DEMO\) (Mean score )?10 (Judges )?1 /)
      assert.ok(judges.indexOf('Huddles') < judges.indexOf('Falls'), 'highest mean first')
    })
  })
}
