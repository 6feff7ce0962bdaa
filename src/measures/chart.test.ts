import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { analyse } from '../spc/index.js'
import { analyseMeasure, buildSpcRequest, type ChartMeasure, type ChartPoint } from './chart.js'
import { isSmallNumber, methodFor, suggestedChart } from './policy.js'
import { csvCell, csvFile } from '../core/csv.js'

const months = (n: number) =>
  Array.from({ length: n }, (_, i) => new Date(Date.UTC(2023, i, 1)).toISOString().slice(0, 10))
const point = (period: string, v: Partial<ChartPoint>): ChartPoint => ({
  period,
  value: null,
  numerator: null,
  denominator: null,
  excluded: false,
  exclusionReason: null,
  ...v,
})
const measure = (m: Partial<ChartMeasure>): ChartMeasure => ({
  name: 'Test',
  unit: '',
  dataKind: 'continuous',
  chartType: null,
  multiplier: 1,
  direction: 'increase',
  target: null,
  ...m,
})

describe('the chart suggested for the data', () => {
  test('is XmR, p, u or c by kind, and a run chart below 12 points', () => {
    assert.equal(suggestedChart('continuous', 12), 'i')
    assert.equal(suggestedChart('proportion', 30), 'p')
    assert.equal(suggestedChart('rate', 12), 'u')
    assert.equal(suggestedChart('count', 100), 'c')
    for (const kind of ['continuous', 'proportion', 'rate', 'count'] as const)
      assert.equal(suggestedChart(kind, 11), 'run')
    assert.equal(methodFor('i'), 'mdc')
    for (const c of ['run', 'p', 'u', 'c'] as const) assert.equal(methodFor(c), 'anhoej')
  })

  test('gives way to the chart the team chose', () => {
    const request = buildSpcRequest(
      measure({ dataKind: 'count', chartType: 'i' }),
      months(5).map((p) => point(p, { value: 3 })),
      [],
    )
    assert.equal(request.method, 'mdc')
    assert.equal(request.chart, 'i')
  })
})

describe('the engine request', () => {
  test('sends numerators and denominators to p and u charts, with the multiplier', () => {
    const points = months(14).map((p, i) => point(p, { numerator: 10 + i, denominator: 100 }))
    const request = buildSpcRequest(measure({ dataKind: 'proportion', multiplier: 100 }), points, [])
    assert.equal(request.chart, 'p')
    assert.deepEqual(request.points[0], { x: '2023-01-01', y: 10, n: 100 })
    assert.equal(request.multiply, 100)
  })

  test('scales proportions itself for XmR (Making Data Count takes no multiplier) and sends excluded points as missing', () => {
    const points = months(3).map((p) => point(p, { numerator: 1, denominator: 4 }))
    points[1].excluded = true
    const request = buildSpcRequest(
      measure({ dataKind: 'proportion', chartType: 'i', multiplier: 100 }),
      points,
      [],
    )
    assert.deepEqual(
      request.points.map((p) => p.y),
      [25, null, 25],
    )
    assert.equal(request.multiply, undefined)
  })

  test('excludes points from the Anhøj calculations and starts a period at the first point on or after a rebase', () => {
    const points = months(14).map((p) => point(p, { value: 3 }))
    points[2].excluded = true
    const request = buildSpcRequest(measure({ dataKind: 'count' }), points, ['2023-06-15', '2022-01-01'])
    assert.deepEqual(request.exclude, ['2023-03-01'])
    assert.deepEqual(request.rebase, ['2023-07-01'])
    assert.equal(analyse(request).ok, true)
  })
})

