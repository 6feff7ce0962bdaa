// Learning in a real browser (issue 5): a faculty admin sets up a course with one
// place; a learner finds it, joins the waiting list because it is full, is promoted
// when the place is given up, is marked present, completes, downloads the
// certificate and checks its code on the public page. The learner browses with
// JavaScript off; every page on the way must pass axe (WCAG 2.2 AA).
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { type E2e, pathOf, randomTag, startE2e, visit } from './harness.js'
import { Member } from './pages/member.js'
import { SitePage, clickAndWait } from './pages/site.js'

const JOURNEY_TIMEOUT = 300_000
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)

describe('learning in the browser', () => {
  let e2e: E2e

  before(async () => {
    e2e = await startE2e()
  })

  after(async () => {
    await e2e?.close()
  })

  const signedIn = (email: string, javaScript = true): Promise<SitePage> =>
    Member.signIn(e2e, email, { javaScript })

  /** Clicks a button or link in the main content, waits for the next page and audits it. */
  async function go(site: SitePage, target: ReturnType<Page['getByRole']>, label: string): Promise<void> {
    await clickAndWait(site.page, target)
    await site.axe(label)
  }

  const main = (site: SitePage) => site.page.locator('main')

  test(
    'find a full course, wait, get the place, attend, complete and prove it',
    { timeout: JOURNEY_TIMEOUT },
    async () => {
      const title = `Safety huddles ${randomTag()}`

      // Dev, faculty admin of QSIR, sets up a course with one place and one session.
      const dev = await signedIn('dev.driver@example.invalid')
      await dev.goto('/learning/faculties/qsir/manage')
      await dev.axe('manage courses')
      await go(dev, main(dev).getByRole('link', { name: 'Add a course' }), 'new course form')
      const p = dev.page
      await p.getByLabel('Course title').fill(title)
      await p.getByLabel('Summary').fill('Short daily safety huddles for ward teams.')
      await p.getByLabel('Level', { exact: true }).selectOption({ label: 'Foundation' })
      await p.getByRole('group', { name: 'How it is taught' }).getByLabel('In person').check()
      await p.getByRole('group', { name: 'Who can join' }).getByLabel('Everyone').check()
      await p.getByLabel('Share of sessions to attend').fill('100')
      await p.getByLabel(/Published: show it/).check()
      await go(dev, main(dev).getByRole('button', { name: 'Save course' }), 'course page for the faculty')
      await dev.expectHeading(title)
      const courseUrl = pathOf(p)

      await go(dev, main(dev).getByRole('link', { name: 'Add a cohort' }), 'new cohort form')
      await p.getByLabel('Cohort name').fill('E2E cohort')
      await p.getByLabel('Number of places').fill('1')
      await p.getByLabel('Date enrolment closes').fill(day(7))
      await p.getByLabel('Time enrolment closes').fill('23:59')
      await p.getByLabel('Venue (optional)').fill('Sanger House, Gloucester')
      await go(dev, main(dev).getByRole('button', { name: 'Save cohort' }), 'cohort page')
      const cohortUrl = pathOf(p)
      assert.match(cohortUrl, /^\/learning\/cohorts\/[\w-]+\/manage$/)

      await go(dev, main(dev).getByRole('link', { name: 'Add a session' }), 'new session form')
      await p.getByLabel('Session title').fill('Huddle workshop')
      await p.getByLabel('Date', { exact: true }).fill(day(10))
      await p.getByLabel('Start time').fill('12:30')
      await p.getByLabel('End time').fill('09:30')
      await go(dev, main(dev).getByRole('button', { name: 'Save session' }), 'session form with an error')
      assert.deepEqual(await dev.errorSummary(), [
        { text: 'The end time must be after the start time', href: '#endTime' },
      ])
      await p.getByLabel('Start time').fill('09:30')
      await p.getByLabel('End time').fill('12:30')
      await go(dev, main(dev).getByRole('button', { name: 'Save session' }), 'cohort page with a session')
      assert.match(await dev.flash(), /Session added/)

      // Ben takes the only place.
      const ben = await signedIn('ben.baseline@example.invalid')
      await ben.goto(courseUrl)
      await ben.axe('course page for Ben')
      await go(ben, main(ben).getByRole('button', { name: 'Book a place on E2E cohort' }), 'Ben has a place')
      assert.match(await ben.flash(), /You have a place/)

      // Leo, without JavaScript, finds the course through the catalogue's filters.
      const leo = await signedIn('leo.learner@example.invalid', false)
      await leo.goto('/learning')
      await leo.axe('catalogue')
      await leo.page
        .getByLabel('Faculty')
        .selectOption({ label: 'Quality, Service Improvement and Redesign (QSIR) faculty' })
      await leo.page.getByLabel('Only courses open to me').check()
      await go(leo, main(leo).getByRole('button', { name: 'Show courses' }), 'catalogue filtered')
      assert.equal(pathOf(leo.page), '/learning?faculty=qsir&level=&mode=&open=on')
      await go(leo, main(leo).getByRole('link', { name: title }), 'course page for Leo')
      assert.match(await main(leo).innerText(), /Full: 0 on the waiting list/)
      await go(
        leo,
        main(leo).getByRole('button', { name: 'Join the waiting list on E2E cohort' }),
        'Leo waitlisted',
      )
      assert.match(await leo.flash(), /on the waiting list/)

      // Ben gives up his place; Leo, first on the list, gets it and is told.
      await ben.goto(courseUrl)
      await go(ben, main(ben).getByRole('link', { name: 'Withdraw from E2E cohort' }), 'Ben confirms')
      await ben.expectHeading(`Withdraw from ${title}, E2E cohort?`)
      await go(ben, main(ben).getByRole('button', { name: 'Withdraw', exact: true }), 'Ben withdrew')
      assert.match(await ben.flash(), /The place has gone to the first person on the waiting list/)
      const { items } = await e2e.services.mail.list({ to: 'leo.learner@example.invalid' })
      assert.ok(items.some((m) => m.kind === 'learning_promoted' && m.subject.includes(title)))
      await leo.goto(courseUrl)
      await leo.axe('course page, Leo enrolled')
      assert.match(await main(leo).innerText(), /Your place:\s*Enrolled/)

      // Dev takes the register on a phone-sized screen, then works out completion.
      await p.setViewportSize({ width: 390, height: 844 })
      await dev.goto(cohortUrl)
      // No register before the session has started: the session moves to yesterday (it was held early).
      assert.match(await main(dev).innerText(), /Opens when the session starts/)
      await go(dev, main(dev).getByRole('link', { name: 'Edit Huddle workshop' }), 'session form')
      await p.getByLabel('Date', { exact: true }).fill(day(-1))
      await go(dev, main(dev).getByRole('button', { name: 'Save session' }), 'cohort page, session held')
      await go(
        dev,
        main(dev).getByRole('link', { name: 'Take the register for Huddle workshop' }),
        'register',
      )
      await dev.expectHeading('Register: Huddle workshop')
      const tick = p.getByLabel('Leo Learner (DEMO)')
      const box = await tick.boundingBox()
      assert.ok(box && box.width >= 40 && box.height >= 40, `a large tap target (${JSON.stringify(box)})`)
      await tick.check()
      await go(dev, main(dev).getByRole('button', { name: 'Save register' }), 'register saved')
      assert.match(await dev.flash(), /1 present, 0 absent/)
      await go(dev, main(dev).getByRole('button', { name: 'Work out completion' }), 'completion worked out')
      assert.match(await dev.flash(), /1 completed and was sent a certificate/)
      await p.setViewportSize({ width: 1280, height: 800 })
      await dev.goto('/learning/faculties/qsir/dashboard')
      await dev.axe('dashboard')

      // Leo downloads the certificate and checks its code on the public page.
      await leo.goto('/learning/record')
      await leo.axe('training record')
      const record = await main(leo).innerText()
      assert.match(record, new RegExp(`${title}[\\s\\S]*Completed`))
      const code = /Code ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(record)?.[1]
      assert.ok(code, 'the record shows the verification code')
      const downloading = leo.page.waitForEvent('download')
      await main(leo)
        .getByRole('link', { name: `Download certificate for ${title} (PDF)` })
        .click()
      const download = await downloading
      assert.match(download.suggestedFilename(), /^certificate-\w{4}\.pdf$/)
      const pdf = await readFile(await download.path())
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')

      const anyone = new SitePage(await (await e2e.newContext()).newPage())
      await anyone.goto('/certificates/verify')
      await anyone.axe('verify a certificate')
      await anyone.page.getByLabel('Certificate code').fill(code.toLowerCase())
      await go(anyone, main(anyone).getByRole('button', { name: 'Check code' }), 'certificate valid')
      await anyone.expectHeading('This certificate is valid')
      const facts = await main(anyone).innerText()
      for (const fact of ['Leo Learner (DEMO)', title, 'Foundation']) assert.ok(facts.includes(fact), fact)
      await anyone.page.getByLabel('Certificate code').fill('ABCD-EFGH-JKMN-PQRS')
      await go(anyone, main(anyone).getByRole('button', { name: 'Check code' }), 'forged code')
      await anyone.expectHeading('This code is not valid')
      assert.doesNotMatch(await main(anyone).innerText(), /Leo/)

      assert.deepEqual(e2e.blockedRequests, [])
      assert.deepEqual(e2e.pageErrors, [])
    },
  )

  test(
    'the other learning pages pass axe too, forms with and without errors',
    { timeout: JOURNEY_TIMEOUT },
    async () => {
      const ivy = await signedIn('ivy.infogov@example.invalid')
      for (const path of [
        '/learning/faculties/gsqia',
        '/learning/faculties/gsqia/edit',
        '/learning/faculties/gsqia/manage',
        '/learning/courses/gsqia-silver',
        '/learning/courses/gsqia-silver/edit',
        '/learning/cohorts/coh-gsqia-silver-1/edit',
        '/learning/sessions/coh-gsqia-silver-1-s1/edit',
        '/learning/cohorts/coh-gsqia-bronze-past/manage',
        '/learning/faculties/gsqia/dashboard?from=2020-01-01',
      ]) {
        await visit(ivy.page, path)
      }
      await ivy.goto('/learning/cohorts/coh-gsqia-silver-1/edit')
      await ivy.page.getByLabel('Number of places').fill('none')
      await go(ivy, main(ivy).getByRole('button', { name: 'Save cohort' }), 'cohort form with an error')
      assert.deepEqual(await ivy.errorSummary(), [
        { text: 'Number of places must be a whole number, like 16', href: '#capacity' },
      ])

      const ada = await signedIn('ada.aimwell@example.invalid', false)
      await visit(ada.page, '/learning/record')
      await visit(ada.page, '/learning/record/external/new')
      await go(
        ada,
        main(ada).getByRole('button', { name: 'Add training' }),
        'external training form with errors',
      )
      assert.deepEqual(
        (await ada.errorSummary()).map((e) => e.href),
        ['#title', '#provider', '#level', '#completedOn', '#evidenceText', '#facultyId'],
      )
      await visit(ada.page, '/learning/enrolments/enr-demo-ada-bronze/project')
      // And with JavaScript, which is where a conditional reveal would mark the radio aria-expanded.
      const adaWithScript = await signedIn('ada.aimwell@example.invalid')
      await visit(adaWithScript.page, '/learning/enrolments/enr-demo-ada-bronze/project')
      await visit(ada.page, '/learning/courses/gsqia-silver')
      await visit(ada.page, '/certificates/verify?code=', { status: 400 })
      assert.deepEqual(e2e.pageErrors, [])
    },
  )
})
