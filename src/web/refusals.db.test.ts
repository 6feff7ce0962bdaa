import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { addMeasure, insertPoints, monthly, teamProject } from '../measures/test-helpers.js'

type Answer = { statusCode: number; headers: Record<string, unknown>; body: string }

/** A refusal of a download: the status, a JSON problem, no page and no redirect to sign in. */
function assertRefused(res: Answer, statuses: number[], what: string) {
  assert.ok(
    statuses.includes(res.statusCode),
    `${what}: ${res.statusCode}, expected ${statuses.join(' or ')}`,
  )
  assert.equal(res.headers.location, undefined, `${what}: no redirect`)
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/, `${what}: a JSON problem`)
  assert.doesNotMatch(res.body, /<html|Sign in<\/h1>/i, `${what}: no HTML page`)
  assert.equal(JSON.parse(res.body).status, res.statusCode)
}

for (const { dialect, skip } of await testDialects()) {
  describe(`refusals that fit the question on ${dialect}`, { skip }, () => {
    let t: TestApp
    let ada: TestBrowser
    let leo: TestBrowser
    const downloads: string[] = []
    let hiddenMeasure: string
    before(async () => {
      t = await startTestApp(dialect)
      const db = t.db.database.db
      ada = new TestBrowser(t.app, '10.30.0.1')
      await ada.signIn('ada.aimwell@example.invalid')
      leo = new TestBrowser(t.app, '10.30.0.2')
      await leo.signIn('leo.learner@example.invalid')
      const project = await teamProject(db, { visibility: 'team' })
      hiddenMeasure = await addMeasure(ada, project)
      await insertPoints(
        db,
        hiddenMeasure,
        monthly(6).map((period) => ({ period, value: 5 })),
      )
      const event = await db.selectFrom('events').select('id').orderBy('id').executeTakeFirstOrThrow()
      const faculty = await db
        .selectFrom('faculties')
        .select('slug')
        .orderBy('slug')
        .executeTakeFirstOrThrow()
      const certificate = await db.selectFrom('certificates').select('id').orderBy('id').executeTakeFirst()
      const session = await db
        .selectFrom('cohort_sessions')
        .select('id')
        .orderBy('id')
        .executeTakeFirstOrThrow()
      downloads.push(
        `/measures/${hiddenMeasure}/data.csv`,
        `/measures/${hiddenMeasure}/chart.svg`,
        `/measures/${hiddenMeasure}/chart.png`,
        `/events/${event.id}/attendees.csv`,
        `/learning/faculties/${faculty.slug}/dashboard.csv`,
        `/learning/certificates/${certificate?.id ?? 'no-such-certificate'}/certificate.pdf`,
        `/learning/sessions/${session.id}/calendar.ics`,
      )
    })
    after(() => t?.close())

    test('a visitor asking for a private download gets 401 (or 404), never a sign-in page', async () => {
      for (const url of downloads) {
        if (url.endsWith('calendar.ics')) continue // calendars of published sessions are public
        const res = await t.app.inject({ url, remoteAddress: '10.30.0.9' })
        assertRefused(res, [401, 404], url)
      }
      const api = await t.app.inject({
        method: 'POST',
        url: `/api/v1/measures/${hiddenMeasure}/data-points`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ period: '2024-01-01', value: 1 }),
      })
      assertRefused(api, [401], 'API write without a token')
    })

    test('a member who may not see a download gets 403 or 404 as a JSON problem', async () => {
      for (const url of downloads.filter((u) => !u.endsWith('.ics') && !u.includes('certificate.pdf')))
        assertRefused(await leo.get(url), [403, 404], url)
      const missing = await leo.get('/measures/no-such-measure/data.csv')
      assertRefused(missing, [404], 'an unknown measure')
    })

    test('pages still send a visitor to sign in', async () => {
      const res = await t.app.inject({ url: `/measures/${hiddenMeasure}` })
      assert.equal(res.statusCode, 303)
      assert.match(String(res.headers.location), /^\/sign-in\?next=/)
    })

    test('a form route refuses JSON, text and unknown content with 415, before reading it', async () => {
      await ada.get('/account/tokens')
      const forms = ['/sign-in', '/join', '/account/tokens', '/projects', '/get-involved', '/sign-out']
      for (const url of forms)
        for (const [type, payload] of [
          ['application/json', JSON.stringify({ present: [1, 2], name: { a: 1 } })],
          ['text/plain', 'name=x'],
          ['application/xml', '<a/>'],
        ]) {
          const res = await ada.request({
            method: 'POST',
            url,
            headers: { 'content-type': type, 'x-csrf-token': ada.csrf },
            payload,
          })
          assert.equal(res.statusCode, 415, `${type} to ${url}`)
          assert.equal(h1(res.body), 'Unsupported content', `${url}: a clear page`)
        }
      const asJson = await ada.request({
        method: 'POST',
        url: '/projects',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        payload: '{}',
      })
      assert.equal(asJson.statusCode, 415)
      assert.equal(asJson.json().title, 'Unsupported content')
      const upload = await ada.request({
        method: 'POST',
        url: '/account/tokens',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        payload: '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--\r\n',
      })
      assert.equal(upload.statusCode, 415, 'no file is expected here')
    })

    test('odd form fields are a 400 with the error summary, never a 500', async () => {
      await ada.get('/account/tokens')
      const odd: [string, Record<string, string[]>][] = [
        ['/account/tokens', { name: ['a', 'b'], access: ['read', 'write'], days: ['x', '1'] }],
        ['/sign-in', { email: ['a@example.org', 'b@example.org'], password: ['x', 'y'], next: ['/a', '/b'] }],
        ['/projects', { title: ['a', 'b'], visibility: ['x', 'y'] }],
      ]
      for (const [url, form] of odd) {
        const res = await ada.post(url, form)
        assert.equal(res.statusCode, 400, `${url}: ${res.statusCode}`)
        assert.match(res.body, /nhsuk-error-summary/, `${url}: the error summary`)
      }
    })
  })
}
