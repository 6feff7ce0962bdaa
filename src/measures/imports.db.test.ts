import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import ExcelJS from 'exceljs'
import { startTestApp, TestBrowser, errorSummary, h1, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import {
  addMeasure,
  assertHas,
  assertHasNot,
  countPoints,
  fixture,
  insertPoints,
  monthly,
  teamProject,
  upload,
} from './test-helpers.js'

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('Data')
  for (const r of rows) ws.addRow(r)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

const previewUrl = (res: { statusCode: number; headers: Record<string, unknown> }) => {
  assert.equal(res.statusCode, 303, 'the upload leads to its preview')
  return String(res.headers.location)
}

for (const { dialect, skip } of await testDialects()) {
  describe(`importing data on ${dialect}`, { skip }, () => {
    let t: TestApp
    let ada: TestBrowser
    before(async () => {
      t = await startTestApp(dialect)
      ada = new TestBrowser(t.app)
      await ada.signIn('ada.aimwell@example.invalid')
    })
    after(async () => t.close())
    const db = () => t.db.database.db
    const imports = async () => (await db().selectFrom('measure_imports').select('id').execute()).length

    test('a public data set (C. difficile infections per risk days) is uploaded, previewed and imported whole', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, {
        name: 'C. difficile infections',
        dataKind: 'rate',
        direction: 'decrease',
        multiplier: '10000',
      })
      const url = previewUrl(await upload(ada, id, 'cdi.csv', fixture('cdi.csv')))
      const preview = await ada.get(url)
      assert.equal(preview.statusCode, 200)
      assert.equal(h1(preview.body), 'Check the data before importing it')
      assertHas(preview.body, /36 rows of data/)
      assertHas(preview.body, /<option value="0" selected>A: month<\/option>/)
      assertHas(preview.body, /<option value="2" selected>C: days<\/option>/)
      assert.equal(await countPoints(db(), id), 0, 'nothing is saved by the preview')
      const commit = await ada.post(url, {
        action: 'commit',
        date: '0',
        first: '1',
        second: '2',
        header: '1',
      })
      assert.equal(commit.statusCode, 303)
      assert.equal(await countPoints(db(), id), 36)
      const point = await db()
        .selectFrom('measure_data_points')
        .selectAll()
        .where('measure_id', '=', id)
        .where('period', '=', '2012-11-01')
        .executeTakeFirstOrThrow()
      assert.equal(Number(point.numerator), 17)
      assert.ok(Math.abs(Number(point.denominator) - 14768.4166666667) < 1e-6)
      const page = await ada.get(`/measures/${id}`)
      assertHas(page.body, /U chart \(rates\), suggested from the data/)
      const audit = await db()
        .selectFrom('audit_log')
        .select(['action', 'after'])
        .where('entity_id', '=', id)
        .where('action', '=', 'measure.data_imported')
        .execute()
      assert.equal(audit.length, 1)
      const activity = await db()
        .selectFrom('project_activity')
        .select('summary')
        .where('project_id', '=', project)
        .where('kind', '=', 'measure.data_imported')
        .execute()
      assert.deepEqual(
        activity.map((a) => a.summary),
        ['Imported 36 data points into "C. difficile infections" from cdi.csv'],
      )
    })

    test('the columns can be chosen: readmissions out of operations from the CABG data set', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, {
        name: 'Readmissions',
        dataKind: 'proportion',
        direction: 'decrease',
        multiplier: '100',
      })
      const url = previewUrl(await upload(ada, id, 'cabg_monthly.csv', fixture('cabg_monthly.csv')))
      const chosen = await ada.get(`${url}?date=0&first=3&second=1&header=1`)
      assertHas(chosen.body, /Import 36 data points/)
      const res = await ada.post(url, { action: 'commit', date: '0', first: '3', second: '1', header: '1' })
      assert.equal(res.statusCode, 303)
      const first = await db()
        .selectFrom('measure_data_points')
        .selectAll()
        .where('measure_id', '=', id)
        .orderBy('period')
        .executeTakeFirstOrThrow()
      assert.deepEqual(
        [first.period, Number(first.numerator), Number(first.denominator)],
        ['2011-07-01', 14, 52],
      )
    })

    test('a file without dates (weeks numbered 1 to 20) is previewed with an error on every row and cannot be imported', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'proportion', direction: 'increase' })
      const url = previewUrl(await upload(ada, id, 'nhs_accidents.csv', fixture('nhs_accidents.csv')))
      const preview = await ada.get(url)
      assertHas(preview.body, /20 rows have problems/)
      assertHas(preview.body, /Row 2: the date &quot;1&quot; is not a date we recognise/)
      assertHasNot(preview.body, /Import \d+ data point/)
      const forced = await ada.post(url, {
        action: 'commit',
        date: '0',
        first: '1',
        second: '2',
        header: '1',
      })
      assert.equal(forced.statusCode, 400)
      assert.equal(await countPoints(db(), id), 0)
    })

    test('pasting from Excel: two columns, tab-separated, with a heading', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'count' })
      await ada.get(`/measures/${id}/paste`)
      const res = await ada.post(`/measures/${id}/paste`, {
        data: 'Month\tFalls\n01/01/2024\t4\n01/02/2024\t6\n01/03/2024\t1,204\n',
      })
      const url = previewUrl(res)
      const preview = await ada.get(url)
      assertHas(preview.body, /Import 3 data points/)
      assert.equal(
        (await ada.post(url, { action: 'commit', date: '0', first: '1', header: '1' })).statusCode,
        303,
      )
      assert.equal(await countPoints(db(), id), 3)
      const again = await ada.post(url, { action: 'commit', date: '0', first: '1', header: '1' })
      assert.equal(again.statusCode, 404, 'an import is committed once')
      assert.equal(await countPoints(db(), id), 3)
    })

    test('every bad row is named, and nothing is imported until all are right', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'proportion', direction: 'increase' })
      await insertPoints(db(), id, [{ period: '2024-01-01', numerator: 1, denominator: 2 }])
      const csv = [
        'month,n,d',
        '2024-01-01,5,10',
        '2024-02-30,5,10',
        '2024-03-01,five,10',
        '2024-04-01,12,10',
        '2024-05-01,-2,10',
        '2024-05-01,3,10',
        '2024-06-01,3,10',
      ].join('\n')
      const url = previewUrl(await upload(ada, id, 'mixed.csv', Buffer.from(csv)))
      const preview = await ada.get(url)
      for (const message of [
        /Row 2: this measure already has a value for 1 Jan 2024/,
        /Row 3: the date &quot;2024-02-30&quot; is not a real date/,
        /Row 4: the numerator &quot;five&quot; is not a number/,
        /Row 5: the numerator \(12\) is more than the denominator \(10\)/,
        /Row 6: the numerator cannot be negative/,
        /Row 7: 1 May 2024 is already in row 6/,
      ])
        assertHas(preview.body, message)
      const res = await ada.post(url, { action: 'commit', date: '0', first: '1', second: '2', header: '1' })
      assert.equal(res.statusCode, 400)
      assertHas(res.body, /this measure already has a value for 1 Jan 2024/)
      assert.equal(await countPoints(db(), id), 1, 'no partial data: only the point that was there before')
    })

    test('replacing values already entered, when asked', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'count' })
      await insertPoints(db(), id, [{ period: '2024-01-01', value: 1 }])
      const url = previewUrl(
        await upload(ada, id, 'update.csv', Buffer.from('month,n\n2024-01-01,7\n2024-02-01,8\n'), {
          replace: 'on',
        }),
      )
      const preview = await ada.get(url)
      assertHas(preview.body, /Import 2 data points, replacing 1/)
      assert.equal(
        (await ada.post(url, { action: 'commit', date: '0', first: '1', header: '1' })).statusCode,
        303,
      )
      const rows = await db()
        .selectFrom('measure_data_points')
        .select(['period', 'value', 'version'])
        .where('measure_id', '=', id)
        .orderBy('period')
        .execute()
      assert.deepEqual(
        rows.map((r) => [r.period, Number(r.value), Number(r.version)]),
        [
          ['2024-01-01', 7, 2],
          ['2024-02-01', 8, 1],
        ],
      )
    })

    test('mixed date formats: a clear message and no partial data', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'count' })
      const url = previewUrl(
        await upload(
          ada,
          id,
          'dates.csv',
          Buffer.from('month,n\n2024-01-01,1\n2024-02-01,2\n01/03/2024,3\nApr 2024,4\n'),
        ),
      )
      const preview = await ada.get(url)
      assertHas(preview.body, /The file has a problem/)
      assertHas(
        preview.body,
        /The dates are written in more than one format \(like 2024-04-01 from row 2, like 01\/04\/2024 from row 4, like Apr 2024 from row 5\)/,
      )
      const res = await ada.post(url, { action: 'commit', date: '0', first: '1', header: '1' })
      assert.equal(res.statusCode, 400)
      assert.match(errorSummary(res.body)[0], /more than one format/)
      assert.equal(await countPoints(db(), id), 0)
    })

    test('wrong encoding: a CSV saved as Windows-1252 or UTF-16 is refused with how to fix it, nothing stored', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'count' })
      const before = await imports()
      const latin1 = await upload(
        ada,
        id,
        'excel.csv',
        Buffer.from('month,n,notes\n2024-01-01,3,caf\xe9 r\xe9union\n', 'latin1'),
      )
      assert.equal(latin1.statusCode, 400)
      assert.match(errorSummary(latin1.body)[0], /not UTF-8 text.*CSV UTF-8/)
      const utf16 = await upload(
        ada,
        id,
        'unicode.csv',
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('month,n\n2024-01-01,3\n', 'utf16le')]),
      )
      assert.match(errorSummary(utf16.body)[0], /UTF-16/)
      assert.equal(await imports(), before)
    })

    test('formulas in cells: a workbook gives its saved values only; formula text in a CSV is refused', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'count' })
      const bytes = await workbook([
        ['month', 'falls'],
        [new Date(Date.UTC(2024, 0, 1)), 3],
        [new Date(Date.UTC(2024, 1, 1)), { formula: 'B2*2', result: 6 }],
        [new Date(Date.UTC(2024, 2, 1)), { formula: 'WEBSERVICE("http://evil.example")', result: 5 }],
      ])
      const url = previewUrl(await upload(ada, id, 'falls.xlsx', bytes))
      const preview = await ada.get(url)
      assertHas(
        preview.body,
        /2 cells hold formulas: formulas are never worked out here; the values saved in the file were used/,
      )
      assert.equal(
        (await ada.post(url, { action: 'commit', date: '0', first: '1', header: '1' })).statusCode,
        303,
      )
      const values = (
        await db()
          .selectFrom('measure_data_points')
          .select('value')
          .where('measure_id', '=', id)
          .orderBy('period')
          .execute()
      ).map((r) => Number(r.value))
      assert.deepEqual(values, [3, 6, 5])
      const other = await addMeasure(ada, project, { dataKind: 'count' })
      const csvUrl = previewUrl(
        await upload(
          ada,
          other,
          'formula.csv',
          Buffer.from('month,n\n2024-01-01,=1+1\n2024-02-01,"=HYPERLINK(""http://x"")"\n'),
        ),
      )
      const csvPreview = await ada.get(csvUrl)
      assertHas(
        csvPreview.body,
        /Row 2: the count &quot;=1\+1&quot; is a formula: save or paste the values only/,
      )
      assert.equal(
        (await ada.post(csvUrl, { action: 'commit', date: '0', first: '1', header: '1' })).statusCode,
        400,
      )
      assert.equal(await countPoints(db(), other), 0)
    })

    test('a 50 MB file is refused with 413 and a clear message; nothing is stored', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'count' })
      const before = await imports()
      const line = Buffer.from('2024-01-01,1\n')
      const big = Buffer.alloc(50 * 1024 * 1024)
      for (let i = 0; i + line.length <= big.length; i += line.length) line.copy(big, i)
      const res = await upload(ada, id, 'huge.csv', big)
      assert.equal(res.statusCode, 413)
      assert.deepEqual(errorSummary(res.body), [
        'The selected file must be smaller than 5 MB. Keep only the date and the numbers of this measure, or summarise the data (one row for each week or month).',
      ])
      assert.equal(await imports(), before)
      assert.equal(await countPoints(db(), id), 0)
    })

    test('a million rows are refused with the row limit; nothing is stored', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'count' })
      const before = await imports()
      const res = await upload(ada, id, 'million.csv', Buffer.from('d,n\n' + '1,1\n'.repeat(1_000_000)))
      assert.equal(res.statusCode, 400)
      assert.match(errorSummary(res.body)[0], /more than 10,000 rows/)
      assert.equal(await imports(), before)
      const pasted = await ada.post(`/measures/${id}/paste`, {
        data: 'd\tn\n' + '2024-01-01\t1\n'.repeat(20_000),
      })
      assert.equal(pasted.statusCode, 413, 'a paste larger than forms accept')
      assert.equal(await imports(), before)
    })

    test('patient-identifiable data is refused with the rows named, and never stored', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'count' })
      const before = await imports()
      const cases: [string, RegExp][] = [
        [
          'month,n,notes\n2024-01-01,3,\n2024-02-01,4,patient 943 476 5919\n',
          /Row 3, column C looks like an NHS number/,
        ],
        ['month,n\n2024-01-01,3\n2024-02-01,9434765919\n', /Row 3, column B looks like an NHS number/],
        ['month,n,ward\n2024-01-01,3,GL1 1AA\n', /Row 2, column C looks like a postcode/],
        ['month,DOB,n\n2024-01-01,2016-03-02,1\n', /Row 1, column B: the heading names dates of birth/],
        ['month,n\n1957-03-14,3\n', /Row 2, column A looks like a date of birth/],
      ]
      for (const [csv, message] of cases) {
        const res = await upload(ada, id, 'pid.csv', Buffer.from(csv))
        assert.equal(res.statusCode, 400)
        assert.match(errorSummary(res.body)[0], /patient-identifiable data/)
        assertHas(res.body, message)
        assertHasNot(
          res.body,
          /943 476 5919|9434765919|GL1 1AA|2016-03-02/,
          'the value is never repeated back',
        )
      }
      const pasted = await ada.post(`/measures/${id}/paste`, { data: 'month\tn\n2024-01-01\t943-476-5919\n' })
      assert.equal(pasted.statusCode, 400)
      assertHas(pasted.body, /Row 2, column B looks like an NHS number/)
      assert.equal(await imports(), before)
      assert.equal(await countPoints(db(), id), 0)
    })

    test('other files are refused clearly: empty, an old .xls, not a workbook, no file at all', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'count' })
      const cases: [string, Buffer, RegExp][] = [
        ['empty.csv', Buffer.alloc(0), /Select a CSV or Excel file|The selected file is empty/],
        ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), /old Excel file/],
        ['fake.xlsx', Buffer.from('hello'), /could not be read as an Excel workbook/],
        ['picture.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), /binary data/],
      ]
      for (const [name, content, message] of cases) {
        const res = await upload(ada, id, name, content)
        assert.equal(res.statusCode, 400, name)
        assert.match(errorSummary(res.body)[0], message)
      }
      await ada.get(`/measures/${id}/upload`)
      const none = await ada.request({
        method: 'POST',
        url: `/measures/${id}/upload?_csrf=${ada.csrf}`,
        payload: 'x=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      assert.equal(none.statusCode, 400)
      assert.deepEqual(errorSummary(none.body), ['Select a CSV or Excel file'])
    })

    test('an upload without the form’s token is refused before the file is read', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'count' })
      const res = await ada.request({
        method: 'POST',
        url: `/measures/${id}/upload`,
        payload: 'x',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
      })
      assert.equal(res.statusCode, 403)
    })

    test('an import preview belongs to the person who uploaded it', async () => {
      const project = await teamProject(db())
      const id = await addMeasure(ada, project, { dataKind: 'count' })
      const url = previewUrl(
        await upload(
          ada,
          id,
          'x.csv',
          Buffer.from(
            monthly(3)
              .map((m) => `${m},2`)
              .join('\n'),
          ),
        ),
      )
      const ben = new TestBrowser(t.app)
      await ben.signIn('ben.baseline@example.invalid')
      assert.equal((await ben.get(url)).statusCode, 404)
      assert.equal((await ada.post(url, { action: 'discard' })).statusCode, 303)
      assert.equal((await ada.get(url)).statusCode, 404, 'a discarded preview is gone')
    })
  })
}
