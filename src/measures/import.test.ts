import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { deflateRawSync } from 'node:zlib'
import ExcelJS from 'exceljs'
import { parseNumber, parsePeriod } from './periods.js'
import {
  IMPORT_LIMITS,
  decodeText,
  readDelimited,
  readUpload,
  readXlsx,
  type ImportFileError,
} from './import-read.js'
import { checkImport, defaultMapping, detectHeader } from './import-check.js'
import { checkValues } from './points.js'

const today = '2026-11-26'
const none = new Set<string>()

/** A zip made by hand (CRCs left at 0: the guard refuses before any parser checks them). */
function zipOf(entries: { name: string; data: Buffer; listed?: boolean }[]): Buffer {
  const locals: Buffer[] = []
  const directory: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const packed = deflateRawSync(e.data)
    const name = Buffer.from(e.name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(8, 8)
    local.writeUInt32LE(packed.length, 18)
    local.writeUInt32LE(e.data.length, 22)
    local.writeUInt16LE(name.length, 26)
    if (e.listed !== false) {
      const central = Buffer.alloc(46)
      central.writeUInt32LE(0x02014b50, 0)
      central.writeUInt16LE(20, 4)
      central.writeUInt16LE(20, 6)
      central.writeUInt16LE(8, 10)
      central.writeUInt32LE(packed.length, 20)
      central.writeUInt32LE(e.data.length, 24)
      central.writeUInt16LE(name.length, 28)
      central.writeUInt32LE(offset, 42)
      directory.push(central, name)
    }
    locals.push(local, name, packed)
    offset += local.length + name.length + packed.length
  }
  const dir = Buffer.concat(directory)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(directory.length / 2, 8)
  end.writeUInt16LE(directory.length / 2, 10)
  end.writeUInt32LE(dir.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, dir, end])
}

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('Data')
  for (const r of rows) ws.addRow(r)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

describe('reading periods and numbers', () => {
  test('reads the accepted date formats, day before month', () => {
    assert.deepEqual(parsePeriod('2024-04-01'), { ok: true, date: '2024-04-01', format: 'iso' })
    assert.deepEqual(parsePeriod('2024-04'), { ok: true, date: '2024-04-01', format: 'iso-month' })
    assert.deepEqual(parsePeriod('01/04/2024'), { ok: true, date: '2024-04-01', format: 'dmy' })
    assert.deepEqual(parsePeriod('1.4.2024'), { ok: true, date: '2024-04-01', format: 'dmy' })
    assert.deepEqual(parsePeriod('1 Apr 2024'), { ok: true, date: '2024-04-01', format: 'day-month-name' })
    assert.deepEqual(parsePeriod('April 2024'), { ok: true, date: '2024-04-01', format: 'month-name' })
    assert.deepEqual(parsePeriod('2024/04/01'), { ok: true, date: '2024-04-01', format: 'ymd-slash' })
  })

  test('refuses dates that do not exist, two-digit years and words', () => {
    for (const text of ['2024-02-30', '31/04/2024', '13/13/2024', '01/04/24', 'soon', '', 'Smarch 2024'])
      assert.equal(parsePeriod(text).ok, false, text)
    const us = parsePeriod('04/13/2024')
    assert.equal(us.ok, false)
  })

  test('reads numbers as people type them and refuses formulas and errors', () => {
    assert.deepEqual(parseNumber(' 1,234.5 '), { ok: true, value: 1234.5 })
    assert.deepEqual(parseNumber('-3'), { ok: true, value: -3 })
    assert.deepEqual(parseNumber('85%'), { ok: true, value: 85 })
    assert.match((parseNumber('=SUM(A1:A3)') as { message: string }).message, /formula/)
    assert.match((parseNumber('#DIV/0!') as { message: string }).message, /spreadsheet error/)
    for (const text of ['twelve', '1,23', '1.2.3', 'NaN', 'Infinity', '1e400'])
      assert.equal(parseNumber(text).ok, false, text)
  })

  test('checks the numbers by kind of data', () => {
    assert.deepEqual(checkValues('count', { value: -1, numerator: null, denominator: null }), {
      value: 'A count cannot be negative',
    })
    assert.deepEqual(checkValues('count', { value: 1.5, numerator: null, denominator: null }), {
      value: 'A count must be a whole number',
    })
    assert.deepEqual(checkValues('proportion', { value: null, numerator: 12, denominator: 10 }), {
      numerator: 'The numerator (12) is more than the denominator (10)',
    })
    assert.deepEqual(checkValues('rate', { value: null, numerator: 12, denominator: 10 }), {})
    assert.deepEqual(checkValues('rate', { value: null, numerator: 1, denominator: 0 }), {
      denominator: 'The denominator cannot be 0',
    })
    assert.deepEqual(checkValues('continuous', { value: -4.5, numerator: null, denominator: null }), {})
  })
})

