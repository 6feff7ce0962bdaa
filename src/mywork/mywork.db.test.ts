import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { dataPointRow, measureRow, pdsaCycleRow } from '../db/rows.js'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
const PROJECT = 'demo-project-discharge'
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10)

/** The items of one section of "my work": its heading's count and its links. */
function section(html: string, kind: string) {
  const start = html.indexOf(`id="mywork-${kind}"`)
  if (start < 0) return null
  const end = html.indexOf('</section>', start)
  const part = html.slice(start, end)
  const count = Number(/nhsuk-tag--grey">(\d+)</.exec(part)?.[1])
  const links = [...part.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({
    href: m[1],
    title: m[2],
  }))
  return { count, links, text: text(part) }
}

for (const { dialect, skip } of await testDialects()) {
  describe(`my work on ${dialect}`, { skip }, () => {
    let t: TestApp
    const as = async (email: string) => {
      const b = new TestBrowser(t.app)
      await b.signIn(email)
      return b
    }
    const get = (b: TestBrowser, url: string) => b.request({ method: 'GET', url })
    let pdsaId: string
    let lateMeasureId: string
    let freshMeasureId: string

    before(async () => {
      t = await startTestApp(dialect)
      const db = t.db.database.db
      const idea = await db
        .selectFrom('change_ideas')
        .select('id')
        .where('project_id', '=', PROJECT)
        .executeTakeFirstOrThrow()
      // A cycle whose Do ended ten days ago, with no Study yet.
      const cycle = pdsaCycleRow({
        project_id: PROJECT,
        change_idea_id: idea.id,
        title: 'Criteria-led discharge trial on one bay',
        status: 'doing',
        objective: 'See whether nurses can discharge by criteria',
        prediction: 'Half of the bay goes home before noon',
        planned_date: daysAgo(30),
        do_notes: 'Ran for two weeks',
        do_start: daysAgo(24),
        do_end: daysAgo(10),
      })
      pdsaId = cycle.id
      await db.insertInto('pdsa_cycles').values(cycle).execute()
      const late = measureRow({
        project_id: PROJECT,
        name: 'Beds cleaned within the hour',
        frequency: 'Weekly',
      })
      const fresh = measureRow({ project_id: PROJECT, name: 'Monthly survey returns', frequency: 'Monthly' })
      lateMeasureId = late.id
      freshMeasureId = fresh.id
      await db.insertInto('measures').values([late, fresh]).execute()
      await db
        .insertInto('measure_data_points')
        .values([
          dataPointRow({ measure_id: late.id, period: daysAgo(70), value: 4 }),
          dataPointRow({ measure_id: late.id, period: daysAgo(63), value: 5 }),
          dataPointRow({ measure_id: fresh.id, period: daysAgo(20), value: 12 }),
        ])
        .execute()
    })
    after(() => t?.close())

    test("a project lead's home shows the PDSA due for Study and the late measure, each linking to where it is done", async () => {
      const ada = await as('ada.aimwell@example.invalid')
      for (const url of ['/', '/my-work']) {
        const res = await get(ada, url)
        assert.equal(res.statusCode, 200)
        assert.match(res.body, /<h1>My work<\/h1>/)
        const study = section(res.body, 'study')!
        const link = study.links.find((l) => l.title === 'Criteria-led discharge trial on one bay')
        assert.ok(link, study.text)
        assert.equal(link.href, `/projects/${PROJECT}/pdsa/${pdsaId}`)
        const data = section(res.body, 'data')!
        const measure = data.links.find((l) => l.title === 'Beds cleaned within the hour')
        assert.ok(measure, data.text)
        assert.equal(measure.href, `/measures/${lateMeasureId}/data/new`)
        assert.ok(
          !data.links.some((l) => l.href.includes(freshMeasureId)),
          'monthly data 20 days old is not late',
        )
        assert.equal(data.count, data.links.length)
        for (const href of [link.href, measure.href])
          assert.equal((await get(ada, href)).statusCode, 200, href)
      }
    })

    test('a coach sees their caseload with each project’s last activity, and what waits for their review', async () => {
      const cara = await as('cara.cycle@example.invalid')
      const res = await get(cara, '/')
      assert.equal(res.statusCode, 200)
      const caseload = section(res.body, 'caseload')!
      const titles = caseload.links.map((l) => l.title)
      assert.ok(titles.includes('Timely discharge before noon on Ward 3 (DEMO)'), caseload.text)
      assert.ok(titles.includes('Faster routine referrals from primary care (DEMO)'), caseload.text)
      assert.match(caseload.text, /Last activity \d{4}-\d{2}-\d{2}/)
      assert.equal((await get(cara, `/projects/${PROJECT}`)).statusCode, 200)
      const review = section(res.body, 'review')!
      assert.ok(
        review.links.some((l) => l.href === '/support/triage'),
        review.text,
      )
      for (const l of review.links) assert.equal((await get(cara, l.href)).statusCode, 200, l.href)
    })

    test('someone not on the team never sees the cycle; a member with nothing sees the kind empty states', async () => {
      const leo = await as('leo.learner@example.invalid')
      const leoHome = await get(leo, '/')
      assert.doesNotMatch(leoHome.body, /Criteria-led discharge trial/)
      assert.doesNotMatch(leoHome.body, /Beds cleaned within the hour/)
      assert.equal(section(leoHome.body, 'caseload'), null, 'no caseload for someone who is not a coach')
      const dev = await as('dev.driver@example.invalid')
      const res = await get(dev, '/')
      assert.equal(res.statusCode, 200)
      const body = text(res.body)
      assert.match(body, /Nothing needs you right now/)
      assert.match(body, /No PDSA cycle is waiting for its Study/)
      assert.match(body, /Every measure of your projects is up to date/)
      assert.match(body, /Nothing is waiting for your review/)
      assert.match(body, /You have no courses coming up/)
      assert.match(body, /You have no open support requests/)
      for (const kind of ['study', 'data', 'review', 'learning', 'support']) {
        assert.equal(section(res.body, kind)!.count, 0, kind)
      }
    })

    // After the tests above: it adds late measures they do not expect.
    test('the home shows the first ten of a section with its count and a link to the section with them all', async () => {
      const db = t.db.database.db
      const extra = Array.from({ length: 11 }, (_, i) =>
        measureRow({ project_id: PROJECT, name: `Late weekly count ${i + 1}`, frequency: 'Weekly' }),
      )
      await db.insertInto('measures').values(extra).execute()
      await db
        .insertInto('measure_data_points')
        .values(extra.map((m) => dataPointRow({ measure_id: m.id, period: daysAgo(60), value: 3 })))
        .execute()
      const ada = await as('ada.aimwell@example.invalid')
      const home = await get(ada, '/my-work')
      const data = section(home.body, 'data')!
      assert.equal(data.count, 12, data.text)
      assert.equal(data.links.length, 10, 'ten on the home')
      assert.match(
        home.body,
        /<a href="\/my-work\/data">See all 12<span class="nhsuk-u-visually-hidden"> of measures with late data<\/span><\/a>/,
      )
      assert.match(
        text(home.body),
        /1[3-9] things need you|[2-9]\d things need you/,
        'the total counts every item',
      )
      const all = await get(ada, '/my-work/data')
      assert.equal(all.statusCode, 200)
      assert.match(all.body, /<h1>Measures with late data<\/h1>/)
      const links = [...all.body.matchAll(/<a href="(\/measures\/[^"]+\/data\/new)">/g)].map((m) => m[1])
      assert.equal(links.length, 12)
      assert.ok(links.includes(`/measures/${lateMeasureId}/data/new`))
      // Another person's section of the same name is their own: none of these measures.
      const leo = await as('leo.learner@example.invalid')
      const leos = await get(leo, '/my-work/data')
      assert.equal(leos.statusCode, 200)
      assert.doesNotMatch(leos.body, /Late weekly count|Beds cleaned within the hour/)
      assert.equal(
        (await get(leo, '/my-work/caseload')).statusCode,
        404,
        'no caseload for someone who is not a coach',
      )
      assert.equal((await get(ada, '/my-work/everything')).statusCode, 404)
      const visitor = await get(new TestBrowser(t.app), '/my-work/data')
      assert.equal(visitor.statusCode, 303)
    })

    test('a visitor sees the public home page, and /my-work asks them to sign in', async () => {
      const visitor = new TestBrowser(t.app)
      const res = await get(visitor, '/')
      assert.equal(res.statusCode, 200)
      assert.doesNotMatch(res.body, /<h1>My work<\/h1>/)
      assert.match(res.body, /nhsuk-hero/)
      const mine = await get(visitor, '/my-work')
      assert.equal(mine.statusCode, 303)
      assert.match(String(mine.headers.location), /sign-in/)
    })
  })
}
