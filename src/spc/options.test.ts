import { test } from 'node:test'
import assert from 'node:assert/strict'
import { analyse, describeRuleSet, signalPoints } from './index.js'
import type { AnhoejResult, MdcResult, SpcResult } from './types.js'
import { asAnhoej, asMdc, near, nearLines, series } from './test-helpers.js'

function errorOf(result: SpcResult): string {
  assert.equal(result.ok, false, 'expected an error result')
  return result.ok ? '' : result.error
}

const mdc = (ys: (number | null)[], extra: Record<string, unknown> = {}): MdcResult =>
  asMdc(analyse({ method: 'mdc', chart: 'i', points: series(ys), ...extra }))

// 0, 1, 0, 1, 0, 1 | 2, 3, 2, 3, 2: mean = 15/11 = 1.3636…; ten moving ranges of 1, so AMR = 1,
// ucl = 1.3636 + 2.66 = 4.0236, ucl_2sigma = 1.3636 + 1.7733 = 3.1370, lcl_2sigma = −0.4097:
// nothing beyond a limit or in the 2–3 sigma band, no trend (it alternates). Six points below the
// mean (0–5), then five above (6–10).
const SIDES = [0, 1, 0, 1, 0, 1, 2, 3, 2, 3, 2]

test('shift_n sets the points in a row for a shift; the default stays 7', () => {
  const seven = mdc(SIDES, { screen_mr: false })
  near(seven.points[0].centre, 15 / 11)
  near(seven.points[0].ucl, 15 / 11 + 2.66)
  assert.ok(seven.points.every((p) => p.special_cause === 'none' && p.signal === null))
  assert.deepEqual(seven.rule_set, { name: 'mdc', shift_n: 7, trend_n: 7 })

  const six = mdc(SIDES, { screen_mr: false, shift_n: 6 })
  assert.deepEqual(
    six.points.map((p) => p.special_cause),
    [...Array<string>(6).fill('shift_below'), ...Array<string>(5).fill('none')],
  )
  assert.deepEqual(six.points[2].signal, { rule: 'shift_below', from: 0, to: 5 })

  const five = mdc(SIDES, { screen_mr: false, shift_n: 5 })
  assert.deepEqual(five.points[8].signal, { rule: 'shift_above', from: 6, to: 10 })
  assert.deepEqual(signalPoints(five.points[8].signal), [6, 7, 8, 9, 10])
  assert.equal(five.periods[0].special_cause_concern, 6) // increase: below is concern
  assert.equal(five.periods[0].special_cause_improvement, 5)
  assert.deepEqual(five.rule_set, { name: 'mdc', shift_n: 5, trend_n: 7 })
})

test('trend_n sets the points in a row for a trend', () => {
  // 5, 1, 2, 3, 4, 2: mean 17/6 = 2.8333; moving ranges 4, 1, 1, 1, 2 → AMR 9/5 = 1.8 (none
  // ≥ 3.267 × 1.8 = 5.88); ucl = 2.8333 + 2.66 × 1.8 = 7.6213, ucl_2sigma = 2.8333 + 3.192 = 6.0253,
  // so 5 is neither beyond nor near. 1, 2, 3, 4 rise four times in a row.
  const ys = [5, 1, 2, 3, 4, 2]
  assert.ok(mdc(ys).points.every((p) => p.special_cause === 'none'))
  const r = mdc(ys, { trend_n: 4 })
  near(r.points[0].ucl, 17 / 6 + 2.66 * 1.8)
  assert.deepEqual(
    r.points.map((p) => p.special_cause),
    ['none', 'trend_increasing', 'trend_increasing', 'trend_increasing', 'trend_increasing', 'none'],
  )
  assert.ok(r.points.slice(1, 5).every((p) => p.rules.trend))
  assert.deepEqual(r.points[1].signal, { rule: 'trend_increasing', from: 1, to: 4 })
  assert.equal(describeRuleSet(r.rule_set), 'Making Data Count rules: shift 7, trend 4')
})

