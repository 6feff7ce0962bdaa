import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { addMeasure, insertPoints, monthly, teamProject } from '../measures/test-helpers.js'
import { apiComponents, apiEndpoints, type ApiEndpoint } from './schemas.js'
import { posterThrough } from '../showcase/fixtures.js'
import { API_BASE } from './service.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document and answers are read field by field
type Json = Record<string, any>

/** `METHOD /path` for every route under /api/v1 the router knows (from `app.printRoutes`). */
function routerRoutes(printed: string): string[] {
  const stack: { depth: number; path: string }[] = []
  const out: string[] = []
  for (const line of printed.split('\n')) {
    const match = /^([\s│├└─]*?)(?:[├└]── )(.+?) \(([^)]+)\)$/.exec(line)
    if (!match) continue
    const depth = match[1].length
    while (stack.length && stack[stack.length - 1].depth >= depth) stack.pop()
    const parent = stack.length ? stack[stack.length - 1].path : ''
    const path = parent === '/' ? `/${match[2]}` : parent + match[2]
    stack.push({ depth, path })
    if (!path.startsWith(`${API_BASE}/`)) continue
    for (const method of match[3].split(', ')) if (method !== 'HEAD') out.push(`${method} ${path}`)
  }
  return out.sort()
}

const operations = (spec: Json) =>
  Object.entries(spec.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json).map(([method, op]) => ({
      path,
      method: method.toUpperCase(),
      op: op as Json,
    })),
  )

const endpointOf = (operationId: string) => (apiEndpoints as Record<string, ApiEndpoint>)[operationId]

