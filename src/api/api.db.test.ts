import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, errorSummary, h1, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { SESSION_COOKIE } from '../web/plugin.js'
import { addMeasure, assertHas, insertPoints, monthly, teamProject } from '../measures/test-helpers.js'
import { API_RATE } from './routes.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are read field by field
const json = (body: string): Record<string, any> => JSON.parse(body)

for (const { dialect, skip } of await testDialects()) {
  describe(`the JSON API on ${dialect}`, { skip }, () => {
    let t: TestApp
    let ada: TestBrowser
    let leo: TestBrowser
    let adaRead = ''
    let adaWrite = ''
    let leoWrite = ''
    before(async () => {
      t = await startTestApp(dialect)
      ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
      const token = async (b: TestBrowser, access: string) => {
        const res = await b.submit('/account/tokens', '/account/tokens', {
          name: `${access} token`,
          access,
          days: '30',
        })
        assert.equal(res.statusCode, 200)
        return /value="(qi_[^"]+)"/.exec(res.body)![1]
      }
      adaRead = await token(ada, 'read')
      adaWrite = await token(ada, 'write')
      leoWrite = await token(leo, 'write')
    })
    after(async () => t.close())
    const db = () => t.db.database.db
    const api = (
      method: 'GET' | 'POST',
      url: string,
      token: string | null,
      payload?: unknown,
      extra: Record<string, string> = {},
    ) =>
      t.app.inject({
        method,
        url,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
          ...extra,
        },
        payload: payload === undefined ? undefined : JSON.stringify(payload),
      })

    test('a token is shown once, stored only as a hash, listed by its first characters and revoked', async () => {
      const created = await ada.submit('/account/tokens', '/account/tokens', {
        name: 'Power BI',
        access: 'read',
        days: '90',
      })
      assert.equal(h1(created.body), 'Your new API token')
      assert.equal(created.headers['cache-control'], 'no-store')
      const secret = /value="(qi_[^"]+)"/.exec(created.body)![1]
      const row = await db()
        .selectFrom('api_tokens')
        .selectAll()
        .where('name', '=', 'Power BI')
        .executeTakeFirstOrThrow()
      assert.notEqual(row.token_hash, secret)
      assert.ok(!JSON.stringify(row).includes(secret.slice(3)), 'the secret is not stored')
      const list = await ada.get('/account/tokens')
      assertHas(list.body, new RegExp(`<code>${row.prefix}…</code>`))
      assert.ok(!list.body.includes(secret), 'never shown again')
      assert.equal((await api('GET', '/api/v1/projects', secret)).statusCode, 200)
      const bad = await ada.submit('/account/tokens', '/account/tokens', {
        name: '',
        access: 'admin',
        days: '9999',
      })
      assert.deepEqual(errorSummary(bad.body), [
        'Enter a name for the token',
        'Select what the token may do',
        'Select when the token expires',
      ])
      assert.equal(
        (await leo.post(`/account/tokens/${row.id}/revoke`, {})).statusCode,
        404,
        'only the owner revokes it',
      )
      assert.equal((await ada.post(`/account/tokens/${row.id}/revoke`, {})).statusCode, 303)
      const revoked = await api('GET', '/api/v1/projects', secret)
      assert.equal(revoked.statusCode, 401)
      assert.equal(revoked.headers['content-type'], 'application/problem+json; charset=utf-8')
      assert.match(json(revoked.body).detail, /missing, unknown, revoked or expired/)
    })

    test('the token pages need a signed-in member and a form token', async () => {
      const anonymous = new TestBrowser(t.app)
      assert.equal((await anonymous.get('/account/tokens')).statusCode, 303)
      const forged = await ada.request({
        method: 'POST',
        url: '/account/tokens',
        payload: 'name=x&access=write&days=30',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      assert.equal(forged.statusCode, 403)
    })

    test('the API answers as the website would: visible projects only, hidden ones are not found', async () => {
      const community = await teamProject(db(), { visibility: 'community' })
      const teamOnly = await teamProject(db(), { visibility: 'team' })
      const listed = (res: { body: string }) => (json(res.body).items as { id: string }[]).map((p) => p.id)
      const asAda = listed(await api('GET', '/api/v1/projects?pageSize=100', adaRead))
      assert.ok(asAda.includes(community) && asAda.includes(teamOnly))
      const asLeo = listed(await api('GET', '/api/v1/projects?pageSize=100', leoWrite))
      assert.ok(asLeo.includes(community))
      assert.ok(!asLeo.includes(teamOnly))
      const anonymous = listed(await api('GET', '/api/v1/projects?pageSize=100', null))
      assert.ok(!anonymous.includes(community), 'community projects need a signed-in member')
      const hidden = await api('GET', `/api/v1/projects/${teamOnly}`, leoWrite)
      assert.equal(hidden.statusCode, 404)
      assert.equal(json(hidden.body).status, 404)
      const signIn = await api('GET', `/api/v1/projects/${community}`, null)
      assert.equal(signIn.statusCode, 401)
      assert.equal(json(signIn.body).title, 'Sign in required')
      const project = json((await api('GET', `/api/v1/projects/${community}`, leoWrite)).body)
      assert.equal(project.id, community)
      assert.deepEqual(
        project.organisations.map((o: { id: string }) => o.id),
        ['org-ghft'],
      )
      assert.equal(project.canEdit, false)
      const query = await api('GET', '/api/v1/projects?pageSize=1000', adaRead)
      assert.equal(query.statusCode, 400)
      assert.ok('pageSize' in json(query.body).errors)
    })

    test('measures come with the engine’s SPC summary, and counts of 1 to 4 are suppressed outside the team', async () => {
      const project = await teamProject(db(), { visibility: 'community' })
      const id = await addMeasure(ada, project, { name: 'Falls', dataKind: 'count', direction: 'decrease' })
      const values = [6, 7, 3, 8, 6, 9, 7, 6, 8, 7, 6, 9, 7]
      await insertPoints(
        db(),
        id,
        monthly(values.length).map((period, i) => ({ period, value: values[i] })),
      )
      const list = json((await api('GET', `/api/v1/projects/${project}/measures`, leoWrite)).body)
      assert.equal(list.items[0].id, id)
      assert.equal(list.items[0].spc.chart, 'c')
      assert.equal(list.items[0].spc.points, 13)
      const team = json((await api('GET', `/api/v1/measures/${id}`, adaRead)).body)
      const outsider = json((await api('GET', `/api/v1/measures/${id}`, leoWrite)).body)
      assert.equal(team.spc.centre, outsider.spc.centre)
      assert.ok(Math.abs(team.spc.centre - values.reduce((a, b) => a + b) / values.length) < 1e-9)
      assert.equal(outsider.suppressedPoints, 1)
      assert.equal(team.suppressedPoints, 0)
      assert.equal(outsider.operationalDefinition.numerator, 'Falls reported on Datix')
      const teamPoints = json((await api('GET', `/api/v1/measures/${id}/data-points`, adaRead)).body).items
      const outsiderPoints = json(
        (await api('GET', `/api/v1/measures/${id}/data-points`, leoWrite)).body,
      ).items
      assert.deepEqual(teamPoints[2], {
        period: '2023-03-01',
        value: 3,
        numerator: null,
        denominator: null,
        plotted: 3,
        excluded: false,
        exclusionReason: null,
        suppressed: false,
      })
      assert.deepEqual(outsiderPoints[2], {
        period: '2023-03-01',
        value: null,
        numerator: null,
        denominator: null,
        plotted: null,
        excluded: false,
        exclusionReason: null,
        suppressed: true,
      })
      assert.ok(!JSON.stringify(outsiderPoints).includes('"value":3'))
    })

    test('adding data needs a write token of a team member; validation problems name the field', async () => {
      const project = await teamProject(db(), { visibility: 'community' })
      const id = await addMeasure(ada, project, {
        dataKind: 'proportion',
        direction: 'increase',
        multiplier: '100',
      })
      const url = `/api/v1/measures/${id}/data-points`
      const ok = await api('POST', url, adaWrite, { period: '2024-01-01', numerator: 3, denominator: 10 })
      assert.equal(ok.statusCode, 201)
      assert.deepEqual(json(ok.body).periods, ['2024-01-01'])
      const readOnly = await api('POST', url, adaRead, {
        period: '2024-02-01',
        numerator: 3,
        denominator: 10,
      })
      assert.equal(readOnly.statusCode, 403)
      assert.match(json(readOnly.body).detail, /can only read/)
      const outsider = await api('POST', url, leoWrite, {
        period: '2024-02-01',
        numerator: 3,
        denominator: 10,
      })
      assert.equal(outsider.statusCode, 403)
      const none = await api('POST', url, null, { period: '2024-02-01', numerator: 3, denominator: 10 })
      assert.equal(none.statusCode, 401)
      const single = await api('POST', url, adaWrite, {
        period: '2024-02-30',
        numerator: 12,
        denominator: 10,
        value: 4,
      })
      assert.equal(single.statusCode, 400)
      assert.equal(single.headers['content-type'], 'application/problem+json; charset=utf-8')
      assert.deepEqual(json(single.body).errors, {
        period: 'The period is not a real date',
        value: 'This measure takes numerator and denominator, not value',
        numerator: 'The numerator (12) is more than the denominator (10)',
      })
      const batch = await api('POST', url, adaWrite, {
        points: [
          { period: '2024-03-01', numerator: 1, denominator: 5 },
          { period: '2024-01-01', numerator: 'two', denominator: 5 },
        ],
      })
      assert.equal(batch.statusCode, 400)
      assert.deepEqual(json(batch.body).errors, {
        'points.1.period': 'There is already a value for 1 Jan 2024',
        'points.1.numerator': 'The numerator must be a number',
      })
      const rows = await db()
        .selectFrom('measure_data_points')
        .select('period')
        .where('measure_id', '=', id)
        .execute()
      assert.deepEqual(
        rows.map((r) => r.period),
        ['2024-01-01'],
        'all or nothing',
      )
      const good = await api('POST', url, adaWrite, {
        points: [
          { period: '2024-03-01', numerator: 1, denominator: 5 },
          { period: 'Apr 2024', numerator: 2, denominator: 5 },
        ],
      })
      assert.equal(good.statusCode, 201)
      assert.equal(json(good.body).added, 2)
      const broken = await t.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${adaWrite}`, 'content-type': 'application/json' },
        payload: '{"period":',
      })
      assert.equal(broken.statusCode, 400)
      assert.equal(broken.headers['content-type'], 'application/problem+json; charset=utf-8')
    })

    test('the API never takes cookies: a signed-in browser cannot write through it (no CSRF hole)', async () => {
      const project = await teamProject(db(), { visibility: 'team' })
      const id = await addMeasure(ada, project, { dataKind: 'count' })
      const cookie = ada.cookies.get(SESSION_COOKIE)!
      const write = await t.app.inject({
        method: 'POST',
        url: `/api/v1/measures/${id}/data-points`,
        cookies: { [SESSION_COOKIE]: cookie },
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ period: '2024-01-01', value: 3 }),
      })
      assert.equal(write.statusCode, 401)
      const read = await t.app.inject({
        method: 'GET',
        url: `/api/v1/measures/${id}`,
        cookies: { [SESSION_COOKIE]: cookie },
      })
      assert.equal(read.statusCode, 401, 'a team-only measure is not shown to a cookie either')
      const form = await t.app.inject({
        method: 'POST',
        url: `/api/v1/measures/${id}/data-points`,
        cookies: { [SESSION_COOKIE]: cookie },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'period=2024-01-01&value=3',
      })
      assert.equal(form.statusCode, 401)
      assert.equal(
        (await db().selectFrom('measure_data_points').select('period').where('measure_id', '=', id).execute())
          .length,
        0,
      )
      const garbage = await api('GET', '/api/v1/projects', 'qi_not-a-real-token')
      assert.equal(garbage.statusCode, 401)
      assert.equal(garbage.headers['www-authenticate'], 'Bearer error="invalid_token"')
      const basic = await t.app.inject({
        method: 'GET',
        url: '/api/v1/projects',
        headers: { authorization: 'Basic YTpi' },
      })
      assert.equal(basic.statusCode, 401)
    })

    test('unknown measures and addresses are 404 problems', async () => {
      const res = await api('GET', '/api/v1/measures/nope', adaRead)
      assert.equal(res.statusCode, 404)
      assert.equal(json(res.body).title, 'Page not found')
      assert.equal(
        (await api('GET', '/api/v1/nothing-here', adaRead)).headers['content-type'],
        'application/problem+json; charset=utf-8',
      )
    })

    test('a token is rate limited', async () => {
      const created = await ada.submit('/account/tokens', '/account/tokens', {
        name: 'Busy',
        access: 'read',
        days: '30',
      })
      const secret = /value="(qi_[^"]+)"/.exec(created.body)![1]
      assert.equal((await api('GET', '/api/v1/projects?pageSize=1', secret)).statusCode, 200)
      const token = await db()
        .selectFrom('api_tokens')
        .select('id')
        .where('name', '=', 'Busy')
        .executeTakeFirstOrThrow()
      // As if the token had already made its allowance in this minute.
      await db()
        .updateTable('rate_limits')
        .set({ count: API_RATE.token.max })
        .where('key', '=', `api:${token.id}`)
        .execute()
      const limited = await api('GET', '/api/v1/projects?pageSize=1', secret)
      assert.equal(limited.statusCode, 429)
      assert.ok(Number(limited.headers['retry-after']) >= 1)
      assert.equal(json(limited.body).status, 429)
    })

    test('the OpenAPI 3.1 description and its documentation page', async () => {
      const spec = json((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).body)
      assert.equal(spec.openapi, '3.1.0')
      assert.deepEqual(Object.keys(spec.paths).sort(), [
        '/api/v1/measures/{measureId}',
        '/api/v1/measures/{measureId}/data-points',
        '/api/v1/posters',
        '/api/v1/posters/{posterId}',
        '/api/v1/projects',
        '/api/v1/projects/{projectId}',
        '/api/v1/projects/{projectId}/measures',
      ])
      assert.equal(spec.components.securitySchemes.bearerToken.scheme, 'bearer')
      const paths: Record<string, { responses: Record<string, unknown> }>[] = Object.values(spec.paths)
      for (const path of paths)
        for (const op of Object.values(path))
          assert.ok(op.responses['404'] || op.responses['400'], 'every operation documents its problems')
      const docs = await t.app.inject({ method: 'GET', url: '/api/docs' })
      assert.equal(docs.statusCode, 200)
      assert.equal(h1(docs.body), 'API documentation')
      assertHas(docs.body, /<code>\/api\/v1\/measures\/\{measureId\}\/data-points<\/code>/)
    })
  })
}
