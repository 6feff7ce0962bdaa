import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'

const ADA = 'ada.aimwell@example.invalid'
const BEN = 'ben.baseline@example.invalid'
const FAY = 'fay.feedback@example.invalid' // a member of Patient safety
const SAFETY = '/networks/patient-safety'
const HUDDLES = `${SAFETY}/threads/demo-thread-huddles`
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

function mentionsOf(html: string) {
  const start = html.indexOf('id="mywork-mentions"')
  assert.ok(start >= 0, 'the home has a mentions section')
  const part = html.slice(start, html.indexOf('</section>', start))
  return {
    links: [...part.matchAll(/<a href="([^"]+)">/g)].map((m) => m[1].replace(/&#35;|&#x23;/g, '#')),
    text: text(part),
  }
}

for (const { dialect, skip } of await testDialects()) {
  describe(`mentions and replies on my work, on ${dialect}`, { skip }, () => {
    let t: TestApp
    const b: Record<string, TestBrowser> = {}
    const post = async (email: string, body: string) => {
      await b[email].get(HUDDLES)
      const res = await b[email].post(`${HUDDLES}/replies`, { body })
      assert.equal(res.statusCode, 303)
      return /#post-(.+)$/.exec(String(res.headers.location))![1]
    }

    before(async () => {
      t = await startTestApp(dialect)
      for (const email of [ADA, BEN, FAY]) {
        b[email] = new TestBrowser(t.app)
        await b[email].signIn(email)
      }
    })
    after(() => t?.close())

    test('a mention is stored and listed once; a reply in a thread the person posted in is listed; each links to the post', async () => {
      const empty = mentionsOf((await b[FAY].get('/')).body)
      assert.equal(empty.links.length, 0)
      assert.match(empty.text, /Nobody has mentioned you/)
      await post(FAY, 'Our huddle moved to 8:30.')
      const mention = await post(BEN, 'Thanks @Fay Feedback, that works for the night team.')
      const reply = await post(ADA, 'I will bring the safety cross.')
      const stored = await t.db.database.db
        .selectFrom('network_mentions')
        .select(['post_id', 'author_id'])
        .where('post_id', '=', mention)
        .execute()
      assert.equal(stored.length, 1)
      const home = mentionsOf((await b[FAY].get('/')).body)
      assert.deepEqual(home.links, [`${HUDDLES}#post-${reply}`, `${HUDDLES}#post-${mention}`])
      assert.match(home.text, /Ada Aimwell \(DEMO\) replied in Patient safety/)
      assert.match(home.text, /Ben Baseline \(DEMO\) mentioned you in Patient safety/)
      const ben = mentionsOf((await b[BEN].get('/')).body)
      assert.ok(ben.links.includes(`${HUDDLES}#post-${reply}`), 'Ben posted before Ada: a reply to him too')
      assert.ok(!ben.links.includes(`${HUDDLES}#post-${mention}`), 'never his own post')
    })

    test('a removed post is not shown, nor anything from a network the person has left', async () => {
      const home = mentionsOf((await b[FAY].get('/')).body)
      const mention = home.links[1].split('#post-')[1]
      await b[BEN].get(HUDDLES)
      assert.equal((await b[BEN].post(`${SAFETY}/posts/${mention}/delete`, {})).statusCode, 303)
      const after = mentionsOf((await b[FAY].get('/')).body)
      assert.equal(after.links.length, 1)
      assert.doesNotMatch(after.text, /mentioned you/)
      await b[FAY].get(SAFETY)
      assert.equal((await b[FAY].post(`${SAFETY}/leave`, {})).statusCode, 303)
      assert.equal(mentionsOf((await b[FAY].get('/')).body).links.length, 0)
    })
  })
}
