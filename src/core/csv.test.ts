import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { csvCell, csvFile } from './csv.js'

describe('CSV export', () => {
  test('cells that a spreadsheet would run as a formula are shown as text', () => {
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`)
    assert.equal(csvCell('+44 1452'), "'+44 1452")
    assert.equal(csvCell('-1'), "'-1")
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)")
    assert.equal(csvCell('\tcmd'), "'\tcmd")
    assert.equal(csvCell('=1+1'), "'=1+1")
    assert.equal(csvCell('\uFF1D1+1'), "'\uFF1D1+1")
  })

  test('numbers (including negative ones) stay numbers; booleans are words', () => {
    assert.equal(csvCell(-5), '-5')
    assert.equal(csvCell(-3.5), '-3.5')
    assert.equal(csvCell(42), '42')
    assert.equal(csvCell(Number.NaN), '')
    assert.equal(csvCell(true), 'true')
  })

  test('quotes commas, quotes and newlines', () => {
    assert.equal(csvCell('Smith, Jo'), '"Smith, Jo"')
    assert.equal(csvCell('say "hi"'), '"say ""hi"""')
    assert.equal(csvCell('line 1\nline 2'), '"line 1\nline 2"')
    assert.equal(csvCell('plain'), 'plain')
    assert.equal(csvCell('a\rb'), '"a\rb"')
    assert.equal(csvCell(' padded '), '" padded "')
    assert.equal(csvCell(null), '')
    assert.equal(csvCell(undefined), '')
  })

  test('a file has a header, CRLF rows and a byte order mark', () => {
    const file = csvFile(
      ['Name', 'Needs'],
      [
        ['Ada', 'Hearing loop'],
        ['Ben', ''],
      ],
    )
    assert.equal(file, '\uFEFFName,Needs\r\nAda,Hearing loop\r\nBen,\r\n')
    assert.equal(csvFile(['a', null], [[1, 'x\ny']]), '\uFEFFa,\r\n1,"x\ny"\r\n')
  })
})
