import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'

async function idOf(t: TestApp, email: string): Promise<string> {
  const row = await t.db.database.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return row.id
}

const profile = (overrides: Record<string, string | string[]> = {}) => ({
  name: 'Ben Baseline (DEMO)',
  organisationId: 'org-ghc',
  jobRole: 'Community physiotherapist',
  bio: 'Measures lover',
  skills: 'run charts, process mapping',
  interests: 'falls',
  qiLevel: 'practitioner',
  inDirectory: 'on',
  share: ['organisation', 'jobRole', 'bio', 'skills'],
  version: '1',
  ...overrides,
})

for (const { dialect, skip } of await testDialects()) {
  describe(`profiles, directory and roles on ${dialect}`, { skip }, () => {
    let t: TestApp
    before(async () => {
      t = await startTestApp(dialect)
    })
    after(() => t?.close())

    test('a member edits the profile; the change is audited with before and after', async () => {
      const ben = new TestBrowser(t.app)
      await ben.signIn('ben.baseline@example.invalid')
      const form = await ben.get('/profile/edit')
      assert.equal(h1(form.body), 'Edit your profile')
      const saved = await ben.post('/profile/edit', profile())
      assert.equal(saved.statusCode, 303)
      const page = await ben.get('/profile')
      assert.match(page.body, /Your profile has been saved/)
      assert.match(page.body, /Measures lover/)
      const audit = await t.services.audit.search({ action: 'user.profile_update' })
      const benId = await idOf(t, 'ben.baseline@example.invalid')
      const entry = audit.items.find((i) => i.entityId === benId)!
      // Free text is never kept in the audit log: only that it changed, its length and a keyed hash.
      assert.deepEqual(
        { ...(entry.after as { bio: object }).bio, hash: 'h' },
        { changed: true, length: 14, hash: 'h' },
      )
      assert.ok(!JSON.stringify(entry).includes('Measures lover'))
      assert.ok(entry.changes.includes('bio changed (14 characters)'), entry.changes.join('; '))
    })

    test('a stale profile form is refused rather than overwriting newer changes', async () => {
      const ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      await ada.get('/profile/edit')
      const first = await ada.post(
        '/profile/edit',
        profile({ name: 'Ada Aimwell (DEMO)', organisationId: 'org-ghft', version: '1' }),
      )
      assert.equal(first.statusCode, 303)
      const stale = await ada.post(
        '/profile/edit',
        profile({ name: 'Ada Overwritten', organisationId: 'org-ghft', version: '1' }),
      )
      assert.equal(stale.statusCode, 409)
      assert.match(stale.body, /changed somewhere else/)
      const me = await ada.get('/profile')
      assert.doesNotMatch(me.body, /Ada Overwritten/)
    })

    test('bad profile input is explained', async () => {
      const leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      await leo.get('/profile/edit')
      const res = await leo.post(
        '/profile/edit',
        profile({ name: '', organisationId: 'nowhere', qiLevel: 'wizard', bio: 'b'.repeat(2001) }),
      )
      assert.equal(res.statusCode, 400)
      const messages = errorSummary(res.body)
      assert.ok(messages.includes('Enter your full name'))
      assert.ok(messages.includes('About you must be 2000 characters or fewer'))
      assert.ok(messages.includes('Select your QI training level'))
    })

    test('the directory finds members by name, organisation and skill and shows only what they share', async () => {
      const viewer = new TestBrowser(t.app)
      await viewer.signIn('leo.learner@example.invalid')
      const byName = await viewer.get('/people?q=cara')
      assert.match(byName.body, /Cara Cycle/)
      assert.doesNotMatch(byName.body, /Ben Baseline/)
      const byOrg = await viewer.get('/people?organisation=org-ghft')
      assert.match(byOrg.body, /Ada Aimwell/)
      assert.doesNotMatch(byOrg.body, /Cara Cycle/)
      const bySkill = await viewer.get('/people?skill=spc')
      assert.match(bySkill.body, /Cara Cycle/)
      const none = await viewer.get('/people?q=zzzzzz')
      assert.match(none.body, /No members match your search/)
      const wild = await viewer.get('/people?q=%25')
      assert.match(wild.body, /No members match your search/, 'a % is matched literally')
      // Ben chose not to share his e-mail (earlier test) and hides nothing else
      const benId = await idOf(t, 'ben.baseline@example.invalid')
      const ben = await viewer.get(`/people/${benId}`)
      assert.equal(ben.statusCode, 200)
      assert.doesNotMatch(ben.body, /ben\.baseline@example\.invalid/)
    })

    test("improvement partners' e-mail addresses are shown to coaches and admins only", async () => {
      const fayId = await idOf(t, 'fay.feedback@example.invalid')
      const member = new TestBrowser(t.app)
      await member.signIn('gus.gateway@example.invalid')
      assert.doesNotMatch((await member.get(`/people/${fayId}`)).body, /fay\.feedback@example\.invalid/)
      const coach = new TestBrowser(t.app)
      await coach.signIn('cara.cycle@example.invalid')
      assert.match((await coach.get(`/people/${fayId}`)).body, /fay\.feedback@example\.invalid/)
      const anonymous = new TestBrowser(t.app)
      assert.doesNotMatch((await anonymous.get(`/people/${fayId}`)).body, /fay\.feedback@example\.invalid/)
    })

    test('a hidden member is not listed and their page is not found', async () => {
      const esme = new TestBrowser(t.app)
      await esme.signIn('esme.exec@example.invalid')
      await esme.get('/profile/edit')
      const res = await esme.post(
        '/profile/edit',
        profile({ name: 'Esme Exec (DEMO)', organisationId: 'org-og', inDirectory: '', share: [] }),
      )
      assert.equal(res.statusCode, 303)
      const viewer = new TestBrowser(t.app)
      assert.doesNotMatch((await viewer.get('/people?q=esme')).body, /Esme Exec/)
      assert.equal(
        (await viewer.get(`/people/${await idOf(t, 'esme.exec@example.invalid')}`)).statusCode,
        404,
      )
    })

    test('a platform admin grants and removes a scoped role; both are audited', async () => {
      const ivy = new TestBrowser(t.app)
      await ivy.signIn('ivy.infogov@example.invalid')
      const benId = await idOf(t, 'ben.baseline@example.invalid')
      await ivy.get(`/admin/people/${benId}`)
      const missingScope = await ivy.post(`/admin/people/${benId}/roles`, {
        role: 'faculty_admin',
        scopeId: '',
      })
      assert.deepEqual(errorSummary(missingScope.body), ['Select the faculty this role applies to'])
      const granted = await ivy.post(`/admin/people/${benId}/roles`, {
        role: 'faculty_admin',
        scopeId: 'fac-ghc-qihub',
      })
      assert.equal(granted.statusCode, 303)
      const page = await ivy.get(`/admin/people/${benId}`)
      assert.match(page.body, /QI Hub \(Gloucestershire Health and Care/)
      const duplicate = await ivy.post(`/admin/people/${benId}/roles`, {
        role: 'faculty_admin',
        scopeId: 'fac-ghc-qihub',
      })
      assert.equal(duplicate.statusCode, 400)
      const grant = await t.db.database.db
        .selectFrom('role_grants')
        .select('id')
        .where('user_id', '=', benId)
        .where('role', '=', 'faculty_admin')
        .executeTakeFirstOrThrow()
      const revoked = await ivy.post(`/admin/people/${benId}/roles/${grant.id}/revoke`, {})
      assert.equal(revoked.statusCode, 303)
      const audit = await t.services.audit.search({ entityType: 'user' })
      const actions = audit.items.filter((i) => i.entityId === benId).map((i) => i.action)
      assert.ok(actions.includes('role.grant') && actions.includes('role.revoke'))
    })

    test('the last platform admin cannot be removed', async () => {
      const ivy = new TestBrowser(t.app)
      await ivy.signIn('ivy.infogov@example.invalid')
      const ivyId = await idOf(t, 'ivy.infogov@example.invalid')
      const grant = await t.db.database.db
        .selectFrom('role_grants')
        .select('id')
        .where('user_id', '=', ivyId)
        .where('role', '=', 'platform_admin')
        .executeTakeFirstOrThrow()
      await ivy.get(`/admin/people/${ivyId}`)
      const res = await ivy.post(`/admin/people/${ivyId}/roles/${grant.id}/revoke`, {})
      assert.equal(res.statusCode, 400)
      assert.deepEqual(errorSummary(res.body), ['You cannot remove the last platform admin'])
    })

    test('an organisation admin confirms members of their own organisation only', async () => {
      const joiner = new TestBrowser(t.app, '10.1.0.1')
      await joiner.submit('/join', '/join', {
        name: 'Ola Org',
        email: 'ola.org@example.org',
        password: 'a-long-enough-passphrase',
        affiliation: 'organisation',
        organisationId: 'org-icb',
        privacy: 'on',
      })
      const olaId = await idOf(t, 'ola.org@example.org')
      const ivy = new TestBrowser(t.app)
      await ivy.signIn('ivy.infogov@example.invalid')
      // make Cara an org admin of another organisation
      const cara = new TestBrowser(t.app)
      const caraId = await idOf(t, 'cara.cycle@example.invalid')
      await ivy.get(`/admin/people/${caraId}`)
      await ivy.post(`/admin/people/${caraId}/roles`, { role: 'org_admin', scopeId: 'org-ghft' })
      await cara.signIn('cara.cycle@example.invalid')
      const list = await cara.get('/admin/people?unverified=on')
      assert.equal(list.statusCode, 200)
      assert.doesNotMatch(list.body, /Ola Org/, 'other organisations’ members are not listed')
      assert.equal((await cara.get(`/admin/people/${olaId}`)).statusCode, 403)
      const forbidden = await cara.post(`/admin/people/${olaId}/verify`, {})
      assert.equal(forbidden.statusCode, 403)
      const waiting = await ivy.get('/admin/people?unverified=on&organisation=org-icb')
      assert.match(waiting.body, /Ola Org/)
      const ok = await ivy.post(`/admin/people/${olaId}/verify`, {})
      assert.equal(ok.statusCode, 303)
      const row = await t.db.database.db
        .selectFrom('users')
        .select('org_verified_at')
        .where('id', '=', olaId)
        .executeTakeFirstOrThrow()
      assert.ok(row.org_verified_at)
      const { items } = await t.services.mail.list({ to: 'ola.org@example.org' })
      assert.ok(items.some((m) => m.kind === 'membership_verified'))
    })

    test('an organisation not yet confirmed by its admin shows as unconfirmed to everyone', async () => {
      const ben = new TestBrowser(t.app)
      await ben.signIn('ben.baseline@example.invalid')
      const benId = await idOf(t, 'ben.baseline@example.invalid')
      const version = (
        await t.db.database.db
          .selectFrom('users')
          .select('version')
          .where('id', '=', benId)
          .executeTakeFirstOrThrow()
      ).version
      await ben.get('/profile/edit')
      const moved = await ben.post(
        '/profile/edit',
        profile({ organisationId: 'org-icb', version: String(version) }),
      )
      assert.equal(moved.statusCode, 303, moved.body.slice(0, 300))
      const ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      const card = await ada.get(`/people/${benId}`)
      assert.match(
        card.body,
        /NHS Gloucestershire ICB \(not confirmed yet by the organisation\)|\(not confirmed yet by the organisation\)/,
      )
      const listed = await ada.get('/people?q=Baseline')
      assert.match(listed.body, /\(not confirmed yet\)/)
      const ivy = new TestBrowser(t.app)
      await ivy.signIn('ivy.infogov@example.invalid')
      await ivy.get(`/admin/people/${benId}`)
      assert.equal((await ivy.post(`/admin/people/${benId}/verify`, {})).statusCode, 303)
      assert.doesNotMatch((await ada.get(`/people/${benId}`)).body, /not confirmed yet/)
    })

    test('members who are not admins cannot open admin pages', async () => {
      const ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      for (const url of [
        '/admin',
        '/admin/people',
        '/admin/audit',
        '/admin/outbox',
        '/admin/pages',
        '/admin/enquiries',
      ]) {
        assert.equal((await ada.get(url)).statusCode, 403, url)
      }
      const anonymous = await t.app.inject({ url: '/admin/audit' })
      assert.equal(anonymous.statusCode, 303)
    })
  })
}