test('a signal beyond a limit names the point itself; two-in-three names its window', () => {
  // SPEC 5.1: the 10 (index 4) is above the ucl of 4.6044
  const r = mdc([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1])
  assert.deepEqual(r.points[4].signal, { rule: 'above_ucl', from: 4, to: 4 })
  assert.equal(r.points.filter((p) => p.signal !== null).length, 1)
  // SPEC 5.2: 14 (index 12), 11, 14.2 (index 14): the window 12–14 makes both signals
  const two = mdc([10, 11, 9, 10, 12, 9, 10, 11, 10, 9, 11, 10, 14, 11, 14.2, 10, 9, 11, 10, 10])
  assert.deepEqual(two.points[12].signal, { rule: 'two_in_three_above', from: 12, to: 14 })
  assert.deepEqual(two.points[14].signal, { rule: 'two_in_three_above', from: 12, to: 14 })
  assert.equal(two.points[13].signal, null)
})

test('i_m centres on the mean and takes its limits from the median moving range', () => {
  // 1, 2, 1, 2, 10, 1, 2: moving ranges 1, 1, 1, 8, 9, 1 → sorted 1, 1, 1, 1, 8, 9 → MMR 1.
  // mean 19/7 = 2.7142857; ucl = 19/7 + 3.145 = 5.8592857, lcl = 19/7 − 3.145 = −0.4307143,
  // ucl_2sigma = 19/7 + 2 × 3.145 / 3 = 4.8109524. The 10 is above the ucl; with chart i the
  // AMR is 21/6 = 3.5 (none screened: 3.267 × 3.5 = 11.4), ucl = 19/7 + 9.31 = 12.02, and it is not.
  const ys = [1, 2, 1, 2, 10, 1, 2]
  const r = asMdc(analyse({ method: 'mdc', chart: 'i_m', points: series(ys) }))
  assert.equal(r.chart, 'i_m')
  nearLines(r.points[0], 19 / 7, 3.145, (2 * 3.145) / 3)
  assert.equal(r.points[4].special_cause, 'above_ucl')
  const i = mdc(ys)
  near(i.points[0].ucl, 19 / 7 + 2.66 * 3.5)
  assert.equal(i.points[4].special_cause, 'none')
})

test('i_mm centres on the median, with the same median-moving-range limits', () => {
  // 1, 2, 1, 2, 10, 1, 2 sorted: 1, 1, 1, 2, 2, 2, 10 → median 2; MMR 1 as above:
  // ucl = 2 + 3.145 = 5.145, lcl = 2 − 3.145 = −1.145. Sides against 2: the 2s are on the line.
  const r = asMdc(analyse({ method: 'mdc', chart: 'i_mm', points: series([1, 2, 1, 2, 10, 1, 2]) }))
  near(r.points[0].centre, 2)
  near(r.points[0].ucl, 5.145)
  near(r.points[0].lcl, -1.145)
  near(r.periods[0].centre, 2)
  assert.equal(r.points[4].special_cause, 'above_ucl')
  // a gap gives no moving range: 4, 6, null, 7, 4 → ranges 2 and 3 → MMR 2.5; median of 4, 4, 6, 7 = 5
  const gap = asMdc(analyse({ method: 'mdc', chart: 'i_mm', points: series([4, 6, null, 7, 4]) }))
  near(gap.points[0].centre, 5)
  near(gap.points[0].ucl, 5 + 3.145 * 2.5)
})

test('median charts need three points and belong to method mdc', () => {
  assert.match(errorOf(analyse({ method: 'mdc', chart: 'i_m', points: series([1, 2]) })), /^points: .*i_m.*3/)
  assert.match(errorOf(analyse({ method: 'mdc', chart: 'i_mm', points: series([1]) })), /^points: /)
  assert.match(errorOf(analyse({ method: 'anhoej', chart: 'i_m', points: series([1, 2, 3]) })), /^chart: /)
  assert.ok(analyse({ method: 'mdc', chart: 'i_m', points: series([1, 2, 3]) }).ok)
})

