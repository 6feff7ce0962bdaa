import { dataPointRow, measureRow } from '../db/rows.js'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { hashToken } from '../core/ids.js'
import { SESSION_COOKIE } from '../web/plugin.js'
import {
  createRightsProjects,
  createRightsUsers,
  expectedRights,
  RIGHTS_ROLES,
  RIGHTS_STATUSES,
  RIGHTS_VISIBILITIES,
  sessionFor,
  type RightsProject,
  type RightsRole,
} from '../projects/rights-fixtures.js'

/** Roles on every matrix project's team (rights-fixtures.ts): they see counts of 1 to 4. */
const TEAM: RightsRole[] = ['team_lead', 'team_member', 'sponsor', 'partner_on_team']

/** Counts with two small numbers (3 and 1) among ordinary ones. */
const VALUES = [6, 7, 3, 8, 6, 9, 1, 6, 8, 7, 6, 9, 7]

/**
 * The measures columns of the rights matrix: every role × every visibility (× lifecycle stage)
 * × download CSV / PNG / SVG × API get (measure, data points, project list). What each role may
 * see is written out by hand in src/projects/rights-fixtures.ts (`expectedRights`); this checks
 * the downloads and the API give exactly that, and that small numbers reach the team only.
 */
for (const { dialect, skip } of await testDialects()) {
  describe(`the measures rights matrix on ${dialect}`, { skip }, () => {
    let t: TestApp
    let projects: RightsProject[]
    const measureOf = new Map<string, string>()
    const browsers = new Map<RightsRole, TestBrowser>()
    const tokens = new Map<RightsRole, string | null>()

    before(async () => {
      t = await startTestApp(dialect, { demo: false })
      const db = t.db.database.db
      const users = await createRightsUsers(db)
      projects = await createRightsProjects(db, users)
      const now = '2026-01-02T09:00:00.000Z'
      for (const p of projects) {
        const id = `m-${p.id}`
        measureOf.set(p.id, id)
        await db
          .insertInto('measures')
          .values(
            measureRow({
              id,
              project_id: p.id,
              name: `Falls ${p.id}`,
              direction: 'decrease',
              data_kind: 'count',
              created_at: now,
            }),
          )
          .execute()
        await db
          .insertInto('measure_data_points')
          .values(
            VALUES.map((value, i) =>
              dataPointRow({
                measure_id: id,
                period: new Date(Date.UTC(2025, i, 1)).toISOString().slice(0, 10),
                value,
                entered_at: now,
              }),
            ),
          )
          .execute()
      }
      for (const role of RIGHTS_ROLES) {
        const browser = new TestBrowser(t.app)
        if (role === 'anonymous') tokens.set(role, null)
        else {
          browser.cookies.set(SESSION_COOKIE, await sessionFor(t.services.sessions, db, users[role].id))
          const secret = `qi_rights-${role}-secret-token-for-tests`
          await db
            .insertInto('api_tokens')
            .values({
              id: `tok-${role}`,
              user_id: users[role].id,
              name: role,
              token_hash: hashToken(secret),
              prefix: secret.slice(0, 9),
              can_write: true,
              created_at: now,
              expires_at: '2099-01-01T00:00:00.000Z',
            })
            .execute()
          tokens.set(role, secret)
        }
        browsers.set(role, browser)
      }
    })

    after(async () => {
      await t?.close()
    })

    test('the matrix covers every role, visibility and stage', () => {
      assert.equal(projects.length, RIGHTS_VISIBILITIES.length * RIGHTS_STATUSES.length)
      assert.equal(RIGHTS_ROLES.length, 12)
    })

    for (const role of RIGHTS_ROLES) {
      test(`${role}: downloads and API answers match the matrix, small numbers for the team only`, async () => {
        const browser = browsers.get(role)!
        const token = tokens.get(role) ?? null
        const api = (url: string) =>
          t.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} })
        const problems: string[] = []
        const check = (ok: boolean, what: string) => {
          if (!ok) problems.push(what)
        }
        const listed = new Set(
          (
            JSON.parse((await api('/api/v1/projects?pageSize=100&q=rightsmatrix')).body).items as {
              id: string
            }[]
          ).map((p) => p.id),
        )
        for (const project of projects) {
          const measure = measureOf.get(project.id)!
          const cell = `${role} × ${project.visibility} × ${project.status}`
          const { view } = expectedRights(role, project)
          const seesSmall = view && TEAM.includes(role)
          const refused = role === 'anonymous' ? 401 : 404
          const refusedApi = role === 'anonymous' ? 401 : 404

          check(
            listed.has(project.id) === view,
            `${cell}: API project list ${listed.has(project.id) ? 'shows' : 'hides'} it`,
          )

          const csv = await browser.get(`/measures/${measure}/data.csv`)
          check(csv.statusCode === (view ? 200 : refused), `${cell}: CSV ${csv.statusCode}`)
          if (view) {
            // period,value,raw_value,denominator,excluded,exclusion_reason,suppressed,…
            const rows = new Map(
              csv.body
                .split('\r\n')
                .slice(1)
                .map((line) => [line.split(',')[0], line.split(',')]),
            )
            for (const [period, value] of [
              ['2025-03-01', '3'],
              ['2025-07-01', '1'],
            ]) {
              const row = rows.get(period) ?? []
              check(
                seesSmall
                  ? row[1] === value && row[2] === value && row[6] === 'false'
                  : row[1] === '' && row[2] === '' && row[6] === 'true',
                `${cell}: CSV ${period} ${row.slice(0, 7).join(',')}`,
              )
            }
            check(rows.get('2025-01-01')?.[1] === '6', `${cell}: CSV ordinary values shown`)
          }

          const png = await browser.get(`/measures/${measure}/chart.png`)
          check(png.statusCode === (view ? 200 : refused), `${cell}: PNG ${png.statusCode}`)
          if (view) check(png.rawPayload.subarray(1, 4).toString() === 'PNG', `${cell}: PNG bytes`)

          const svg = await browser.get(`/measures/${measure}/chart.svg`)
          check(svg.statusCode === (view ? 200 : refused), `${cell}: SVG ${svg.statusCode}`)
          if (view)
            check(
              (svg.body.match(/<circle class="spc-point/g) ?? []).length ===
                (seesSmall ? VALUES.length : VALUES.length - 2),
              `${cell}: SVG dots`,
            )

          const detail = await api(`/api/v1/measures/${measure}`)
          check(detail.statusCode === (view ? 200 : refusedApi), `${cell}: API measure ${detail.statusCode}`)
          if (view)
            check(
              JSON.parse(detail.body).suppressedPoints === (seesSmall ? 0 : 2),
              `${cell}: API suppressed count`,
            )

          const points = await api(`/api/v1/measures/${measure}/data-points`)
          check(
            points.statusCode === (view ? 200 : refusedApi),
            `${cell}: API data points ${points.statusCode}`,
          )
          if (view) {
            const items = JSON.parse(points.body).items as { value: number | null; suppressed: boolean }[]
            const march = items[2]
            check(
              seesSmall ? march.value === 3 && !march.suppressed : march.value === null && march.suppressed,
              `${cell}: API March ${JSON.stringify(march)}`,
            )
            check(!seesSmall === items.some((p) => p.suppressed), `${cell}: API suppression flags`)
          }

          const project404 = await api(`/api/v1/projects/${project.id}`)
          check(
            project404.statusCode === (view ? 200 : refusedApi),
            `${cell}: API project ${project404.statusCode}`,
          )
          const measures = await api(`/api/v1/projects/${project.id}/measures`)
          check(
            measures.statusCode === (view ? 200 : refusedApi),
            `${cell}: API project measures ${measures.statusCode}`,
          )
        }
        assert.deepEqual(problems, [])
      })
    }

    test('an API token cannot add data where its owner may not edit; team editors can', async () => {
      const active = projects.find((p) => p.visibility === 'community' && p.status === 'active')!
      const archived = projects.find((p) => p.visibility === 'community' && p.status === 'archived')!
      const post = (role: RightsRole, projectId: string, period: string) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/measures/${measureOf.get(projectId)}/data-points`,
          headers: {
            ...(tokens.get(role) ? { authorization: `Bearer ${tokens.get(role)}` } : {}),
            'content-type': 'application/json',
          },
          payload: JSON.stringify({ period, value: 5 }),
        })
      const statuses: Record<string, number> = {}
      for (const role of RIGHTS_ROLES)
        statuses[role] = (
          await post(role, active.id, `2026-0${1 + (RIGHTS_ROLES.indexOf(role) % 9)}-01`)
        ).statusCode
      for (const role of RIGHTS_ROLES) {
        const rights = expectedRights(role, active)
        const expected = rights.edit ? 201 : role === 'anonymous' ? 401 : rights.view ? 403 : 404
        assert.equal(statuses[role], expected, `${role} adding data`)
      }
      assert.equal(
        (await post('team_lead', archived.id, '2026-06-01')).statusCode,
        403,
        'closed projects take no more data',
      )
    })
  })
}
