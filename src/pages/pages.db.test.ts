import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { renderMarkdown } from './markdown.js'

test('Markdown is rendered to safe HTML with NHS.UK classes', () => {
  const html = renderMarkdown(
    '# Title\n\n- one\n- two\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1)) [good](https://example.org) <img src=x onerror=alert(1)>',
  )
  assert.match(html, /<h2>Title<\/h2>/)
  assert.match(html, /<ul class="nhsuk-list nhsuk-list--bullet">/)
  assert.doesNotMatch(html, /<script/)
  assert.doesNotMatch(html, /javascript:/)
  assert.doesNotMatch(html, /onerror/)
  assert.match(html, /<a href="https:\/\/example.org">good<\/a>/)
})

for (const { dialect, skip } of await testDialects()) {
  describe(`public pages and enquiries on ${dialect}`, { skip }, () => {
    let t: TestApp
    before(async () => {
      t = await startTestApp(dialect)
    })
    after(() => t?.close())

    test('the public pages tell newcomers who we are, our aims, what QI is and how to get involved', async () => {
      const home = await t.app.inject({ url: '/' })
      assert.equal(home.statusCode, 200)
      for (const text of [
        'One Gloucestershire Improvement Community',
        'ENERGISE',
        'LEAD',
        'FOCUS',
        'Everyone is an improver',
      ])
        assert.match(home.body, new RegExp(text))
      const about = await t.app.inject({ url: '/about' })
      for (const text of [
        'The Steering Group',
        'Improvement Community Board',
        'Our vision',
        'Our purpose',
        'QSIR',
      ])
        assert.match(about.body, new RegExp(text))
      const qi = await t.app.inject({ url: '/what-is-qi' })
      assert.match(qi.body, /Model for Improvement/)
      assert.match(qi.body, /PDSA/)
      for (const url of ['/get-involved', '/contact', '/privacy', '/accessibility'])
        assert.equal((await t.app.inject({ url })).statusCode, 200, url)
      const contact = await t.app.inject({ url: '/contact' })
      // The seed's published addresses are display facts (resources.db.test.ts checks them exactly).
      assert.match(contact.body, /glicb\.improvement-community@nhs\.net/)
    })

    test('an enquiry is stored, acknowledged by e-mail and shown to admins', async () => {
      const visitor = new TestBrowser(t.app)
      const empty = await visitor.submit('/get-involved', '/get-involved', {})
      assert.equal(empty.statusCode, 400)
      assert.deepEqual(errorSummary(empty.body), [
        'Enter your name',
        'Enter your e-mail address',
        'Select what your enquiry is about',
        'Enter your message',
      ])
      const sent = await visitor.post('/get-involved', {
        name: 'Val Visitor',
        email: 'val@example.org',
        organisation: 'Parish council',
        topic: 'facilitation',
        message: 'Can you help us run a workshop?',
      })
      assert.equal(sent.statusCode, 303)
      const thanks = await visitor.get(sent.headers.location as string)
      assert.equal(h1(thanks.body), 'Message sent')
      const { items } = await t.services.mail.list({ to: 'val@example.org' })
      assert.equal(items[0]?.kind, 'enquiry_ack')
      const ivy = new TestBrowser(t.app)
      await ivy.signIn('ivy.infogov@example.invalid')
      const list = await ivy.get('/admin/enquiries')
      assert.match(list.body, /Can you help us run a workshop\?/)
      const id = (await t.db.database.db.selectFrom('enquiries').select('id').executeTakeFirstOrThrow()).id
      const handled = await ivy.post(`/admin/enquiries/${id}/handled`, {})
      assert.equal(handled.statusCode, 303)
    })

    test('a platform admin edits a page in Markdown, with sanitised output and revision history', async () => {
      const ivy = new TestBrowser(t.app)
      await ivy.signIn('ivy.infogov@example.invalid')
      const editor = await ivy.get('/admin/pages/about')
      assert.equal(editor.statusCode, 200)
      const saved = await ivy.post('/admin/pages/about', {
        title: 'About us',
        summary: '',
        body: '## Who we are\n\nWe improve together.<script>alert(1)</script>',
        version: '1',
      })
      assert.equal(saved.statusCode, 303)
      const about = await t.app.inject({ url: '/about' })
      assert.match(about.body, /We improve together\./)
      assert.doesNotMatch(about.body, /alert\(1\)/)
      const history = await ivy.get('/admin/pages/about')
      assert.match(history.body, /Version 2/)
      assert.match(history.body, /Version 1/)
      const old = await ivy.get('/admin/pages/about/revisions/1')
      assert.match(old.body, /The Steering Group/)
      const stale = await ivy.post('/admin/pages/about', {
        title: 'About us',
        summary: '',
        body: 'Overwrite',
        version: '1',
      })
      assert.equal(stale.statusCode, 400)
      assert.match(errorSummary(stale.body)[0] ?? '', /Someone else changed this page/)
      assert.doesNotMatch((await t.app.inject({ url: '/about' })).body, /Overwrite/)
      const audit = await t.services.audit.search({ action: 'page.edit' })
      assert.equal(audit.total, 1)
    })

    test('members who are not platform admins cannot edit pages', async () => {
      const cara = new TestBrowser(t.app)
      await cara.signIn('cara.cycle@example.invalid')
      await cara.get('/profile')
      const res = await cara.post('/admin/pages/about', {
        title: 'Hacked',
        summary: '',
        body: 'Hacked',
        version: '2',
      })
      assert.equal(res.statusCode, 403)
    })
  })
}