test('a target trajectory is judged point by point over the last period', () => {
  // 1, 2, 1, 2, 1, 2, 1, 2: mean 1.5, seven moving ranges of 1 → AMR 1; lcl = 1.5 − 2.66 = −1.16,
  // ucl = 1.5 + 2.66 = 4.16.
  const ys = [1, 2, 1, 2, 1, 2, 1, 2]
  const judge = (target: (number | null)[], direction = 'increase'): MdcResult =>
    mdc(ys, { target, improvement_direction: direction })
  const below = [-2, -2, null, -1.5, -2, -3, -2, -1.2] // every target under −1.16
  assert.equal(judge(below).assurance, 'consistent_pass')
  assert.equal(judge(below, 'decrease').assurance, 'consistent_fail')
  const above = [5, 6, 7, 8, 9, 10, 11, 4.2] // every target over 4.16
  assert.equal(judge(above).assurance, 'consistent_fail')
  assert.equal(judge(above, 'decrease').assurance_icon, 'pass')
  assert.equal(judge([-2, -2, -2, -2, -2, -2, -2, 3]).assurance, 'inconsistent') // 3 is between
  assert.equal(judge([...ys.map(() => null)]).assurance, null) // no target at all
  assert.equal(judge(below, 'neutral').assurance, null)
  const r = judge(below)
  assert.deepEqual(r.target_trajectory, below)
  assert.equal(r.target, null)
  // with a rebase only the last period counts: the first period's targets (100) are ignored
  const rebased = mdc(ys, { target: [100, 100, 100, 100, -5, -5, -5, -5], rebase: [5] })
  assert.equal(rebased.assurance, 'consistent_pass')
})

test('a trajectory of the wrong length, or with a bad entry, is an error naming target', () => {
  assert.match(
    errorOf(analyse({ method: 'mdc', chart: 'i', points: series([1, 2, 3]), target: [1, 2] })),
    /^target: .*3 points but 2/,
  )
  assert.match(
    errorOf(analyse({ method: 'mdc', chart: 'i', points: series([1, 2]), target: [1, 'x'] })),
    /^target\[1\]: /,
  )
  // anhoej ignores targets, but a trajectory must still fit the points
  assert.match(
    errorOf(analyse({ method: 'anhoej', chart: 'run', points: series([1, 2]), target: [1] })),
    /^target: /,
  )
  const a = asAnhoej(analyse({ method: 'anhoej', chart: 'run', points: series([1, 2]), target: [1, null] }))
  assert.deepEqual(a.target_trajectory, [1, null])
})

test('run lengths must be whole numbers from 2 to 20, and only mdc has them', () => {
  for (const bad of [1, 21, 2.5, '7', 0, -7]) {
    assert.match(
      errorOf(analyse({ method: 'mdc', chart: 'i', points: series([1, 2]), shift_n: bad })),
      /^shift_n: .*2 to 20/,
    )
    assert.match(
      errorOf(analyse({ method: 'mdc', chart: 'i', points: series([1, 2]), trend_n: bad })),
      /^trend_n: .*2 to 20/,
    )
  }
  assert.ok(analyse({ method: 'mdc', chart: 'i', points: series([1, 2]), shift_n: 2, trend_n: 20 }).ok)
  const anhoej = errorOf(analyse({ method: 'anhoej', chart: 'run', points: series([1, 2]), shift_n: 8 }))
  assert.match(anhoej, /^shift_n: method "anhoej" has no fixed run lengths/)
  assert.match(
    errorOf(analyse({ method: 'anhoej', chart: 'i', points: series([1, 2]), trend_n: 6 })),
    /^trend_n: /,
  )
})

