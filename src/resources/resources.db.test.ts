import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { insertProject } from '../projects/fixtures.js'
import { SEED_GUIDES, SEED_LINKS } from './content.js'

const CARA = 'cara.cycle@example.invalid' // coach and Steering Group
const ADA = 'ada.aimwell@example.invalid' // member, project lead

/** Text of the page's <main>. */
const text = (html: string) =>
  (/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')

/** The slugs of the resources a list page links. */
const slugs = (html: string) => [
  ...new Set([...html.matchAll(/href="\/resources\/([a-z0-9-]+)"/g)].map((m) => m[1])),
]

const guide = (over: Record<string, string> = {}) => ({
  kind: 'guide',
  title: 'Huddles that work',
  summary: 'A short daily meeting',
  body: '## Why\n\nTen minutes at the start of a shift.\n\n<script>alert(1)</script> [bad](javascript:alert(1))',
  url: '',
  publisher: '',
  appHref: '/projects?mine=1',
  appText: 'Open your project',
  stage: 'implement',
  audience: 'staff',
  tags: 'Huddles, teams',
  version: '0',
  ...over,
})

for (const { dialect, skip } of await testDialects()) {
  describe(`the resources library and the contact page on ${dialect}`, { skip }, () => {
    let t: TestApp
    let cara: TestBrowser
    let ada: TestBrowser
    before(async () => {
      t = await startTestApp(dialect)
      cara = new TestBrowser(t.app)
      await cara.signIn(CARA)
      ada = new TestBrowser(t.app)
      await ada.signIn(ADA)
    })
    after(() => t?.close())

    test('the library lists a guide for every QSIR stage and every tool, and the seed links with their publishers', async () => {
      const res = await new TestBrowser(t.app).get('/resources')
      assert.equal(res.statusCode, 200)
      const listed = slugs(res.body)
      for (const g of SEED_GUIDES) assert.ok(listed.includes(g.slug), g.slug)
      for (const l of SEED_LINKS) assert.ok(listed.includes(l.slug), l.slug)
      const stages = new Set(SEED_GUIDES.map((g) => g.stage))
      assert.equal(stages.size, 6, 'six QSIR stages')
      const page = await new TestBrowser(t.app).get('/resources/driver-diagram')
      assert.equal(page.statusCode, 200)
      assert.match(text(page.body), /Start a driver diagram in your project/)
      assert.match(page.body, /href="\/projects\?mine=1"/)
      const qsir = text((await new TestBrowser(t.app).get('/resources/qsir-tools')).body)
      assert.match(qsir, /NHS England/)
      assert.match(qsir, /Link last checked Not checked yet/)
      const link = await new TestBrowser(t.app).get('/resources/qsir-tools')
      assert.match(
        link.body,
        /href="https:\/\/www\.england\.nhs\.uk\/sustainableimprovement\/qsir-programme\/qsir-tools\/"/,
      )
      const q = text((await new TestBrowser(t.app).get('/resources/becoming-a-q')).body)
      assert.match(q, /Q Community/)
      assert.match(q, /has not been published yet/)
      assert.equal((await new TestBrowser(t.app).get('/resources/no-such-thing')).statusCode, 404)
    })

    test('filters by stage, audience, tag and kind; unknown filter values are dropped, never a 500', async () => {
      const v = new TestBrowser(t.app)
      const stage = slugs((await v.get('/resources?stage=handover_sustain')).body)
      assert.deepEqual(stage.sort(), ['handover-and-sustain', 'sustainability-model'])
      const leaders = slugs((await v.get('/resources?audience=leaders&kind=guide')).body)
      // Leaders see guides written for them and for everyone, never those for staff only.
      assert.ok(leaders.includes('handover-and-sustain'))
      assert.ok(leaders.includes('pdsa-cycles'), 'for everyone')
      assert.ok(!leaders.includes('xmr-chart'), 'for staff')
      const spc = slugs((await v.get('/resources?tag=spc')).body)
      assert.deepEqual(spc.sort(), ['c-chart', 'p-chart', 'u-chart', 'xmr-chart'])
      const links = slugs((await v.get('/resources?kind=link')).body)
      assert.deepEqual(links.sort(), SEED_LINKS.map((l) => l.slug).sort())
      const words = slugs((await v.get('/resources?q=fishbone')).body)
      assert.deepEqual(words, ['fishbone-diagram'])
      for (const bad of [
        'stage=%3Cscript%3E',
        'audience=x&tag=%27%3B%20DROP',
        'kind=%00',
        'q=' + 'x'.repeat(5000),
      ]) {
        const res = await v.get(`/resources?${bad}`)
        assert.ok([200, 400].includes(res.statusCode), `${bad}: ${res.statusCode}`)
        assert.doesNotMatch(res.body, /<script>/)
      }
    })

    test('only the Steering Group adds and edits resources; others get 403, visitors are sent to sign in', async () => {
      assert.equal((await ada.get('/resources/new')).statusCode, 403)
      assert.equal((await ada.get('/resources/driver-diagram/edit')).statusCode, 403)
      assert.equal((await ada.get('/resources/driver-diagram/revisions')).statusCode, 403)
      assert.equal((await ada.post('/resources', guide())).statusCode, 403)
      assert.equal(
        (await ada.post('/resources/driver-diagram/edit', guide({ version: '1' }))).statusCode,
        403,
      )
      const visitor = new TestBrowser(t.app)
      assert.equal((await visitor.get('/resources/new')).statusCode, 303)
      assert.equal((await visitor.submit('/get-involved', '/resources', guide())).statusCode, 401)
      assert.equal(slugs((await visitor.get('/resources?q=Huddles')).body).length, 0, 'nothing was created')
    })

    test('a Steering Group member adds a guide; bad input gets the error summary; the Markdown is sanitised', async () => {
      const empty = await cara.submit('/resources/new', '/resources', { kind: 'link', version: '0' })
      assert.equal(empty.statusCode, 400)
      assert.deepEqual(errorSummary(empty.body), ['Enter a title', 'Select who this is for'])
      const badUrl = await cara.submit('/resources/new', '/resources', {
        ...guide({
          kind: 'link',
          publisher: 'NHS England',
          url: 'javascript:alert(1)',
          appHref: '//evil.example',
        }),
      })
      assert.equal(badUrl.statusCode, 400)
      assert.deepEqual(errorSummary(badUrl.body), [
        'Enter a web address that starts with https:// or http://',
        'Enter a link into the app that starts with /, like /projects?mine=1',
      ])
      const pid = await cara.submit(
        '/resources/new',
        '/resources',
        guide({ summary: 'NHS number 943 476 5919' }),
      )
      assert.equal(pid.statusCode, 400, 'free text is screened for patient data')
      const created = await cara.submit('/resources/new', '/resources', guide())
      assert.equal(created.statusCode, 303)
      assert.equal(created.headers.location, '/resources/huddles-that-work')
      const page = await cara.get('/resources/huddles-that-work')
      assert.equal(h1(page.body), 'Huddles that work')
      assert.doesNotMatch(page.body, /<script>alert|href="javascript:/)
      assert.match(page.body, /<h2>Why<\/h2>/)
      assert.match(page.body, /href="\/resources\?tag=huddles"/)
      const again = await cara.submit('/resources/new', '/resources', guide())
      assert.equal(
        again.headers.location,
        '/resources/huddles-that-work-2',
        'a second one gets its own address',
      )
      const audit = await t.db.database.db
        .selectFrom('audit_log')
        .select(['action', 'after'])
        .where('action', '=', 'resource.create')
        .execute()
      assert.equal(audit.length, 2)
      assert.doesNotMatch(JSON.stringify(audit), /Ten minutes/, 'no free text in the audit log')
    })

    test('an edit makes a new version, earlier versions stay readable, and a stale edit is refused', async () => {
      const form = await cara.get('/resources/huddles-that-work/edit')
      assert.equal(form.statusCode, 200)
      assert.match(form.body, /name="version" value="1"/)
      const saved = await cara.post(
        '/resources/huddles-that-work/edit',
        guide({ title: 'Safety huddles that work', body: 'Fifteen minutes.', version: '1' }),
      )
      assert.equal(saved.statusCode, 303)
      assert.equal(h1((await cara.get('/resources/huddles-that-work')).body), 'Safety huddles that work')
      const stale = await cara.post(
        '/resources/huddles-that-work/edit',
        guide({ title: 'Stale', version: '1' }),
      )
      assert.equal(stale.statusCode, 409)
      const list = await cara.get('/resources/huddles-that-work/revisions')
      assert.match(list.body, /Version 2/)
      assert.match(list.body, /Version 1/)
      const v1 = await cara.get('/resources/huddles-that-work/revisions/1')
      assert.equal(h1(v1.body), 'Huddles that work')
      assert.match(text(v1.body), /Ten minutes/)
      assert.equal((await cara.get('/resources/huddles-that-work/revisions/9')).statusCode, 404)
      assert.equal(h1((await cara.get('/resources/huddles-that-work')).body), 'Safety huddles that work')
    })

    test("a project's page suggests the guides for its QSIR stage", async () => {
      const adaId = (
        await t.db.database.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', ADA)
          .executeTakeFirstOrThrow()
      ).id
      const id = await insertProject(t.db.database.db, {
        createdBy: adaId,
        members: [{ userId: adaId, role: 'lead' }],
      })
      await t.db.database.db
        .updateTable('projects')
        .set({ qsir_stage: 'handover_sustain' })
        .where('id', '=', id)
        .execute()
      const page = await ada.get(`/projects/${id}`)
      assert.equal(page.statusCode, 200)
      assert.match(text(page.body), /Guides for this stage/)
      assert.match(page.body, /href="\/resources\/sustainability-model"/)
      assert.doesNotMatch(page.body, /href="\/resources\/pdsa-cycles"/)
      assert.deepEqual((await t.services.resources.forStage('handover_sustain')).map((g) => g.href).sort(), [
        '/resources/handover-and-sustain',
        '/resources/sustainability-model',
      ])
      assert.deepEqual(await t.services.resources.forStage('nonsense'), [])
    })

    test('the old resource links now point to the library', async () => {
      const qi = await new TestBrowser(t.app).get('/what-is-qi')
      assert.match(qi.body, /href="\/resources"/)
      assert.doesNotMatch(qi.body, /weahsn\.net/)
    })

    test("the contact page carries the seed's contacts", async () => {
      const res = await new TestBrowser(t.app).get('/contact')
      assert.equal(res.statusCode, 200)
      const body = text(res.body)
      assert.match(
        body,
        /One Gloucestershire Improvement Community Join the community or get more information; ask for facilitation help: glicb\.improvement-community@nhs\.net/,
      )
      assert.match(res.body, /href="mailto:glicb\.improvement-community@nhs\.net"/)
      assert.match(
        body,
        /The Associate Director, One Gloucestershire Improvement Community Discuss the programme/,
      )
      assert.match(
        body,
        /QI Hub \(Gloucestershire Health and Care NHS Foundation Trust\) GHC QI Hub information: QI@ghc\.nhs\.uk/,
      )
      assert.match(res.body, /href="mailto:QI@ghc\.nhs\.uk"/)
    })
  })
}
