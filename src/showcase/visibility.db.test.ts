import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { posterThrough } from './fixtures.js'

/**
 * Nothing shows that should not: every route that can show a poster (gallery, its search, the
 * poster's page, its file, thumbnail and preview, the sitemap and the API), for every kind of
 * viewer outside the poster's team, over posters in every state.
 */
const STATES = ['public', 'community', 'submitted', 'draft', 'consentWithdrawn', 'withdrawn'] as const
type State = (typeof STATES)[number]
const OUTSIDERS = {
  visitor: null,
  member: 'leo.learner@example.invalid',
  board: 'esme.exec@example.invalid',
  partner: 'fay.feedback@example.invalid',
} as const

for (const { dialect, skip } of await testDialects()) {
  describe(`who sees which poster, on every route, on ${dialect}`, { skip }, () => {
    let t: TestApp
    const ids = {} as Record<State, string>
    const word = (s: State) => `Matrix${s}`
    const as = async (email: string) => {
      const b = new TestBrowser(t.app)
      await b.signIn(email)
      return b
    }
    before(async () => {
      t = await startTestApp(dialect)
      const ada = await as('ada.aimwell@example.invalid')
      const cara = await as('cara.cycle@example.invalid')
      const run = () => t.services.jobs.runDue()
      const title = (s: State) => `${word(s)} poster (DEMO)`
      ids.public = await posterThrough(run, ada, cara, { title: title('public') })
      ids.community = await posterThrough(run, ada, cara, {
        title: title('community'),
        visibility: 'community',
      })
      ids.submitted = await posterThrough(run, ada, cara, { title: title('submitted') }, 'submitted')
      ids.draft = await posterThrough(run, ada, cara, { title: title('draft') }, 'draft')
      ids.withdrawn = await posterThrough(run, ada, cara, { title: title('withdrawn') })
      const w = await cara.submit(
        `/showcase/posters/${ids.withdrawn}`,
        `/showcase/posters/${ids.withdrawn}/decision`,
        {
          decision: 'withdraw',
          comment: 'Withdrawn at the team’s request (DEMO).',
        },
      )
      assert.equal(w.statusCode, 303)
      // A partner is quoted, consents, and later withdraws consent: hidden at once.
      const id = await posterThrough(run, ada, cara, { title: title('consentWithdrawn') }, 'draft')
      await ada.post(`/showcase/posters/${id}/consent`, {
        personName: 'Pat Partner (DEMO)',
        appearsAs: 'quoted',
        method: 'written',
        givenOnDay: '1',
        givenOnMonth: '12',
        givenOnYear: '2026',
      })
      await ada.submit(`/showcase/posters/${id}/consent`, `/showcase/posters/${id}/consent/confirm`, {
        confirmed: 'on',
      })
      await ada.submit(`/showcase/posters/${id}`, `/showcase/posters/${id}/submit`, {})
      await cara.submit(`/showcase/posters/${id}`, `/showcase/posters/${id}/decision`, {
        decision: 'approve',
      })
      assert.equal(
        (await new TestBrowser(t.app).get(`/showcase/posters/${id}`)).statusCode,
        200,
        'published first',
      )
      const consent = await t.db.database.db
        .selectFrom('showcase_consents')
        .select('id')
        .where('item_id', '=', id)
        .executeTakeFirstOrThrow()
      await ada.submit(
        `/showcase/posters/${id}/consent`,
        `/showcase/posters/${id}/consent/${consent.id}/withdraw`,
        {},
      )
      ids.consentWithdrawn = id
    })
    after(() => t?.close())

    for (const [role, email] of Object.entries(OUTSIDERS)) {
      test(`${role}: only approved, consented posters their sign-in allows, on every route`, async () => {
        const b = email ? await as(email) : new TestBrowser(t.app)
        let bearer: Record<string, string> = {}
        if (email) {
          const made = await b.submit('/account/tokens', '/account/tokens', {
            name: 'Matrix test',
            access: 'read',
            days: '30',
          })
          const token = /(qi_[A-Za-z0-9_-]{20,})/.exec(made.body)?.[1]
          assert.ok(token, 'a read token was shown once')
          bearer = { authorization: `Bearer ${token}` }
        }
        const api = await t.app.inject({
          method: 'GET',
          url: '/api/v1/posters?pageSize=100',
          headers: bearer,
        })
        assert.equal(api.statusCode, 200, api.body)
        const apiTitles = (JSON.parse(api.body) as { items: { title: string }[] }).items.map((i) => i.title)
        for (const state of STATES) {
          const id = ids[state]
          const visible = state === 'public' || (state === 'community' && email !== null)
          const label = `${role} / ${state}`
          const gallery = await b.get(`/showcase?q=${word(state)}`)
          assert.equal(gallery.body.includes(`/showcase/posters/${id}"`), visible, `${label}: gallery`)
          const page = await b.get(`/showcase/posters/${id}`)
          assert.equal(page.statusCode, visible ? 200 : email ? 404 : 303, `${label}: page`)
          for (const file of ['download', 'thumbnail.png', 'preview.png']) {
            const res = await b.get(`/showcase/posters/${id}/${file}`)
            assert.equal(res.statusCode, visible ? 200 : email ? 404 : 401, `${label}: ${file}`)
          }
          assert.equal(apiTitles.includes(`${word(state)} poster (DEMO)`), visible, `${label}: API list`)
          const one = await t.app.inject({ method: 'GET', url: `/api/v1/posters/${id}`, headers: bearer })
          assert.equal(one.statusCode, visible ? 200 : 404, `${label}: API poster`)
        }
      })
    }

    test('the sitemap lists the public poster and no other', async () => {
      const xml = (await new TestBrowser(t.app).get('/sitemap.xml')).body
      for (const state of STATES)
        assert.equal(
          xml.includes(`/showcase/posters/${ids[state]}<`),
          state === 'public',
          `sitemap / ${state}`,
        )
    })

    test('the team sees its own posters in every state; the Steering Group sees what it reviews', async () => {
      const ada = await as('ada.aimwell@example.invalid')
      for (const state of STATES)
        assert.equal((await ada.get(`/showcase/posters/${ids[state]}`)).statusCode, 200, `team / ${state}`)
      const cara = await as('cara.cycle@example.invalid')
      assert.equal((await cara.get(`/showcase/posters/${ids.submitted}`)).statusCode, 200)
    })
  })
}