test('an unknown field, at the request or in a point, is an error naming it', () => {
  const misspelt = errorOf(analyse({ method: 'mdc', chart: 'i', points: series([1, 2]), trnd_n: 6 }))
  assert.match(misspelt, /^trnd_n: unknown field \(did you mean "trend_n"\?\)/)
  assert.match(
    errorOf(analyse({ method: 'mdc', chart: 'i', points: [{ x: 1, y: 2, z: 3 }] })),
    /^points\[0\]\.z: unknown field/,
  )
  assert.match(
    errorOf(analyse({ method: 'anhoej', chart: 'i', points: [{ x: 1, y: 2 }], colour: 'red' })),
    /^colour: unknown field/,
  )
  assert.match(
    errorOf(analyse({ method: 'mdc', chart: 'i', points: series([1]), 'a b': 1 })),
    /^"a b": unknown field/,
  )
})

test('annotations are checked: an x, and a label of at most 500 characters', () => {
  const base = { method: 'mdc', chart: 'i', points: series([1, 2, 3]) }
  assert.ok(analyse({ ...base, annotations: [{ x: 2, label: 'PDSA 1' }] }).ok)
  const long = errorOf(analyse({ ...base, annotations: [{ x: 2, label: 'x'.repeat(10_000) }] }))
  assert.match(long, /^annotations\[0\]\.label: must be at most 500 characters.*10000/)
  assert.match(
    errorOf(analyse({ ...base, annotations: [{ x: 2, label: 'a', colour: 1 }] })),
    /^annotations\[0\]\.colour: /,
  )
  assert.match(errorOf(analyse({ ...base, annotations: [{ label: 'a' }] })), /^annotations\[0\]\.x: /)
  assert.match(errorOf(analyse({ ...base, annotations: 'a' })), /^annotations: /)
})

test('anhoej: a sigma signal names its point; a runs signal names the longest run', () => {
  const i = asAnhoej(
    analyse({
      method: 'anhoej',
      chart: 'i',
      points: series([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]),
    }),
  )
  assert.deepEqual(i.points[4].signal, { rule: 'above_ucl', from: 4, to: 4 })
  assert.equal(i.points.filter((p) => p.signal).length, 1)
  assert.deepEqual(i.rule_set, { name: 'anhoej' })
  // SPEC 5.3: centre 6; the 6s (indices 1, 3, 14, 18) are dropped; runs [0], [2, 4, 5, 6],
  // [7 … 13], [15, 16, 17, 19]: 3 crossings < 4, longest run 7 = its maximum 7
  const ys = [5, 6, 7, 6, 7, 8, 7, 1, 2, 1, 2, 3, 2, 1, 6, 7, 8, 7, 6, 7]
  const run: AnhoejResult = asAnhoej(analyse({ method: 'anhoej', chart: 'run', points: series(ys) }))
  assert.deepEqual(run.periods[0].signal, { rule: 'too_few_crossings', points: [7, 8, 9, 10, 11, 12, 13] })
  // six 1s, three 5s, eight 9s: the median is the 9th of 17 sorted values, 5. The 5s (6, 7, 12)
  // are dropped: useful 14, longest run max round(log2 14) + 3 = 7; the nines 8–11 and 13–16
  // make one run of 8 > 7, and 1 crossing < qbinom(0.05, 13, 0.5) = 4
  const ys2 = [1, 1, 1, 1, 1, 1, 5, 5, 9, 9, 9, 9, 5, 9, 9, 9, 9]
  const long = asAnhoej(analyse({ method: 'anhoej', chart: 'run', points: series(ys2) }))
  assert.equal(long.periods[0].runs.longest_run, 8)
  assert.deepEqual(long.periods[0].signal, {
    rule: 'longest_run_and_too_few_crossings',
    points: [8, 9, 10, 11, 13, 14, 15, 16],
  })
  const none = asAnhoej(analyse({ method: 'anhoej', chart: 'run', points: series([1, 3, 2, 4]) }))
  assert.equal(none.periods[0].signal, null)
})