for (const { dialect, skip } of await testDialects()) {
  describe(`every API route keeps to its OpenAPI description on ${dialect}`, { skip }, () => {
    let t: TestApp
    let token = ''
    let spec: Json = {}
    const ids: Record<string, string> = {}
    before(async () => {
      t = await startTestApp(dialect)
      const ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      const created = await ada.submit('/account/tokens', '/account/tokens', {
        name: 'contract',
        access: 'write',
        days: '30',
      })
      token = /value="(qi_[^"]+)"/.exec(created.body)![1]
      ids.projectId = await teamProject(t.db.database.db, { visibility: 'community' })
      ids.measureId = await addMeasure(ada, ids.projectId, { dataKind: 'count', direction: 'decrease' })
      const values = [6, 2, 3, 8, 6, 9, 7, 6, 8, 7, 6, 9, 7]
      await insertPoints(
        t.db.database.db,
        ids.measureId,
        monthly(values.length).map((period, i) => ({ period, value: values[i] })),
      )
      const cara = new TestBrowser(t.app)
      await cara.signIn('cara.cycle@example.invalid')
      ids.posterId = await posterThrough(() => t.services.jobs.runDue(), ada, cara, {
        title: 'Contract poster (DEMO)',
      })
      spec = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).body) as Json
    })
    after(async () => t.close())

    const call = (method: string, url: string, payload?: unknown) =>
      t.app.inject({
        method: method as 'GET' | 'POST',
        url,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        payload: payload === undefined ? undefined : JSON.stringify(payload),
      })
    const fill = (path: string, values: Record<string, string>) =>
      path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? ids[name])
    const validBody = (i: number) => ({
      period: `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`,
      value: 5,
    })

    /** The answer matches the schema the document names for this status. */
    function assertAnswer(op: Json, res: { statusCode: number; body: string; headers: Json }) {
      const documented = op.responses[String(res.statusCode)]
      assert.ok(documented, `${op.operationId} answered ${res.statusCode}, which it does not document`)
      const schema = endpointOf(op.operationId as string).schema.response[res.statusCode as 200 | 201]
      assert.ok(schema, `${op.operationId} has a response schema for ${res.statusCode}`)
      assert.deepEqual(documented.content['application/json'].schema, {
        $ref: `#/components/schemas/${apiComponents.get(schema)?.id}`,
      })
      assert.match(String(res.headers['content-type']), /^application\/json/)
      const parsed = schema.safeParse(JSON.parse(res.body))
      assert.ok(
        parsed.success,
        `${op.operationId}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))}`,
      )
    }

    test('the router and the document list the same API routes, each declaring its schemas', () => {
      const documented = operations(spec)
        .map(({ method, path }) => `${method} ${path.replace(/\{(\w+)\}/g, ':$1')}`)
        .sort()
      assert.deepEqual(routerRoutes(t.app.printRoutes({ commonPrefix: false })), documented)
      assert.ok(documented.length >= 6)
      for (const { path, op } of operations(spec)) {
        const endpoint = endpointOf(op.operationId as string)
        assert.ok(endpoint, `${op.operationId} is one of apiEndpoints`)
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
        assert.deepEqual(
          Object.keys(endpoint.schema.params?.shape ?? {}).sort(),
          inPath,
          `${op.operationId} declares a schema for each of its params`,
        )
        assert.ok(Object.keys(endpoint.schema.response).length > 0, `${op.operationId} declares its answer`)
        assert.ok(op.responses['400'], `${op.operationId} documents its 400`)
      }
    })

    test('every route, called with good input, answers with what the document declares', async () => {
      let i = 0
      for (const { path, method, op } of operations(spec)) {
        const res = await call(method, fill(path, {}), method === 'POST' ? validBody(i++) : undefined)
        assertAnswer(op, res)
      }
      // And every demo project and measure Ada can see, for annotations, PDSA marks and proportions.
      const byId = Object.fromEntries(operations(spec).map((o) => [o.op.operationId as string, o]))
      const projects = await call('GET', `${API_BASE}/projects?pageSize=100&page=1`)
      assertAnswer(byId.listProjects.op, projects)
      for (const p of (JSON.parse(projects.body) as Json).items as { id: string }[]) {
        assertAnswer(byId.getProject.op, await call('GET', fill(byId.getProject.path, { projectId: p.id })))
        const measures = await call('GET', fill(byId.listMeasures.path, { projectId: p.id }))
        assertAnswer(byId.listMeasures.op, measures)
        for (const m of (JSON.parse(measures.body) as Json).items as { id: string }[]) {
          assertAnswer(byId.getMeasure.op, await call('GET', fill(byId.getMeasure.path, { measureId: m.id })))
          assertAnswer(
            byId.listDataPoints.op,
            await call('GET', fill(byId.listDataPoints.path, { measureId: m.id })),
          )
        }
      }
    })

    test('malformed params, query and body are 400 problems naming the field', async () => {
      const assertProblem = (
        res: { statusCode: number; body: string; headers: Json },
        field: string,
        what: string,
      ) => {
        assert.equal(res.statusCode, 400, `${what}: ${res.body}`)
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', what)
        const body = JSON.parse(res.body) as Json
        assert.equal(body.status, 400)
        assert.ok(field in body.errors, `${what} names ${field}: ${res.body}`)
      }
      let i = 100
      for (const { path, method, op } of operations(spec)) {
        const body = () => (method === 'POST' ? validBody(i++) : undefined)
        for (const param of (op.parameters as Json[]).filter((p) => p.in === 'path'))
          for (const bad of ['x'.repeat(300), 'bad%00id', 'two%20words', '%E2%80%AEevil', '-leading'])
            assertProblem(
              await call(method, fill(path, { [param.name]: bad }), body()),
              param.name as string,
              `${method} ${path} with ${param.name}=${bad.slice(0, 20)}`,
            )
        for (const param of (op.parameters as Json[]).filter((p) => p.in === 'query')) {
          const bads = [`${param.name}=a&${param.name}=b`]
          if (param.schema.type === 'integer')
            bads.push(`${param.name}=abc`, `${param.name}=-1`, `${param.name}=1.5`)
          if (param.schema.maxLength) bads.push(`${param.name}=${'x'.repeat(param.schema.maxLength + 1)}`)
          for (const query of bads)
            assertProblem(
              await call(method, `${fill(path, {})}?${query}`, body()),
              param.name as string,
              `${method} ${path}?${query.slice(0, 30)}`,
            )
        }
        if (op.requestBody) {
          assertProblem(await call(method, fill(path, {}), 42), 'body', `${op.operationId} with a number`)
          assertProblem(
            await call(method, fill(path, {}), { points: 'x' }),
            'points',
            `${op.operationId} points`,
          )
          assertProblem(
            await call(method, fill(path, {}), { points: [7] }),
            'points.0',
            `${op.operationId} point`,
          )
          assertProblem(
            await call(method, fill(path, {}), { points: [] }),
            'points',
            `${op.operationId} with no points`,
          )
        }
      }
    })
  })
}