describe('reading files', () => {
  test('reads CSV with quotes, a byte order mark and semicolons', () => {
    assert.deepEqual(readDelimited('\uFEFF"month","n"\r\n"2024-01-01",5\r\n', 'csv').cells, [
      ['month', 'n'],
      ['2024-01-01', '5'],
    ])
    assert.deepEqual(readDelimited('month;n\n2024-01-01;5\n', 'csv').cells, [
      ['month', 'n'],
      ['2024-01-01', '5'],
    ])
  })

  test('reads tab-separated text pasted from Excel', () => {
    assert.deepEqual(readDelimited('Month\tCount\n01/01/2024\t1,234\n\n', 'paste').cells, [
      ['Month', 'Count'],
      ['01/01/2024', '1,234'],
    ])
  })

  test('refuses text that is not UTF-8, saying how to save it', () => {
    const latin1 = Buffer.from('month,notes\n2024-01-01,caf\xe9\n', 'latin1')
    assert.throws(
      () => decodeText(latin1),
      (e: ImportFileError) => /not UTF-8/.test(e.message) && /CSV UTF-8/.test(e.message),
    )
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('month,n\n', 'utf16le')])
    assert.throws(() => decodeText(utf16), /UTF-16/)
    assert.throws(() => decodeText(Buffer.from([1, 2, 0, 3])), /binary/)
  })

  test('refuses more rows than the limit without building them all', () => {
    const text = 'month,n\n' + '2024-01-01,1\n'.repeat(IMPORT_LIMITS.maxRows + 1)
    assert.throws(() => readDelimited(text, 'csv'), /more than 10,000 rows/)
    assert.equal(
      readDelimited('month,n\n' + '2024-01-01,1\n'.repeat(IMPORT_LIMITS.maxRows), 'csv').cells.length,
      IMPORT_LIMITS.maxRows + 1,
    )
  })

  test('refuses very wide files and very long cells', () => {
    assert.throws(() => readDelimited(Array(60).fill('a').join(',') + '\n', 'csv'), /more than 50 columns/)
    assert.throws(() => readDelimited('a,' + 'x'.repeat(600) + '\n', 'csv'), /longer than 500/)
  })

  test('takes the saved values of formulas in a workbook, never working them out', async () => {
    const bytes = await workbook([
      ['month', 'n'],
      [new Date(Date.UTC(2024, 0, 1)), 5],
      [new Date(Date.UTC(2024, 1, 1)), { formula: 'B2*100', result: 6 }],
      [new Date(Date.UTC(2024, 2, 1)), { formula: 'B2+1' }],
      [new Date(Date.UTC(2024, 3, 1)), { error: '#DIV/0!' }],
    ])
    const table = await readXlsx(bytes)
    assert.deepEqual(table.cells, [
      ['month', 'n'],
      ['2024-01-01', '5'],
      ['2024-02-01', '6'],
      ['2024-03-01', '=B2+1'],
      ['2024-04-01', '#DIV/0!'],
    ])
    assert.match(table.notes[0], /2 cells hold formulas/)
    const check = checkImport(table.cells, 'count', defaultMapping(table.cells, 'count'), {
      existingPeriods: none,
      replace: false,
      today,
    })
    assert.deepEqual(
      check.errors.map((e) => e.row),
      [4, 5],
    )
    assert.match(check.errors[0].message, /formula/)
  })

  test('knows a workbook by its content and refuses old .xls files and fake workbooks', async () => {
    const bytes = await workbook([
      ['month', 'n'],
      ['2024-01-01', 3],
    ])
    assert.equal((await readUpload('data.csv', bytes)).source, 'xlsx')
    await assert.rejects(
      readUpload('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3])),
      /old Excel file/,
    )
    await assert.rejects(
      readUpload('fake.xlsx', Buffer.from('month,n\n')),
      /could not be read as an Excel workbook/,
    )
    await assert.rejects(
      readUpload('broken.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 9, 9, 9])),
      /could not be read as an Excel workbook/,
    )
  })
})

