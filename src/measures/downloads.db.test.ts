import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { addMeasure, insertPoints, monthly, teamProject } from './test-helpers.js'

for (const { dialect, skip } of await testDialects()) {
  describe(`measure downloads on ${dialect}`, { skip }, () => {
    let t: TestApp
    let ada: TestBrowser
    let leo: TestBrowser
    before(async () => {
      t = await startTestApp(dialect)
      ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
      leo = new TestBrowser(t.app)
      await leo.signIn('leo.learner@example.invalid')
    })
    after(async () => t.close())
    const db = () => t.db.database.db

    test('CSV for Excel and Power BI: numbers as numbers, the chart’s lines and signals, formulas never run', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, {
        name: 'Discharges before noon',
        dataKind: 'proportion',
        direction: 'increase',
        multiplier: '100',
      })
      await insertPoints(
        db(),
        id,
        monthly(14).map((period, i) => ({ period, numerator: 20 + (i % 5), denominator: 100 })),
      )
      await ada.get(`/measures/${id}/data/2023-02-01`)
      await ada.post(`/measures/${id}/data/2023-02-01`, {
        period: '2023-02-01',
        numerator: '21',
        denominator: '100',
        excluded: 'on',
        exclusionReason: '=HYPERLINK("http://evil.example","click")',
        version: '1',
      })
      const res = await ada.get(`/measures/${id}/data.csv`)
      assert.equal(res.statusCode, 200)
      assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8')
      assert.equal(res.headers['content-disposition'], 'attachment; filename="discharges-before-noon.csv"')
      assert.equal(res.headers['cache-control'], 'no-store')
      const lines = res.body.replace(/^\uFEFF/, '').split('\r\n')
      assert.equal(
        lines[0],
        'period,value,numerator,denominator,excluded,exclusion_reason,suppressed,centre,lower_limit,upper_limit,signal',
      )
      assert.match(lines[1], /^2023-01-01,20,20,100,false,,false,[\d.]+,[\d.]+,[\d.]+,None$/)
      assert.equal(lines[2].split(',').slice(0, 5).join(','), '2023-02-01,21,21,100,true')
      assert.ok(
        lines[2].includes(`"'=HYPERLINK(""http://evil.example"",""click"")"`),
        'the formula is written as text',
      )
      assert.equal(lines.length, 16)
      const audit = await db()
        .selectFrom('audit_log')
        .select('after')
        .where('entity_id', '=', id)
        .where('action', '=', 'measure.exported')
        .execute()
      assert.equal(audit.length, 1)
    })

    test('the chart as PNG (resvg) and SVG, with their text alternative inside', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, {
        name: 'Length of stay',
        dataKind: 'continuous',
        direction: 'decrease',
        unit: 'days',
      })
      const empty = await ada.get(`/measures/${id}/chart.png`)
      assert.equal(empty.statusCode, 404, 'no chart without data')
      await insertPoints(
        db(),
        id,
        monthly(20).map((period, i) => ({ period, value: 7 + (i % 3) * 0.2 - (i > 12 ? 1.5 : 0) })),
      )
      const png = await ada.get(`/measures/${id}/chart.png`)
      assert.equal(png.statusCode, 200)
      assert.equal(png.headers['content-type'], 'image/png')
      assert.deepEqual([...png.rawPayload.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
      assert.ok(png.rawPayload.readUInt32BE(16) >= 1600, 'drawn at twice the size for print')
      const svg = await ada.get(`/measures/${id}/chart.svg`)
      assert.equal(svg.statusCode, 200)
      assert.equal(svg.headers['content-type'], 'image/svg+xml; charset=utf-8')
      assert.match(String(svg.headers['content-security-policy']), /default-src 'none'/)
      assert.ok(svg.body.startsWith('<?xml'))
      assert.match(svg.body, /<title id="[^"]+">Length of stay<\/title>/)
      assert.match(svg.body, /<desc id="[^"]+">Length of stay\. Special cause improvement/)
    })

    test('downloads follow the project’s visibility, and hide small numbers outside the team', async () => {
      const hidden = await teamProject(db(), { visibility: 'team' })
      const secret = await addMeasure(ada, hidden)
      await insertPoints(
        db(),
        secret,
        monthly(3).map((period) => ({ period, value: 9 })),
      )
      for (const path of ['data.csv', 'chart.png', 'chart.svg']) {
        assert.equal((await leo.get(`/measures/${secret}/${path}`)).statusCode, 404, path)
        assert.equal(
          (await new TestBrowser(t.app).get(`/measures/${secret}/${path}`)).statusCode,
          401,
          `${path} tells visitors to sign in, with no sign-in page`,
        )
      }
      const open = await teamProject(db(), { visibility: 'community' })
      const id = await addMeasure(ada, open, { dataKind: 'count' })
      await insertPoints(
        db(),
        id,
        monthly(4).map((period, i) => ({ period, value: [12, 2, 0, 4][i] })),
      )
      const team = (await ada.get(`/measures/${id}/data.csv`)).body.split('\r\n')
      const outsider = (await leo.get(`/measures/${id}/data.csv`)).body.split('\r\n')
      assert.deepEqual(
        team.slice(1, 5).map((l) => l.split(',').slice(0, 7).join(',')),
        [
          '2023-01-01,12,12,,false,,false',
          '2023-02-01,2,2,,false,,false',
          '2023-03-01,0,0,,false,,false',
          '2023-04-01,4,4,,false,,false',
        ],
      )
      assert.deepEqual(
        outsider.slice(1, 5).map((l) => l.split(',').slice(0, 7).join(',')),
        [
          '2023-01-01,12,12,,false,,false',
          '2023-02-01,,,,false,,true',
          '2023-03-01,0,0,,false,,false',
          '2023-04-01,,,,false,,true',
        ],
      )
      const page = await leo.get(`/measures/${id}`)
      assert.ok(
        page.body.includes('2 points are not shown: counts from 1 to 4 are hidden outside the project team'),
      )
      const valueColumn = [
        ...page.body.matchAll(
          /<\/th><td class="nhsuk-table__cell nhsuk-table__cell--numeric">([^<]*)<\/td>/g,
        ),
      ].map((m) => m[1])
      assert.deepEqual(
        valueColumn,
        ['12', 'suppressed', '0', 'suppressed'],
        'no count of 1 to 4 in the table',
      )
    })
  })
}
