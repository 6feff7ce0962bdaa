import { test } from 'node:test'
import assert from 'node:assert/strict'
import { analyse, analyseBatch, analyseInput } from './index.js'
import { isIsoDate } from './validate.js'

const ok = {
  method: 'anhoej',
  chart: 'i',
  points: [
    { x: 1, y: 1 },
    { x: 2, y: 2 },
    { x: 3, y: 3 },
  ],
}

/** Asserts the request is rejected with a message naming `field` (and containing `also`, if given). */
function rejects(request: unknown, field: string, also?: string): void {
  const r = analyse(request)
  assert.equal(r.ok, false, `expected an error for ${JSON.stringify(request).slice(0, 120)}`)
  if (r.ok) return
  assert.ok(r.error.startsWith(`${field}:`), `error "${r.error}" should name ${field}`)
  if (also) assert.ok(r.error.includes(also), `error "${r.error}" should mention ${also}`)
}

test('rejects a method other than mdc or anhoej', () => {
  rejects({ ...ok, method: 'shewhart' }, 'method')
  rejects({ ...ok, method: undefined }, 'method')
})

test('rejects an unknown chart, and mdc with any chart but i', () => {
  rejects({ ...ok, chart: 'np' }, 'chart')
  rejects({ ...ok, chart: undefined }, 'chart')
  rejects({ ...ok, method: 'mdc', chart: 'c' }, 'chart', 'mdc')
})

test('rejects missing or empty points', () => {
  rejects({ ...ok, points: undefined }, 'points')
  rejects({ ...ok, points: [] }, 'points')
  rejects({ ...ok, points: 'x' }, 'points')
})

test('rejects a point without x, and points that are not objects', () => {
  rejects({ ...ok, points: [{ x: 1, y: 1 }, { y: 2 }] }, 'points[1].x', 'required')
  rejects({ ...ok, points: [{ x: 1, y: 1 }, 5] }, 'points[1]')
})

test('rejects x values of mixed kinds or not YYYY-MM-DD', () => {
  rejects(
    {
      ...ok,
      points: [
        { x: 1, y: 1 },
        { x: '2020-01-01', y: 2 },
      ],
    },
    'points[1].x',
    'kind',
  )
  rejects(
    {
      ...ok,
      points: [
        { x: '2020-01-01', y: 1 },
        { x: 2, y: 2 },
      ],
    },
    'points[1].x',
    'kind',
  )
  rejects({ ...ok, points: [{ x: '01/02/2020', y: 1 }] }, 'points[0].x', 'YYYY-MM-DD')
  rejects({ ...ok, points: [{ x: '2021-02-29', y: 1 }] }, 'points[0].x')
  rejects({ ...ok, points: [{ x: true, y: 1 }] }, 'points[0].x')
  assert.ok(
    isIsoDate('2024-02-29') &&
      !isIsoDate('2023-02-29') &&
      !isIsoDate('2023-13-01') &&
      !isIsoDate('2023-1-01'),
  )
})

test('rejects x values that are not strictly increasing', () => {
  rejects(
    {
      ...ok,
      points: [
        { x: 2, y: 1 },
        { x: 2, y: 2 },
      ],
    },
    'points[1].x',
    'increasing',
  )
  rejects(
    {
      ...ok,
      points: [
        { x: '2020-02-01', y: 1 },
        { x: '2020-01-01', y: 2 },
      ],
    },
    'points[1].x',
    'increasing',
  )
})

test('rejects a rebase or exclude value that is not the x of a point', () => {
  rejects({ ...ok, rebase: [4] }, 'rebase[0]')
  rejects({ ...ok, rebase: ['1'] }, 'rebase[0]')
  rejects({ ...ok, exclude: [2, 9] }, 'exclude[1]')
  rejects({ ...ok, rebase: 2 }, 'rebase')
})

test('rejects a baseline that is not a positive integer, and an mdc baseline below 12', () => {
  rejects({ ...ok, baseline: 0 }, 'baseline')
  rejects({ ...ok, baseline: 2.5 }, 'baseline')
  rejects({ ...ok, baseline: '3' }, 'baseline')
  rejects({ ...ok, method: 'mdc', baseline: 11 }, 'baseline', '12')
  assert.equal(analyse({ ...ok, method: 'mdc', baseline: 12 }).ok, true)
})