describe('hostile workbooks', () => {
  const sheet = Buffer.from('<worksheet><sheetData/></worksheet>')

  test('a small file that would expand past the limit (a zip bomb) is refused before it is opened', async () => {
    const bomb = zipOf([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/sharedStrings.xml', data: Buffer.alloc(IMPORT_LIMITS.maxExpandedBytes + 1024, 0x41) },
    ])
    assert.ok(bomb.length < 200_000, `the bomb is small (${bomb.length} bytes)`)
    const started = process.memoryUsage().rss
    await assert.rejects(readUpload('bomb.xlsx', bomb), /expands to more than 50 MB when opened/)
    assert.ok(process.memoryUsage().rss - started < 300 * 1024 * 1024, 'without holding the expanded text')
  })

  test('an entry hidden between the listed ones, or an archive cut short, is refused', async () => {
    const hidden = zipOf([
      { name: 'xl/worksheets/sheet1.xml', data: sheet },
      { name: 'xl/secret.xml', data: sheet, listed: false },
      { name: 'xl/workbook.xml', data: sheet },
    ])
    await assert.rejects(readUpload('hidden.xlsx', hidden), /could not be read as an Excel workbook/)
    const plain = zipOf([{ name: 'xl/workbook.xml', data: sheet }])
    await assert.rejects(readUpload('cut.xlsx', plain.subarray(0, plain.length - 5)), /could not be read/)
  })

  test('a real workbook passes the guard', async () => {
    const bytes = await workbook([
      ['month', 'n'],
      ['2024-01-01', 3],
    ])
    assert.deepEqual((await readUpload('ok.xlsx', bytes)).cells, [
      ['month', 'n'],
      ['2024-01-01', '3'],
    ])
  })
})

describe('checking an import', () => {
  const cells = [
    ['month', 'n', 'days'],
    ['2024-01-01', '5', '100'],
    ['2024-02-01', '6', '110'],
  ]

  test('guesses the heading and the columns', () => {
    assert.equal(detectHeader(cells), true)
    assert.equal(detectHeader(cells.slice(1)), false)
    assert.deepEqual(defaultMapping(cells, 'rate'), { hasHeader: true, date: 0, first: 1, second: 2 })
    assert.deepEqual(
      defaultMapping(
        [
          ['n', 'week'],
          ['1', '2024-01-01'],
        ],
        'count',
      ),
      { hasHeader: true, date: 1, first: 0, second: 2 },
    )
  })

  test('names every bad row and keeps the good ones', () => {
    const check = checkImport(
      [
        ['month', 'n', 'd'],
        ['2024-01-01', '5', '10'],
        ['2024-02-30', '5', '10'],
        ['2024-03-01', 'lots', '10'],
        ['2024-01-01', '3', '10'],
        ['2024-05-01', '12', '10'],
        ['2024-06-01', '-1', '10'],
      ],
      'proportion',
      { hasHeader: true, date: 0, first: 1, second: 2 },
      { existingPeriods: none, replace: false, today },
    )
    assert.deepEqual(
      check.rows.map((r) => r.row),
      [2],
    )
    assert.deepEqual(
      check.errors.map((e) => e.message),
      [
        'Row 3: the date "2024-02-30" is not a real date',
        'Row 4: the numerator "lots" is not a number',
        'Row 5: 1 Jan 2024 is already in row 2 (each period once)',
        'Row 6: the numerator (12) is more than the denominator (10)',
        'Row 7: the numerator cannot be negative',
      ],
    )
  })

  test('refuses a file that mixes date formats, whole', () => {
    const check = checkImport(
      [
        ['2024-01-01', '1'],
        ['02/01/2024', '2'],
        ['2024-01-03', '3'],
      ],
      'count',
      { hasHeader: false, date: 0, first: 1, second: 2 },
      { existingPeriods: none, replace: false, today },
    )
    assert.equal(check.errors.length, 0)
    assert.equal(check.fileErrors.length, 1)
    assert.match(
      check.fileErrors[0],
      /more than one format \(like 2024-04-01 from row 1, like 01\/04\/2024 from row 2\)/,
    )
  })

  test('refuses periods already entered unless replacing, and far-future or old dates', () => {
    const existing = new Set(['2024-01-01'])
    const rows = [
      ['2024-01-01', '1'],
      ['2030-01-01', '2'],
      ['2024-02-01', '3'],
    ]
    const mapping = { hasHeader: false, date: 0, first: 1, second: 2 }
    const refused = checkImport(rows, 'count', mapping, { existingPeriods: existing, replace: false, today })
    assert.match(refused.errors[0].message, /already has a value for 1 Jan 2024/)
    assert.match(refused.errors[1].message, /more than a year in the future/)
    const replacing = checkImport(rows, 'count', mapping, { existingPeriods: existing, replace: true, today })
    assert.deepEqual(
      replacing.rows.map((r) => [r.period, r.replaces]),
      [
        ['2024-01-01', true],
        ['2024-02-01', false],
      ],
    )
  })
})
