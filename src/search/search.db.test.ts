import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { sql, type Kysely } from 'kysely'
import { libraryResourceRow, projectRow, userRow } from '../db/rows.js'
import * as searchMigration from '../db/migrations/2026-12-04T1100-search.js'
import { createSearchSource } from '../db/search-index.js'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { openTestDatabase, testDialects } from '../testing/databases.js'
import { SESSION_COOKIE } from '../web/plugin.js'
import {
  createRightsProjects,
  createRightsUsers,
  sessionFor,
  type RightsProject,
} from '../projects/rights-fixtures.js'
import { markSnippet, parseQuery } from './query.js'

const CARA = 'cara.cycle@example.invalid' // coach and Steering Group
const ADA = 'ada.aimwell@example.invalid'

/** The six viewers of the matrix, by their rights-fixture role (null: not signed in). */
const VIEWERS = {
  visitor: null,
  member: 'unrelated_member',
  team_member: 'team_member',
  coach: 'coach',
  steering_group: 'steering_group',
  partner: 'partner_on_team',
} as const
type Viewer = keyof typeof VIEWERS

/** Every result link of a search, following its pages. */
async function hrefs(b: TestBrowser, q: string, type = ''): Promise<string[]> {
  const found: string[] = []
  for (let page = 1; page <= 10; page++) {
    const res = await b.get(`/search?q=${encodeURIComponent(q)}&type=${type}&page=${page}`)
    assert.equal(res.statusCode, 200, `${q}: ${res.statusCode}`)
    const list = /<ul class="nhsuk-list app-search-results">([\s\S]*?)<\/ul>/.exec(res.body)?.[1] ?? ''
    const links = [...list.matchAll(/<h3[^>]*><a href="([^"]+)"/g)].map((m) => m[1])
    found.push(...links)
    if (!/nhsuk-pagination__next|nhsuk-pagination-item--next/.test(res.body)) break
  }
  return found
}

/** The count a type filter shows: "Projects (3)". */
const countOf = (html: string, plural: string) =>
  Number(new RegExp(`${plural} \\((\\d+)\\)`).exec(html)?.[1] ?? NaN)

test('the query keeps only words, quoted; markup in a snippet is escaped and only our <mark>s are added', () => {
  assert.deepEqual(parseQuery('  '), { kind: 'empty' })
  assert.deepEqual(parseQuery('"'), { kind: 'no_words' })
  assert.deepEqual(parseQuery('* - "'), { kind: 'no_words' })
  assert.deepEqual(parseQuery('🙂🚑'), { kind: 'no_words' })
  assert.deepEqual(parseQuery("NEAR(falls OR '; DROP TABLE users; --"), {
    kind: 'words',
    terms: ['near', 'falls', 'or', 'drop', 'table', 'users'],
  })
  assert.deepEqual(parseQuery('تحسين الجودة'), { kind: 'words', terms: ['تحسين', 'الجودة'] })
  assert.equal(parseQuery('x'.repeat(201)).kind, 'too_long')
  assert.equal(
    markSnippet('a <script>\uE000falls\uE001</script> & "b"'),
    'a &lt;script&gt;<mark>falls</mark>&lt;/script&gt; &amp; &quot;b&quot;',
  )
  assert.equal(markSnippet('\uE001x\uE000y'), 'x<mark>y</mark>', 'unbalanced markers are balanced')
})

