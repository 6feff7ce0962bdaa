import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { csvCell, toCsv } from './csv.js'

describe('CSV export', () => {
  test('cells a spreadsheet would run as formulas are made text', () => {
    for (const v of ['=HYPERLINK("x")', '+1', '-2+3', '@SUM(A1)', '\tx'])
      assert.ok(csvCell(v).startsWith(`"'`), v)
    assert.equal(csvCell('=1+1'), `"'=1+1"`)
  })

  test('numbers (including negative ones) stay numbers', () => {
    assert.equal(csvCell(-5), '-5')
    assert.equal(csvCell(42), '42')
  })

  test('quotes, commas and line breaks are quoted', () => {
    assert.equal(csvCell('a,b'), '"a,b"')
    assert.equal(csvCell('say "hi"'), '"say ""hi"""')
    assert.equal(
      toCsv([
        ['a', null],
        [1, 'x\ny'],
      ]),
      'a,\r\n1,"x\ny"\r\n',
    )
  })
})
