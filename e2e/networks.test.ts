// Browser journey for networks (issue 11 point 1): a member proposes a network and starts a
// discussion, another joins and replies, a third reports the reply, and the owner removes it from
// the moderators' queue; the header's search box then finds the discussion, a guide and a
// project. axe on every page reached, with JavaScript on; the network pages again
// with JavaScript off.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startE2e, type E2e } from './harness.js'
import { Member } from './pages/member.js'
import { NetworkPages } from './pages/networks.js'
import { SearchPages } from './pages/search.js'

const ESME = 'esme.exec@example.invalid'
const BEN = 'ben.baseline@example.invalid'
const FAY = 'fay.feedback@example.invalid'
const NETWORK = 'Falls prevention circle'
const THREAD = 'What helped your falls huddle?'

describe('networks and discussions in the browser', () => {
  let e2e: E2e
  before(async () => {
    e2e = await startE2e()
  })
  after(() => e2e?.close())

  test('propose, join, reply, report and moderate (with JavaScript)', async () => {
    const esme = new NetworkPages(await Member.signIn(e2e, ESME))
    await esme.propose(NETWORK, 'Colleagues testing changes that prevent falls on wards.', 'open')
    await esme.member.expectHeading(NETWORK)
    await esme.startThread(THREAD, 'We tried **bed rails checks** at handover. What worked for you?')
    await esme.member.expectHeading(THREAD)

    const ben = new NetworkPages(await Member.signIn(e2e, BEN))
    await ben.openNetwork(NETWORK)
    await ben.member.press('Join the network')
    await ben.member.follow(THREAD)
    await ben.reply('A reply that someone will report. @Esme Exec thanks for starting this.')
    assert.match(await ben.post('someone will report').innerText(), /Ben Baseline/)

    const fay = new NetworkPages(await Member.signIn(e2e, FAY))
    await fay.openNetwork(NETWORK)
    await fay.member.follow(THREAD)
    await fay.report('someone will report', 'It is abusive')
    assert.match(await fay.member.main(), /moderators will look at the post/)

    await esme.member.open('/networks')
    await esme.member.follow(NETWORK)
    await esme.member.follow(/1 reported post to review/)
    await esme.member.check('Remove the post')
    await esme.member.press('Decide')
    assert.match(await esme.member.main(), /The post has been removed/)
    await esme.openNetwork(NETWORK)
    await esme.member.follow(THREAD)
    assert.match(await esme.post('This post was removed').innerText(), /Ben Baseline/)
    // The header's search box finds the discussion, a guide and a project.
    const search = new SearchPages(ben.member)
    await search.searchFromHeader('falls huddle')
    assert.ok((await search.resultTitles()).includes(THREAD), 'the discussion is found')
    await search.searchFromHeader('driver diagram')
    assert.ok((await search.resultTitles()).includes('Driver diagrams'), 'a guide is found')
    await search.searchFromHeader('discharge before noon')
    assert.ok(
      (await search.resultTitles()).includes('Timely discharge before noon on Ward 3 (DEMO)'),
      'a project is found',
    )
    for (const m of [esme, ben, fay]) await m.member.close()
  })

  test('the network pages without JavaScript', async () => {
    const ben = new NetworkPages(await Member.signIn(e2e, BEN, { javaScript: false }))
    await ben.openNetwork('Patient safety')
    await ben.member.follow('See the members')
    await ben.member.open('/networks/patient-safety/threads/demo-thread-huddles')
    // An empty reply: the error summary, checked with axe too.
    await ben.member.fill('Your reply', '')
    await ben.member.press('Post your reply', 400)
    assert.deepEqual(await ben.member.errorSummary(), [{ text: 'Enter your post', href: '#body' }])
    await ben.member.open('/networks/new')
    await ben.member.close()
  })
})