for (const { dialect, skip } of await testDialects()) {
  describe(`one search across everything, on ${dialect}`, { skip }, () => {
    let t: TestApp
    let projects: RightsProject[]
    const browsers = new Map<Viewer, TestBrowser>()
    let cara: TestBrowser
    let ada: TestBrowser

    before(async () => {
      t = await startTestApp(dialect)
      const db = t.db.database.db
      const users = await createRightsUsers(db)
      projects = await createRightsProjects(db, users)
      for (const [viewer, role] of Object.entries(VIEWERS) as [Viewer, string | null][]) {
        const b = new TestBrowser(t.app)
        if (role)
          b.cookies.set(SESSION_COOKIE, await sessionFor(t.services.sessions, db, users[role as 'coach'].id))
        browsers.set(viewer, b)
      }
      cara = new TestBrowser(t.app)
      await cara.signIn(CARA)
      ada = new TestBrowser(t.app)
      await ada.signIn(ADA)
    })
    after(() => t?.close())

    test('every viewer finds exactly the projects whose page they may open', async () => {
      for (const [viewer, b] of browsers) {
        const found = new Set(await hrefs(b, 'Rightsmatrix', 'project'))
        const expected = new Set<string>()
        for (const p of projects) {
          const page = await b.get(`/projects/${p.id}`)
          if (page.statusCode === 200) expected.add(`/projects/${p.id}`)
        }
        assert.deepEqual([...found].sort(), [...expected].sort(), viewer)
        const res = await b.get('/search?q=Rightsmatrix')
        assert.equal(countOf(res.body, 'Projects'), expected.size, `${viewer}: the count`)
      }
      const visitor = await hrefs(browsers.get('visitor')!, 'Rightsmatrix', 'project')
      assert.ok(
        visitor.length > 0 && visitor.every((h) => h.startsWith('/projects/rights-public-')),
        'visitors: public only',
      )
      const member = await hrefs(browsers.get('member')!, 'Rightsmatrix private')
      assert.deepEqual(member, [], 'a member outside the team never finds a private project')
      const coach = await hrefs(browsers.get('coach')!, 'Rightsmatrix private')
      assert.ok(!coach.includes('/projects/rights-private-draft'), "a draft is its team's alone")
    })

    test('posters appear only when approved and consented; community posters only to members', async () => {
      const db = t.db.database.db
      const at = new Date().toISOString()
      const poster = (id: string, over: Record<string, unknown>) =>
        db
          .insertInto('showcase_items')
          .values({
            id,
            slug: id,
            title: `Quillwort poster ${id}`,
            summary: 'Falls prevention on the quillwort ward',
            status: 'approved',
            visibility: 'public',
            file_status: 'ready',
            consent_confirmed_at: at,
            created_at: at,
            ...over,
          })
          .execute()
      await poster('qw-public', {})
      await poster('qw-community', { visibility: 'community' })
      await poster('qw-submitted', { status: 'submitted', consent_confirmed_at: null })
      await poster('qw-no-consent', { consent_confirmed_at: null })
      for (const [viewer, b] of browsers) {
        const found = (await hrefs(b, 'quillwort', 'poster')).sort()
        const expected =
          viewer === 'visitor'
            ? ['/showcase/posters/qw-public']
            : ['/showcase/posters/qw-community', '/showcase/posters/qw-public']
        assert.deepEqual(found, expected, viewer)
      }
    })

    test("people are found by what they share, never by what they keep to themselves or a partner's contacts", async () => {
      const db = t.db.database.db
      const at = new Date().toISOString()
      for (const row of [
        userRow({
          id: 'search-sharer',
          email: 'kestrelmail@example.invalid',
          name: 'Kestrel Sharer',
          job_role: 'Zanzibarist',
          share_job_role: true,
          skills: 'Quokkaology',
          share_skills: false,
          bio: 'Wombatics',
          share_bio: false,
          email_verified_at: at,
          created_at: at,
        }),
        userRow({
          id: 'search-partner',
          email: 'ptarmigan@example.invalid',
          name: 'Ptarmigan Partner',
          is_partner: true,
          affiliation: 'service_user',
          share_email: true,
          email_verified_at: at,
          created_at: at,
        }),
        userRow({
          id: 'search-hidden',
          email: 'hidden@example.invalid',
          name: 'Kestrel Hidden',
          in_directory: false,
          email_verified_at: at,
          created_at: at,
        }),
      ])
        await db.insertInto('users').values(row).execute()
      for (const [viewer, b] of browsers) {
        assert.deepEqual(
          await hrefs(b, 'Zanzibarist'),
          ['/people/search-sharer'],
          `${viewer}: a shared job role`,
        )
        assert.deepEqual(await hrefs(b, 'Quokkaology'), [], `${viewer}: skills not shared`)
        assert.deepEqual(await hrefs(b, 'Wombatics'), [], `${viewer}: a bio not shared`)
        assert.deepEqual(await hrefs(b, 'kestrelmail'), [], `${viewer}: e-mail addresses are never searched`)
        assert.deepEqual(
          await hrefs(b, 'Kestrel'),
          ['/people/search-sharer'],
          `${viewer}: not in the directory`,
        )
        const partner = await b.get('/search?q=Ptarmigan')
        assert.match(partner.body, /href="\/people\/search-partner"/)
        assert.doesNotMatch(partner.body, /ptarmigan@example/, `${viewer}: a partner's contacts never`)
      }
      // Leaving the directory takes a person out of the index at once.
      await db.updateTable('users').set({ in_directory: false }).where('id', '=', 'search-sharer').execute()
      assert.deepEqual(await hrefs(browsers.get('coach')!, 'Zanzibarist'), [])
      await db
        .updateTable('users')
        .set({ share_job_role: false, in_directory: true })
        .where('id', '=', 'search-sharer')
        .execute()
      assert.deepEqual(
        await hrefs(browsers.get('coach')!, 'Zanzibarist'),
        [],
        'the job role is no longer shared',
      )
      assert.deepEqual(await hrefs(browsers.get('coach')!, 'Kestrel'), ['/people/search-sharer'])
    })

    test('resources, courses, events and programmes from the demo are found, with counts per type', async () => {
      const v = browsers.get('visitor')!
      assert.ok((await hrefs(v, 'driver diagram')).includes('/resources/driver-diagram'))
      assert.ok((await hrefs(v, 'Virtual Ward')).includes('/programmes/virtual-ward'))
      const course = await t.db.database.db
        .selectFrom('courses')
        .select(['slug', 'title'])
        .where('published', '=', true)
        .executeTakeFirstOrThrow()
      assert.ok(
        (await hrefs(v, course.title)).includes(`/learning/courses/${course.slug}`),
        'a published course',
      )
      const event = await t.db.database.db
        .selectFrom('events')
        .select(['id', 'title'])
        .executeTakeFirstOrThrow()
      assert.ok((await hrefs(v, event.title)).includes(`/events/${event.id}`), 'an event')
      const res = await v.get('/search?q=chart')
      const resources = countOf(res.body, 'Resources')
      assert.ok(resources >= 5, `resources about charts: ${resources}`)
      const only = await hrefs(v, 'chart', 'resource')
      assert.equal(only.length, resources)
      assert.ok(only.every((h) => h.startsWith('/resources/')))
      // Stemming: "charts" finds "chart".
      assert.equal(countOf((await v.get('/search?q=charts')).body, 'Resources'), resources)
    })

    test('the index is current right after a create, an edit, a visibility change and a delete', async () => {
      const db = t.db.database.db
      const created = await ada.submit('/projects/new', '/projects', {
        title: 'Axolotl handover project',
        problem: 'Handovers are slow',
        organisationIds: 'org-ghft',
      })
      assert.equal(created.statusCode, 303)
      const href = created.headers.location as string
      const id = href.split('/').pop()!
      assert.deepEqual(await hrefs(ada, 'axolotl'), [href], 'after a create: the lead finds the draft')
      assert.deepEqual(await hrefs(browsers.get('member')!, 'axolotl'), [], 'a private draft stays hidden')
      await db
        .updateTable('projects')
        .set({ title: 'Capybara handover project' })
        .where('id', '=', id)
        .execute()
      assert.deepEqual(await hrefs(ada, 'axolotl'), [], 'after an edit: the old word is gone')
      assert.deepEqual(await hrefs(ada, 'capybara'), [href], 'after an edit: the new word is found')
      await db
        .updateTable('projects')
        .set({ visibility: 'community', status: 'active' })
        .where('id', '=', id)
        .execute()
      assert.deepEqual(await hrefs(browsers.get('member')!, 'capybara'), [href], 'after a visibility change')
      assert.deepEqual(await hrefs(browsers.get('visitor')!, 'capybara'), [])
      await db.deleteFrom('projects').where('id', '=', id).execute()
      assert.deepEqual(await hrefs(ada, 'capybara'), [], 'after a delete')
      // Through the Steering Group's form: a new resource, then an edit.
      const form = {
        kind: 'guide',
        title: 'Narwhal huddles',
        summary: '',
        body: 'Short <b>daily</b> meetings',
        url: '',
        publisher: '',
        appHref: '',
        appText: '',
        stage: '',
        audience: 'everyone',
        tags: '',
        version: '0',
      }
      assert.equal((await cara.submit('/resources/new', '/resources', form)).statusCode, 303)
      assert.deepEqual(await hrefs(ada, 'narwhal'), ['/resources/narwhal-huddles'])
      const edited = await cara.submit('/resources/narwhal-huddles/edit', '/resources/narwhal-huddles/edit', {
        ...form,
        title: 'Dugong huddles',
        version: '1',
      })
      assert.equal(edited.statusCode, 303)
      assert.deepEqual(await hrefs(ada, 'narwhal'), [])
      assert.deepEqual(await hrefs(ada, 'dugong'), ['/resources/narwhal-huddles'])
      const page = await ada.get('/search?q=dugong+daily')
      assert.match(page.body, /<mark>Dugong<\/mark> huddles/)
      // SQLite's snippet keeps the text's markup (escaped here); PostgreSQL's headline drops tags.
      assert.match(page.body, /(&lt;b&gt;)?<mark>daily<\/mark>(&lt;\/b&gt;)?/)
      assert.doesNotMatch(page.body, /<b>/, 'markup in the text is never rendered')
    })

    test('hostile searches get a clear answer, never a 500, and are never echoed as markup', async () => {
      const v = browsers.get('member')!
      for (const q of [
        '"',
        '*',
        'NEAR(',
        'NEAR(falls chart, 2)',
        'OR',
        'chart OR',
        '-',
        '-chart',
        "'; DROP TABLE search_docs; --",
        'chart*',
        'title:chart',
        '^chart',
        '<script>alert(1)</script>',
        '🙂🚑',
        'تحسين الجودة',
        'שיפור איכות',
        '\u202Echart',
        'a'.repeat(10_000),
        'chart '.repeat(30),
      ]) {
        const res = await v.get(`/search?q=${encodeURIComponent(q)}`)
        assert.ok([200, 400].includes(res.statusCode), `${JSON.stringify(q.slice(0, 20))}: ${res.statusCode}`)
        assert.doesNotMatch(res.body, /<script>alert/)
        const text = res.body.replace(/<[^>]+>/g, ' ')
        assert.ok(
          /\d+ results?|No results|Search for words or numbers|characters or fewer/.test(text),
          `${JSON.stringify(q.slice(0, 20))} has a clear answer`,
        )
      }
      const long = await v.get(`/search?q=${'a'.repeat(10_000)}`)
      assert.equal(long.statusCode, 400)
      assert.match(long.body, /Search for 200 characters or fewer/)
      assert.match(long.body, /nhsuk-error-summary/)
      // The search table is still there and still answers.
      assert.ok((await hrefs(v, 'driver diagram')).includes('/resources/driver-diagram'))
      for (const bad of ['type=%27%3B', 'page=-1', 'page=99999', 'type=nosuchkind', 'q[]=x']) {
        const res = await v.get(`/search?q=chart&${bad}`)
        assert.ok([200, 400].includes(res.statusCode), `${bad}: ${res.statusCode}`)
      }
    })

    test('results come 20 a page, with previous and next links that keep the search and the type', async () => {
      const db = t.db.database.db
      for (let i = 0; i < 25; i++)
        await db
          .insertInto('library_resources')
          .values(
            libraryResourceRow({
              slug: `pangolin-${i}`,
              kind: 'guide',
              title: `Pangolin guide ${i}`,
              audience: 'everyone',
            }),
          )
          .execute()
      const v = browsers.get('visitor')!
      const first = await v.get('/search?q=pangolin&type=resource')
      assert.match(first.body, /25 results, showing 1 to 20/)
      assert.match(first.body, /href="\/search\?q=pangolin&amp;type=resource&amp;page=2"/)
      const second = await v.get('/search?q=pangolin&type=resource&page=2')
      assert.match(second.body, /25 results, showing 21 to 25/)
      assert.equal((await hrefs(v, 'pangolin', 'resource')).length, 25)
      assert.equal(new Set(await hrefs(v, 'pangolin', 'resource')).size, 25, 'no result on two pages')
    })

    test('counts stop at 100 ("more than 100"); pages go on with next links until the last result, title matches first', async () => {
      const db = t.db.database.db
      // The oldest has the word in its title; 129 newer ones only in their summary.
      await db
        .insertInto('library_resources')
        .values(
          libraryResourceRow({
            slug: 'quokka-title',
            kind: 'guide',
            title: 'Quokka first',
            audience: 'everyone',
          }),
        )
        .execute()
      for (let i = 0; i < 129; i++)
        await db
          .insertInto('library_resources')
          .values(
            libraryResourceRow({
              slug: `quokka-${i}`,
              kind: 'guide',
              title: `Guide ${i}`,
              summary: `About quokkas, number ${i}`,
              audience: 'everyone',
            }),
          )
          .execute()
      const v = browsers.get('visitor')!
      const first = await v.get('/search?q=quokka')
      assert.match(first.body, /More than 100 results, showing 1 to 20/)
      assert.match(first.body, /Resources \(more than 100\)/)
      assert.match(first.body, /Everything \(more than 100\)/)
      const found = await hrefs(v, 'quokka')
      assert.equal(found.length, 130, 'every match is reachable page by page')
      assert.equal(new Set(found).size, 130, 'no result on two pages')
      assert.equal(found[0], '/resources/quokka-title', 'a title match comes before newer text matches')
      assert.equal(found[1], '/resources/quokka-128', 'then the newest first')
      const last = await v.get('/search?q=quokka&page=7')
      assert.match(last.body, /showing 121 to 130/)
      assert.doesNotMatch(last.body, /nhsuk-pagination-item--next|nhsuk-pagination__next/)
      // Words stemmed as the index stems them are marked in the snippet.
      assert.match(first.body, /About <mark>quokkas<\/mark>, number/)
    })

    test('the header carries the search box on every page', async () => {
      const home = await browsers.get('visitor')!.get('/')
      assert.match(home.body, /<form[^>]+action="\/search"/)
      assert.match(home.body, /name="q"/)
    })
  })
}

