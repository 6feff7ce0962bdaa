import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'

/** Every result link of one page of a search. */
async function hrefs(b: TestBrowser, q: string): Promise<string[]> {
  const res = await b.get(`/search?q=${encodeURIComponent(q)}`)
  assert.equal(res.statusCode, 200, `${q}: ${res.statusCode}`)
  const list = /<ul class="nhsuk-list app-search-results">([\s\S]*?)<\/ul>/.exec(res.body)?.[1] ?? ''
  return [...list.matchAll(/<h3[^>]*><a href="([^"]+)"/g)].map((m) => m[1])
}

for (const { dialect, skip } of await testDialects()) {
  describe(`networks, discussions and posts in the search on ${dialect}`, { skip }, () => {
    let t: TestApp
    const as = async (email: string) => {
      const b = new TestBrowser(t.app)
      await b.signIn(email)
      return b
    }
    before(async () => {
      t = await startTestApp(dialect)
    })
    after(() => t?.close())

    test('a network is found by anyone; a discussion only by those who may read its network', async () => {
      const visitor = new TestBrowser(t.app)
      assert.ok((await hrefs(visitor, 'patient safety')).includes('/networks/patient-safety'))
      const huddle = await hrefs(visitor, 'safety huddle stick')
      assert.ok(!huddle.some((h) => h.includes('/threads/')), 'a visitor reads no discussions')

      const leo = await as('leo.learner@example.invalid') // asked to join the partners' forum, not yet in
      const open = await hrefs(leo, 'safety huddle stick')
      assert.ok(
        open.some((h) => /^\/networks\/patient-safety\/threads\/[^#]+$/.test(h)),
        `an open network's discussion: ${open.join(', ')}`,
      )
      const closed = await hrefs(leo, 'welcome forum')
      assert.ok(!closed.some((h) => h.includes('/improvement-partners-forum/threads/')), closed.join(', '))
      assert.ok(
        (await hrefs(leo, 'partners forum')).includes('/networks/improvement-partners-forum'),
        'the forum itself is listed',
      )

      const fay = await as('fay.feedback@example.invalid') // a member of the forum
      const member = await hrefs(fay, 'welcome forum')
      assert.ok(member.includes('/networks/improvement-partners-forum/threads/demo-thread-welcome'))
      assert.ok(
        member.some((h) =>
          h.startsWith('/networks/improvement-partners-forum/threads/demo-thread-welcome#post-'),
        ),
      )
    })

    test('the index follows a post as it is edited, hidden and removed, in the same transaction', async () => {
      const db = t.db.database.db
      const fay = await as('fay.feedback@example.invalid')
      const post = await db
        .selectFrom('network_posts')
        .select(['id', 'thread_id'])
        .where('thread_id', '=', 'demo-thread-welcome')
        .executeTakeFirstOrThrow()
      const anchor = `#post-${post.id}`
      await db
        .updateTable('network_posts')
        .set({ body: 'Zanzibar marmalade rota for the forum (DEMO)' })
        .where('id', '=', post.id)
        .execute()
      assert.ok(
        (await hrefs(fay, 'zanzibar marmalade')).some((h) => h.endsWith(anchor)),
        'the new words are found',
      )
      assert.ok(
        !(await hrefs(fay, 'questions easier')).some((h) => h.endsWith(anchor)),
        'the old words are gone',
      )
      await db.updateTable('network_posts').set({ status: 'hidden' }).where('id', '=', post.id).execute()
      assert.ok(
        !(await hrefs(fay, 'zanzibar marmalade')).some((h) => h.endsWith(anchor)),
        'a hidden post is not found',
      )
      await db.updateTable('network_posts').set({ status: 'visible' }).where('id', '=', post.id).execute()
      assert.ok(
        (await hrefs(fay, 'zanzibar marmalade')).some((h) => h.endsWith(anchor)),
        'restored, found again',
      )
      await db
        .updateTable('network_posts')
        .set({ status: 'removed', body: '' })
        .where('id', '=', post.id)
        .execute()
      await db
        .updateTable('network_threads')
        .set({ status: 'removed', title: '' })
        .where('id', '=', post.thread_id)
        .execute()
      const after = await hrefs(fay, 'welcome forum zanzibar')
      assert.ok(!after.some((h) => h.includes('demo-thread-welcome')), after.join(', '))
    })
  })
}
