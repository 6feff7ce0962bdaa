import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { CurrentUser } from '../core/identity.js'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { SESSION_COOKIE } from '../web/plugin.js'
import { loadAccessFacts } from './access.js'
import { projectAccess } from './policy.js'
import { visibleIds } from './search-repository.js'
import {
  createRightsProjects,
  createRightsUsers,
  expectedRights,
  RIGHTS_ORG,
  RIGHTS_ROLES,
  sessionFor,
  type RightsProject,
  type RightsRole,
} from './rights-fixtures.js'

/**
 * Every role × every visibility (× the stages of the lifecycle that change access) × view /
 * edit / delete, checked four ways against the matrix written by hand in rights-fixtures.ts:
 * the policy function, the SQL filter used by every list (visibleProjects), the project list
 * page, and the pages and forms themselves (status codes, and nothing changed when refused).
 */
for (const { dialect, skip } of await testDialects()) {
  describe(`the rights matrix on ${dialect}`, { skip }, () => {
    let t: TestApp
    let projects: RightsProject[]
    const browsers = new Map<RightsRole, TestBrowser>()
    const currentUsers = new Map<RightsRole, CurrentUser | null>()

    before(async () => {
      t = await startTestApp(dialect, { demo: false })
      const db = t.db.database.db
      const users = await createRightsUsers(db)
      projects = await createRightsProjects(db, users)
      for (const role of RIGHTS_ROLES) {
        const browser = new TestBrowser(t.app)
        if (role === 'anonymous') {
          currentUsers.set(role, null)
          await browser.get('/sign-in')
        } else {
          const token = await sessionFor(t.services.sessions, db, users[role].id)
          browser.cookies.set(SESSION_COOKIE, token)
          currentUsers.set(role, await t.services.sessions.resolve(token))
          await browser.get('/projects/new')
        }
        assert.ok(browser.csrf, `a CSRF token for ${role}`)
        browsers.set(role, browser)
      }
    })

    after(async () => {
      await t?.close()
    })

    const cells = () =>
      RIGHTS_ROLES.flatMap((role) =>
        projects.map((project) => ({ role, project, expected: expectedRights(role, project) })),
      )
    const name = (c: { role: string; project: RightsProject }) =>
      `${c.role} × ${c.project.visibility} × ${c.project.status}`

    test('the matrix covers every role, visibility and lifecycle stage, and both answers', () => {
      const all = cells()
      assert.equal(all.length, RIGHTS_ROLES.length * 6 * 4)
      for (const key of ['view', 'edit', 'delete'] as const) {
        assert.ok(
          all.some((c) => c.expected[key]),
          `some cells allow ${key}`,
        )
        assert.ok(
          all.some((c) => !c.expected[key]),
          `some cells refuse ${key}`,
        )
      }
    })

    test('projectAccess agrees with the matrix in every cell', async () => {
      const db = t.db.database.db
      const wrong: string[] = []
      for (const c of cells()) {
        const facts = await loadAccessFacts(db, c.project.id)
        assert.ok(facts)
        const access = projectAccess(currentUsers.get(c.role), facts)
        for (const key of ['view', 'edit', 'delete'] as const) {
          if (access[key] !== c.expected[key])
            wrong.push(`${name(c)}: ${key} is ${access[key]}, expected ${c.expected[key]}`)
        }
      }
      assert.deepEqual(wrong, [])
    })

    test('visibleProjects (the SQL behind every list) agrees with projectAccess in every cell', async () => {
      const db = t.db.database.db
      const ids = projects.map((p) => p.id)
      const wrong: string[] = []
      for (const role of RIGHTS_ROLES) {
        const user = currentUsers.get(role) ?? null
        const listed = new Set(await visibleIds(db, user, ids))
        for (const project of projects) {
          const facts = await loadAccessFacts(db, project.id)
          const view = projectAccess(user, facts!).view
          if (listed.has(project.id) !== view)
            wrong.push(
              `${role} × ${project.visibility} × ${project.status}: listed ${listed.has(project.id)}, policy ${view}`,
            )
          if (view !== expectedRights(role, project).view)
            wrong.push(
              `${role} × ${project.visibility} × ${project.status}: policy ${view}, matrix disagrees`,
            )
        }
      }
      assert.deepEqual(wrong, [])
    })

    test('the project list page shows each role exactly the projects it may view', async () => {
      const wrong: string[] = []
      for (const role of RIGHTS_ROLES) {
        const browser = browsers.get(role)!
        const shown = new Set<string>()
        for (let page = 1; page <= 5; page++) {
          const res = await browser.get(`/projects?q=rightsmatrix${page > 1 ? `&page=${page}` : ''}`)
          assert.equal(res.statusCode, 200, `${role} list page ${page}`)
          const ids = [...res.body.matchAll(/app-project-list__title"><a href="\/projects\/([^"]+)"/g)].map(
            (m) => m[1],
          )
          ids.forEach((id) => shown.add(id))
          if (ids.length < 20) break
        }
        const expected = projects.filter((p) => expectedRights(role, p).view).map((p) => p.id)
        const missing = expected.filter((id) => !shown.has(id))
        const leaked = [...shown].filter((id) => !expected.includes(id))
        if (missing.length || leaked.length)
          wrong.push(
            `${role}: missing ${missing.join(', ') || 'none'}; leaked ${leaked.join(', ') || 'none'}`,
          )
        // The filters narrow what is visible, never widen it.
        const filtered = await browser.get(
          `/projects?q=rightsmatrix&organisation=${RIGHTS_ORG}&status=active`,
        )
        const filteredIds = [
          ...filtered.body.matchAll(/app-project-list__title"><a href="\/projects\/([^"]+)"/g),
        ].map((m) => m[1])
        for (const id of filteredIds)
          if (!expected.includes(id)) wrong.push(`${role}: the filtered list leaked ${id}`)
      }
      assert.deepEqual(wrong, [])
    })

    /**
     * What a refusal answers: a page sends anonymous people to sign in (a form they send is a 401:
     * nothing was done), others get 404 when they may not even know it exists, 403 otherwise.
     */
    const refusedStatus = (role: RightsRole, view: boolean, method: 'GET' | 'POST' = 'GET') =>
      role === 'anonymous' ? (method === 'GET' ? 303 : 401) : view ? 403 : 404

    test('the overview, edit and delete pages answer each role as the matrix says', async () => {
      const wrong: string[] = []
      for (const c of cells()) {
        const browser = browsers.get(c.role)!
        const checks = [
          { key: 'view', url: `/projects/${c.project.id}` },
          { key: 'edit', url: `/projects/${c.project.id}/edit` },
          { key: 'delete', url: `/projects/${c.project.id}/delete` },
        ] as const
        for (const check of checks) {
          const res = await browser.get(check.url)
          const expected = c.expected[check.key] ? 200 : refusedStatus(c.role, c.expected.view)
          if (res.statusCode !== expected)
            wrong.push(`${name(c)}: GET ${check.key} answered ${res.statusCode}, expected ${expected}`)
          if (res.statusCode === 303 && !String(res.headers.location).startsWith('/sign-in'))
            wrong.push(`${name(c)}: ${check.key} redirected to ${res.headers.location}`)
          if (res.statusCode !== 200 && res.body.includes(c.project.title))
            wrong.push(`${name(c)}: a refused ${check.key} page shows the title`)
        }
      }
      assert.deepEqual(wrong, [])
    })

    test('saving the details form is accepted or refused as the matrix says, and a refusal changes nothing', async () => {
      const db = t.db.database.db
      const wrong: string[] = []
      for (const c of cells()) {
        const before = await db
          .selectFrom('projects')
          .select(['version', 'problem'])
          .where('id', '=', c.project.id)
          .executeTakeFirstOrThrow()
        const problem = `Checked by ${c.role}`
        const res = await browsers.get(c.role)!.post(`/projects/${c.project.id}/edit`, {
          title: c.project.title,
          problem,
          organisationIds: [RIGHTS_ORG],
          qsirStage: 'start_out',
          version: String(before.version),
        })
        const after = await db
          .selectFrom('projects')
          .select(['version', 'problem'])
          .where('id', '=', c.project.id)
          .executeTakeFirstOrThrow()
        if (c.expected.edit) {
          if (res.statusCode !== 303 || res.headers.location !== `/projects/${c.project.id}`)
            wrong.push(`${name(c)}: edit answered ${res.statusCode} ${res.headers.location}`)
          if (after.problem !== problem) wrong.push(`${name(c)}: the edit was not saved`)
        } else {
          const expected = refusedStatus(c.role, c.expected.view, 'POST')
          if (res.statusCode !== expected)
            wrong.push(`${name(c)}: refused edit answered ${res.statusCode}, expected ${expected}`)
          if (after.problem !== before.problem || after.version !== before.version)
            wrong.push(`${name(c)}: a refused edit changed the project`)
        }
      }
      assert.deepEqual(wrong, [])
    })

    test('deleting is refused to everyone the matrix refuses, and the project stays', async () => {
      const db = t.db.database.db
      const wrong: string[] = []
      for (const c of cells().filter((cell) => !cell.expected.delete)) {
        const { version } = await db
          .selectFrom('projects')
          .select('version')
          .where('id', '=', c.project.id)
          .executeTakeFirstOrThrow()
        const res = await browsers
          .get(c.role)!
          .post(`/projects/${c.project.id}/delete`, { version: String(version) })
        const expected = refusedStatus(c.role, c.expected.view, 'POST')
        if (res.statusCode !== expected)
          wrong.push(`${name(c)}: refused delete answered ${res.statusCode}, expected ${expected}`)
        const still = await db
          .selectFrom('projects')
          .select('id')
          .where('id', '=', c.project.id)
          .executeTakeFirst()
        if (!still) wrong.push(`${name(c)}: the project was deleted`)
      }
      assert.deepEqual(wrong, [])
    })

    test('deleting works for the cells the matrix allows (the lead of a draft, a platform admin)', async () => {
      const db = t.db.database.db
      const allowed = cells().filter((c) => c.expected.delete)
      assert.ok(
        allowed.some((c) => c.role === 'team_lead') && allowed.some((c) => c.role === 'platform_admin'),
      )
      // One of each, as deleting removes the project for the other roles.
      for (const c of [
        allowed.find((x) => x.role === 'team_lead')!,
        allowed.find((x) => x.role === 'platform_admin' && x.project.status === 'active')!,
      ]) {
        const { version } = await db
          .selectFrom('projects')
          .select('version')
          .where('id', '=', c.project.id)
          .executeTakeFirstOrThrow()
        const res = await browsers
          .get(c.role)!
          .post(`/projects/${c.project.id}/delete`, { version: String(version) })
        assert.equal(res.statusCode, 303, name(c))
        assert.equal(
          await db.selectFrom('projects').select('id').where('id', '=', c.project.id).executeTakeFirst(),
          undefined,
        )
        const audit = await db
          .selectFrom('audit_log')
          .select('action')
          .where('entity_id', '=', c.project.id)
          .where('action', '=', 'project.delete')
          .execute()
        assert.equal(audit.length, 1)
      }
    })
  })
}