for (const { dialect, skip } of await testDialects()) {
  test(`the search migration indexes what the tables already hold, on ${dialect}`, { skip }, async () => {
    const { database, cleanup } = await openTestDatabase(dialect)
    try {
      const db = database.db
      await searchMigration.down(db)
      const at = new Date().toISOString()
      await db
        .insertInto('projects')
        .values(projectRow({ id: 'old-project', title: 'Okapi clinic', problem: 'Waits' }))
        .execute()
      await db
        .insertInto('users')
        .values(
          userRow({
            id: 'old-user',
            email: 'old@example.invalid',
            name: 'Olm Person',
            email_verified_at: at,
          }),
        )
        .execute()
      await db
        .insertInto('users')
        .values(
          userRow({
            id: 'old-hidden',
            email: 'hid@example.invalid',
            name: 'Olm Hidden',
            in_directory: false,
            email_verified_at: at,
          }),
        )
        .execute()
      await searchMigration.up(db)
      const rows = await db
        .selectFrom('search_docs')
        .select(['kind', 'ref_id', 'path', 'title'])
        .orderBy('ref_id')
        .execute()
      assert.deepEqual(rows, [
        { kind: 'project', ref_id: 'old-project', path: '/projects/old-project', title: 'Okapi clinic' },
        { kind: 'person', ref_id: 'old-user', path: '/people/old-user', title: 'Olm Person' },
      ])
    } finally {
      await cleanup()
    }
  })
}

