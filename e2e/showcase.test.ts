// Browser journey for the showcase (issue 10): a team uploads a poster, records consent and sends
// it; the Steering Group approves it; a visitor finds it in the public gallery by filter and by
// search; a member votes; the occasion closes and the results show. axe on every page visited,
// with JavaScript on (the team, the Steering Group) and off (the visitor, the voter).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { makePdf } from '../src/showcase/fixtures.js'
import { startE2e, visit, type E2e } from './harness.js'
import { Member, dateFromToday } from './pages/member.js'
import { clickAndWait } from './pages/site.js'

const ADA = 'ada.aimwell@example.invalid' // a project lead: the team
const CARA = 'cara.cycle@example.invalid' // QI coach and Steering Group
const LEO = 'leo.learner@example.invalid' // a member
const OCCASION = 'Winter improvement fair (DEMO)'
const POSTER = 'Discharge huddles that stuck (DEMO)'

describe('the showcase in the browser: from upload to the public gallery and the vote', () => {
  let e2e: E2e
  before(async () => {
    e2e = await startE2e()
  })
  after(() => e2e?.close())

  test('upload, consent, approval, the gallery, a vote and the results', async () => {
    // The Steering Group opens an occasion with a vote from today for a week.
    const cara = await Member.signIn(e2e, CARA)
    await cara.open('/showcase/occasions/new')
    await cara.fill('Title', OCCASION)
    await cara.check('An event, with dates')
    await cara.fillDateGroup('Date it starts', dateFromToday(0))
    await cara.fillDateGroup('Date voting opens', dateFromToday(0))
    await cara.fillDateGroup('Date voting closes', dateFromToday(7))
    await cara.fill('Voting categories', 'People’s choice')
    await cara.press('Create the occasion')
    await cara.expectHeading(OCCASION)

    // The team uploads the poster, records a partner's consent and sends it.
    const ada = await Member.signIn(e2e, ADA)
    await ada.open('/showcase/posters/new')
    await ada.fill('Title', POSTER)
    await ada.fill(
      'Summary',
      'A ten-minute huddle at 9am moved discharges before noon from 1 in 5 to 1 in 3. DEMO.',
    )
    await ada.page.getByLabel('Occasion', { exact: true }).selectOption({ label: OCCASION })
    await ada.page.setInputFiles('input[type=file][name=file]', {
      name: 'huddles.pdf',
      mimeType: 'application/pdf',
      buffer: await makePdf('Discharge huddles (DEMO poster)'),
    })
    await ada.press('Save the draft')
    await ada.expectHeading(POSTER)
    assert.match(await ada.main(), /We are checking the file/)
    assert.equal(await e2e.services.jobs.runDue(), 1, 'the file is processed in the background')
    await ada.follow(/^Consent/)
    await ada.fill('Name of the person', 'Pat Partner (DEMO)')
    await ada.check('Quoted', { exact: true })
    await ada.check('Signed consent form', { exact: true })
    await ada.fillDateGroup('When did they give consent?', dateFromToday(-1))
    await ada.press('Record consent')
    await ada.check('I confirm consent is recorded above for everyone shown or quoted')
    await ada.press('Confirm consent')
    await ada.open(ada.path.replace(/\/consent.*$/, ''))
    await ada.press('Send to the Steering Group')
    const posterPath = ada.path

    // Not public yet: a visitor is asked to sign in.
    const visitor = new Member(await (await e2e.newContext({ javaScript: false })).newPage())
    await visitor.goto('/showcase')
    assert.doesNotMatch(await visitor.main(), new RegExp(POSTER.replace(/[()]/g, '\\$&')))

    // The Steering Group approves it from the review queue.
    await cara.open('/showcase/review')
    await cara.follow(POSTER)
    await cara.check('Approve and publish')
    await cara.press('Record the decision')
    assert.match(await cara.flash(), /approved and published/)

    // A visitor without JavaScript finds it by filter and by search, and opens it.
    await visit(visitor.page, '/showcase')
    await visitor.page.getByLabel('Occasion', { exact: true }).selectOption({ label: OCCASION })
    await visitor.press('Apply filters')
    assert.match(await visitor.main(), /1 poster found/)
    await visit(visitor.page, '/showcase')
    await visitor.fill('Words in the title or summary', 'huddle')
    await visitor.press('Apply filters')
    assert.match(await visitor.main(), /1 poster found/)
    await clickAndWait(visitor.page, visitor.page.getByRole('link', { name: POSTER }))
    await visitor.axe('the poster page, for a visitor')
    assert.equal(visitor.path, posterPath)
    assert.match(await visitor.main(), /A ten-minute huddle at 9am/)
    const download = visitor.page.getByRole('link', { name: /Download the poster/ })
    assert.equal(await download.count(), 1)

    // A member votes without JavaScript; results are hidden until the close.
    const leo = await Member.signIn(e2e, LEO, { javaScript: false })
    await leo.open('/showcase')
    await leo.follow(OCCASION)
    await leo.check(POSTER)
    await leo.press('Vote in People’s choice')
    assert.match(await leo.flash(), /has been counted/)
    assert.doesNotMatch(await leo.main(), /Members’ vote/)

    // The Steering Group closes the occasion: voting ends and the results show.
    await cara.open(posterPath.replace(/\/showcase\/posters\/.*/, '/showcase'))
    await cara.follow(OCCASION)
    await cara.press('Close the occasion')
    assert.match(await cara.flash(), /voting has ended/)
    await leo.open(leo.path)
    const results = await leo.page.locator('table', { hasText: 'Members’ vote: People’s choice' }).innerText()
    assert.match(results, new RegExp(`${POSTER.replace(/[()]/g, '\\$&')}\\s+1`))
    assert.deepEqual(e2e.pageErrors, [])
  })
})