describe('small numbers', () => {
  test('are counts from 1 to 4, or proportions and rates built on one; never continuous values', () => {
    assert.equal(isSmallNumber('count', { value: 0, numerator: null, denominator: null }), false)
    assert.equal(isSmallNumber('count', { value: 1, numerator: null, denominator: null }), true)
    assert.equal(isSmallNumber('count', { value: 4, numerator: null, denominator: null }), true)
    assert.equal(isSmallNumber('count', { value: 5, numerator: null, denominator: null }), false)
    assert.equal(isSmallNumber('proportion', { value: null, numerator: 3, denominator: 200 }), true)
    assert.equal(isSmallNumber('rate', { value: null, numerator: 30, denominator: 2 }), true)
    assert.equal(isSmallNumber('proportion', { value: null, numerator: 0, denominator: 200 }), false)
    assert.equal(isSmallNumber('continuous', { value: 2, numerator: null, denominator: null }), false)
  })

  test('are hidden from viewers outside the team: value, table, chart dot and rule, while the engine uses them', () => {
    const values = [8, 9, 2, 10, 12, 9, 8, 11, 10, 9, 12, 10, 30]
    const points = months(values.length).map((p, i) => point(p, { value: values[i] }))
    const m = measure({ dataKind: 'count', chartType: 'i', direction: 'decrease' })
    const team = analyseMeasure(m, points, [], [], { seeSmallNumbers: true })
    const outsider = analyseMeasure(m, points, [], [], { seeSmallNumbers: false })
    assert.equal(outsider.suppressedCount, 1)
    assert.equal(team.suppressedCount, 0)
    assert.deepEqual(outsider.summary.centre, team.summary.centre, 'the same engine numbers')
    assert.equal(outsider.rows[2].value, 'suppressed')
    assert.equal(outsider.rows[2].suppressed, true)
    assert.equal(team.rows[2].value, '2')
    assert.equal(outsider.result?.points[2].value, null)
    assert.equal(team.result?.points[2].value, 2)
    assert.equal((outsider.svg?.match(/<circle class="spc-point/g) ?? []).length, values.length - 1)
    assert.equal((team.svg?.match(/<circle class="spc-point/g) ?? []).length, values.length)
    // The last point is above the limit (concern, as lower is better); a suppressed point keeps only its class.
    assert.equal(outsider.summary.variationIcon, team.summary.variationIcon)
    for (const row of outsider.rows.filter((r) => r.suppressed))
      assert.doesNotMatch(row.signal, /limit|run|trend|2 of 3/)
    assert.equal(outsider.description, team.description, 'the sentence states no single value')
  })

  test('hide the limits of a suppressed point on p and u charts, which would give its denominator away', () => {
    const points = months(14).map((p, i) =>
      point(p, { numerator: i === 5 ? 2 : 20 + (i % 3), denominator: i === 5 ? 3 : 100 }),
    )
    const outsider = analyseMeasure(measure({ dataKind: 'proportion', multiplier: 100 }), points, [], [], {
      seeSmallNumbers: false,
    })
    assert.equal(outsider.rows[5].numerator, 'suppressed')
    assert.equal(outsider.rows[5].denominator, 'suppressed')
    assert.equal(outsider.rows[5].ucl, '')
    assert.notEqual(outsider.rows[4].ucl, '')
  })

  test('hide a centre line that is exactly a suppressed value (the median of three points)', () => {
    const points = months(3).map((p, i) => point(p, { value: [12, 2, 0][i] }))
    const team = analyseMeasure(measure({ dataKind: 'count' }), points, [], [], { seeSmallNumbers: true })
    const outsider = analyseMeasure(measure({ dataKind: 'count' }), points, [], [], {
      seeSmallNumbers: false,
    })
    assert.equal(team.summary.centre, 2)
    assert.equal(outsider.summary.centre, null)
    assert.deepEqual(
      outsider.rows.map((r) => [r.value, r.centre]),
      [
        ['12', ''],
        ['suppressed', ''],
        ['0', ''],
      ],
    )
    assert.doesNotMatch(outsider.description, /median is 2/)
    assert.doesNotMatch(outsider.svg ?? '', /class="spc-centre"/)
  })
})

describe('the chart view', () => {
  test('has no chart, and says so, without data', () => {
    const view = analyseMeasure(measure({}), [], [], [], { seeSmallNumbers: true })
    assert.equal(view.svg, null)
    assert.equal(view.description, 'There is no data yet.')
  })

  test('marks annotations, rebases and PDSA cycles on the time axis', () => {
    const points = months(14).map((p, i) => point(p, { value: 10 + (i % 4) }))
    const view = analyseMeasure(
      measure({}),
      points,
      [{ date: '2023-06-01', text: 'New rota', isRebase: true }],
      [{ date: '2023-09-01', label: 'PDSA: Huddle' }],
      { seeSmallNumbers: true },
    )
    assert.match(view.svg ?? '', /Rebase: New rota/)
    assert.match(view.svg ?? '', /PDSA: Huddle/)
    assert.equal(view.result?.periods.length, 2)
  })
})

describe('CSV for spreadsheets', () => {
  test('writes numbers as numbers, and text that could run as a formula as text', () => {
    assert.equal(csvCell(-3.5), '-3.5')
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`)
    assert.equal(csvCell('+1'), "'+1")
    assert.equal(csvCell('-1'), "'-1")
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)")
    assert.equal(csvCell('\tx'), "'\tx")
    assert.equal(csvCell('a,b'), '"a,b"')
    assert.equal(csvCell(null), '')
    assert.equal(csvFile(['a'], [[1]]), '\uFEFFa\r\n1\r\n')
  })
})