for (const { dialect, skip } of await testDialects()) {
  test(
    `a kind added after the per-kind index gets its own FTS table or partition, on ${dialect}`,
    { skip },
    async () => {
      const { database, cleanup } = await openTestDatabase(dialect)
      try {
        const db = database.db as unknown as Kysely<unknown>
        await sql`create table zz_widgets (id text primary key, name text not null)`.execute(db)
        await sql`insert into zz_widgets (id, name) values ('w1', 'Sprocket one')`.execute(db)
        await createSearchSource(db, dialect, {
          kind: 'widget',
          table: 'zz_widgets',
          path: `'/widgets/' || {r}.id`,
          title: '{r}.name',
          body: `''`,
          columns: ['name'],
        })
        await sql`insert into zz_widgets (id, name) values ('w2', 'Sprocket two')`.execute(db)
        if (dialect === 'sqlite') {
          const hits = await sql<{ id: string }>`select d.ref_id as id from search_fts_widget f
          join search_docs d on d.id = f.rowid where search_fts_widget match '"sprocket"' order by d.ref_id`.execute(
            db,
          )
          assert.deepEqual(
            hits.rows.map((r) => r.id),
            ['w1', 'w2'],
          )
        } else {
          const where = await sql<{ part: string }>`select tableoid::regclass::text as part from search_docs
          where kind = 'widget' order by ref_id`.execute(db)
          assert.deepEqual(
            where.rows.map((r) => r.part),
            ['search_docs_widget', 'search_docs_widget'],
          )
        }
      } finally {
        await cleanup()
      }
    },
  )
}