test('rejects an invalid improvement direction, a non-numeric target, a non-boolean screen_mr and multiply ≤ 0', () => {
  rejects({ ...ok, improvement_direction: 'up' }, 'improvement_direction')
  rejects({ ...ok, target: '90' }, 'target')
  rejects({ ...ok, screen_mr: 'yes' }, 'screen_mr')
  rejects({ ...ok, multiply: 0 }, 'multiply')
  rejects({ ...ok, multiply: -100 }, 'multiply')
  rejects({ ...ok, multiply: '100' }, 'multiply')
})

test('rejects mdc with exclude, multiply ≠ 1 or any numeric n', () => {
  const mdc = { ...ok, method: 'mdc' }
  rejects({ ...mdc, exclude: [1] }, 'exclude', 'mdc')
  rejects({ ...mdc, multiply: 100 }, 'multiply', 'mdc')
  rejects(
    {
      ...mdc,
      points: [
        { x: 1, y: 1 },
        { x: 2, y: 2, n: 10 },
      ],
    },
    'points[1].n',
    'mdc',
  )
  assert.equal(analyse({ ...mdc, exclude: [], multiply: 1, points: [{ x: 1, y: 1, n: null }] }).ok, true)
})

test('rejects a numeric n for charts mr, xbar, s, t, c and g', () => {
  for (const chart of ['mr', 'xbar', 's', 't', 'c', 'g']) {
    rejects(
      {
        method: 'anhoej',
        chart,
        points: [
          { x: 1, y: 1, values: [1, 2] },
          { x: 2, y: 2, n: 5, values: [1] },
        ],
      },
      'points[1].n',
      chart,
    )
  }
})

test('rejects n < 0, and n = 0 with a non-zero y', () => {
  rejects(
    {
      method: 'anhoej',
      chart: 'p',
      points: [
        { x: 1, y: 1, n: 5 },
        { x: 2, y: 1, n: 5 },
        { x: 3, y: 1, n: 5 },
        { x: 4, y: 1, n: -1 },
      ],
    },
    'points[3].n',
    '≥ 0',
  )
  rejects({ method: 'anhoej', chart: 'u', points: [{ x: 1, y: 2, n: 0 }] }, 'points[0].n', 'zero')
  assert.equal(analyse({ method: 'anhoej', chart: 'u', points: [{ x: 1, y: 0, n: 0 }] }).ok, true)
})

test('rejects a t chart with a time between events of zero or less', () => {
  rejects(
    {
      method: 'anhoej',
      chart: 't',
      points: [
        { x: 1, y: 3 },
        { x: 2, y: 0 },
      ],
    },
    'points[1].y',
    'greater than zero',
  )
  rejects({ method: 'anhoej', chart: 't', points: [{ x: 1, y: -2 }] }, 'points[0].y')
})

test('rejects values of the wrong type', () => {
  rejects({ ...ok, points: [{ x: 1, y: '3' }] }, 'points[0].y')
  rejects({ ...ok, points: [{ x: 1, y: 3, n: 'ten' }] }, 'points[0].n')
  rejects({ method: 'anhoej', chart: 'xbar', points: [{ x: 1, values: [1, 'a'] }] }, 'points[0].values[1]')
  rejects({ method: 'anhoej', chart: 's', points: [{ x: 1, values: 3 }] }, 'points[0].values')
  rejects(null, 'request')
  rejects([ok], 'request')
})

test('accepts proportions above 1, negative counts and a single point', () => {
  assert.equal(analyse({ method: 'anhoej', chart: 'p', points: [{ x: 1, y: 5, n: 2 }] }).ok, true)
  assert.equal(
    analyse({
      method: 'anhoej',
      chart: 'c',
      points: [
        { x: 1, y: -3 },
        { x: 2, y: 4 },
      ],
    }).ok,
    true,
  )
  assert.equal(analyse({ method: 'mdc', chart: 'i', points: [{ x: '2024-01-01', y: 1 }] }).ok, true)
})

test('a failing request in a batch does not affect the others', () => {
  const r = analyseBatch([ok, { method: 'nope' }, ok])
  assert.deepEqual(
    r.batch.map((x) => x.ok),
    [true, false, true],
  )
  const viaInput = analyseInput({ batch: [ok, 7] })
  assert.ok('batch' in viaInput)
  assert.deepEqual(
    viaInput.batch.map((x) => x.ok),
    [true, false],
  )
  const bad = analyseInput({ batch: 'x' })
  assert.ok(!('batch' in bad) && !bad.ok && bad.error.startsWith('batch:'))
  assert.throws(() => analyseBatch('x' as unknown as unknown[]), RangeError)
})
