import { test } from 'node:test'
import assert from 'node:assert/strict'
import { analyse } from './index.js'
import fc from 'fast-check'
import { markRules, shiftMarks, trendMarks, twoInThreeMarks } from './mdc.js'
import { MAX_RUN_N, MIN_RUN_N } from './validate.js'
import { asMdc, monthly, near, series } from './test-helpers.js'

const VIGNETTE = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]

test('XmR limits are the mean ± 2.66 × the screened average moving range (SPEC 5.1)', () => {
  const r = asMdc(analyse({ method: 'mdc', chart: 'i', points: monthly(VIGNETTE) }))
  // centre 35/18; MRs: fifteen 1s, an 8 and a 9 → AMR 32/17; 3.267 × 32/17 = 6.15 drops 8 and 9 → AMR 1
  near(r.points[0].centre, 35 / 18)
  near(r.points[0].ucl, 35 / 18 + 2.66)
  near(r.points[0].lcl, 35 / 18 - 2.66)
  near(r.points[0].ucl_2sigma, 35 / 18 + (2 * 2.66) / 3)
  near(r.points[0].lcl_2sigma, 35 / 18 - (2 * 2.66) / 3)
  assert.equal(r.points[4].special_cause, 'above_ucl')
  assert.equal(r.points[4].point_type, 'special_cause_improvement')
  assert.deepEqual(r.points[4].rules, {
    outside_limits: true,
    trend: false,
    two_in_three: false,
    shift: false,
  })
  assert.equal(r.periods[0].common_cause, 17)
  assert.equal(r.periods[0].special_cause_improvement, 1)
  assert.equal(r.variation, 'common_cause')
  assert.equal(r.assurance, null)
})

test('without screening the limits use every moving range (SPEC 5.1, MDC Excel tools)', () => {
  const r = asMdc(analyse({ method: 'mdc', chart: 'i', points: monthly(VIGNETTE), screen_mr: false }))
  // AMR = 32/17; ucl = 35/18 + 2.66 × 32/17 = 6.95150326797386
  near(r.points[0].ucl, 6.95150326797386)
  near(r.points[0].lcl, -3.06261437908497)
  assert.equal(r.points[4].special_cause, 'above_ucl')
})

test('flags 7 points in a row on one side of the mean as a shift; a point on the centre line breaks it', () => {
  const sides = [1, 1, 1, 1, 1, 1, 1, -1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]
  assert.deepEqual([...shiftMarks(sides)], [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
  // sum 170 over 17 points: mean exactly 10. MRs sum 143 → AMR 8.94, limits 10 ± 23.8: nothing outside or near
  const ys = [2, 18, 2, 18, 12, 13, 10, 14, 12, 13, 12, 2, 18, 2, 18, 1, 3]
  const broken = asMdc(analyse({ method: 'mdc', chart: 'i', points: series(ys) }))
  near(broken.points[0].centre, 10)
  near(broken.points[0].ucl, 10 + 2.66 * (143 / 16))
  assert.ok(
    broken.points.every((p) => p.special_cause === 'none'),
    'the 10 on the centre line breaks the run',
  )
  // with 11 instead of 10 (mean 171/17 = 10.06), 18,12,13,11,14,12,13,12 are eight points above the mean
  const ys2 = ys.map((y, i) => (i === 6 ? 11 : y))
  const shifted = asMdc(analyse({ method: 'mdc', chart: 'i', points: series(ys2) }))
  const causes = shifted.points.map((p) => p.special_cause)
  assert.deepEqual(causes.slice(3, 11), Array(8).fill('shift_above'))
  assert.equal(causes[2], 'none')
  assert.equal(causes[11], 'none')
  assert.equal(shifted.periods[0].special_cause_improvement, 8)
})

test('flags 7 points each higher than the one before as an increasing trend', () => {
  assert.deepEqual([...trendMarks([1, 2, 3, 4, 5, 6, 7, 1])], [1, 1, 1, 1, 1, 1, 1, 0])
  // six rises is not enough; equal neighbours break a trend; a missing value breaks a trend
  assert.deepEqual([...trendMarks([1, 2, 3, 4, 5, 6, 1])], [0, 0, 0, 0, 0, 0, 0])
  assert.deepEqual([...trendMarks([1, 2, 3, 3, 4, 5, 6, 7])], [0, 0, 0, 0, 0, 0, 0, 0])
  assert.deepEqual([...trendMarks([7, 6, 5, NaN, 4, 3, 2, 1])], [0, 0, 0, 0, 0, 0, 0, 0])
  assert.deepEqual([...trendMarks([9, 8, 7, 6, 5, 4, 3, 2])], [1, 1, 1, 1, 1, 1, 1, 1])
})

test('a peak shared by a rising and a falling trend is labelled by the trend that follows it', () => {
  // noise widens the limits: 10,30 ×3 then 11..17 up and 17..11 down
  const ys = [10, 30, 10, 30, 10, 30, 11, 12, 13, 14, 15, 16, 17, 16, 15, 14, 13, 12, 11]
  const r = asMdc(analyse({ method: 'mdc', chart: 'i', points: series(ys) }))
  // mean 299/19 = 15.74; MRs 20×5, 19, 1×12 → AMR 131/18 = 7.28 (none screened: 3.267 × 7.28 = 23.8)
  near(r.points[0].centre, 299 / 19)
  near(r.points[0].ucl, 299 / 19 + 2.66 * (131 / 18))
  const causes = r.points.map((p) => p.special_cause)
  assert.deepEqual(causes.slice(0, 6), ['none', 'none', 'none', 'none', 'none', 'none'])
  assert.deepEqual(causes.slice(6, 12), Array(6).fill('trend_increasing'))
  assert.equal(causes[12], 'trend_decreasing', 'the peak (17) takes the direction of the next step')
  assert.deepEqual(causes.slice(13), Array(6).fill('trend_decreasing'))
  assert.ok(r.points.slice(6).every((p) => p.rules.trend))
  // increase is better: rising points are improvement, falling ones concern
  assert.equal(r.points[6].point_type, 'special_cause_improvement')
  assert.equal(r.points[18].point_type, 'special_cause_concern')
  assert.equal(r.variation, 'special_cause_concern')
  assert.equal(r.variation_icon, 'concern_low')
})

test('two of three points in the 2–3 sigma band on one side are flagged, the third point is not (SPEC 5.2)', () => {
  assert.deepEqual([...twoInThreeMarks([1, 0, 1, 0], [1, 1, 1, 1])], [1, 0, 1, 0])
  assert.deepEqual(
    [...twoInThreeMarks([1, 0, 1], [1, -1, 1])],
    [0, 0, 0],
    'all three must be on the same side',
  )
  const ys = [10, 11, 9, 10, 12, 9, 10, 11, 10, 9, 11, 10, 14, 11, 14.2, 10, 9, 11, 10, 10]
  const r = asMdc(analyse({ method: 'mdc', chart: 'i', points: monthly(ys) }))
  near(r.points[0].centre, 10.56)
  near(r.points[0].ucl_2sigma, 13.7706666666667)
  assert.equal(r.points[12].special_cause, 'two_in_three_above')
  assert.equal(r.points[13].special_cause, 'none')
  assert.equal(r.points[14].special_cause, 'two_in_three_above')
  assert.equal(r.periods[0].special_cause_improvement, 2)
})

test('outside the limits wins over trend, two-in-three and shift', () => {
  // trend with a big last step: 1..6 then 40; MRs 1×5 and 34: AMR 39/6 = 6.5, 3.267 × 6.5 = 21.2 drops 34 → AMR 1
  const r = asMdc(analyse({ method: 'mdc', chart: 'i', points: series([1, 2, 3, 4, 5, 6, 40]) }))
  // mean 61/7 = 8.71; limits 8.71 ± 2.66 = 6.05 … 11.37: 40 is above, and 1…6 are all below
  assert.equal(r.points[6].special_cause, 'above_ucl')
  assert.ok(r.points.every((p) => p.rules.trend && p.rules.outside_limits))
  assert.deepEqual(
    r.points.slice(0, 6).map((p) => p.special_cause),
    Array(6).fill('below_lcl'),
  )
  assert.equal(r.periods[0].short_period_warning, true, '7 points < 13')
})

test('improvement direction decides improvement, concern and neutral', () => {
  const base = { method: 'mdc', chart: 'i', points: monthly(VIGNETTE) }
  const dec = asMdc(analyse({ ...base, improvement_direction: 'decrease' }))
  assert.equal(dec.points[4].point_type, 'special_cause_concern')
  assert.equal(dec.periods[0].special_cause_concern, 1)
  const neutral = asMdc(analyse({ ...base, improvement_direction: 'neutral', target: 3 }))
  assert.equal(neutral.points[4].point_type, 'special_cause_neutral_high')
  assert.equal(neutral.periods[0].common_cause, 17)
  assert.equal(neutral.periods[0].special_cause_improvement + neutral.periods[0].special_cause_concern, 0)
  assert.equal(neutral.assurance, null, 'no assurance for a neutral direction')
  assert.equal(neutral.assurance_icon, null)
  // last point special: variation icons
  const last = asMdc(
    analyse({ ...base, points: monthly([...VIGNETTE, 12]), improvement_direction: 'decrease' }),
  )
  assert.equal(last.variation, 'special_cause_concern')
  assert.equal(last.variation_icon, 'concern_high')
  const lastUp = asMdc(analyse({ ...base, points: monthly([...VIGNETTE, 12]) }))
  assert.equal(lastUp.variation_icon, 'improvement_high')
  const lastNeutral = asMdc(
    analyse({ ...base, points: monthly([...VIGNETTE, 12]), improvement_direction: 'neutral' }),
  )
  assert.equal(lastNeutral.variation_icon, 'neutral_high')
})

test('assurance compares the target with the last period’s limits', () => {
  const base = { method: 'mdc', chart: 'i', points: monthly(VIGNETTE) }
  // limits −0.7156 … 4.6044
  assert.equal(asMdc(analyse({ ...base, target: 5 })).assurance, 'consistent_fail')
  assert.equal(asMdc(analyse({ ...base, target: -1 })).assurance, 'consistent_pass')
  assert.equal(asMdc(analyse({ ...base, target: 2 })).assurance, 'inconsistent')
  assert.equal(
    asMdc(analyse({ ...base, target: 5, improvement_direction: 'decrease' })).assurance,
    'consistent_pass',
  )
  assert.equal(
    asMdc(analyse({ ...base, target: -1, improvement_direction: 'decrease' })).assurance_icon,
    'fail',
  )
})

test('a single point has a centre, null limits, common cause and inconsistent assurance', () => {
  const r = asMdc(analyse({ method: 'mdc', chart: 'i', points: [{ x: '2024-01-01', y: 7 }], target: 5 }))
  assert.equal(r.points[0].centre, 7)
  assert.equal(r.points[0].ucl, null)
  assert.equal(r.points[0].lcl_2sigma, null)
  assert.equal(r.points[0].point_type, 'common_cause')
  assert.equal(r.assurance, 'inconsistent')
  assert.equal(r.periods[0].short_period_warning, true)
})

test('a constant series has null limits with screening and limits on the centre without', () => {
  const points = series(Array(15).fill(4))
  const screened = asMdc(analyse({ method: 'mdc', chart: 'i', points }))
  assert.equal(screened.points[0].centre, 4)
  assert.equal(screened.points[0].ucl, null)
  assert.ok(
    screened.points.every((p) => p.special_cause === 'none'),
    'points on the centre are in no shift',
  )
  const raw = asMdc(analyse({ method: 'mdc', chart: 'i', points, screen_mr: false }))
  assert.equal(raw.points[0].ucl, 4)
  assert.equal(raw.points[0].lcl, 4)
  assert.ok(raw.points.every((p) => p.special_cause === 'none'))
})

test('missing values keep their row, give no moving range and break windows', () => {
  const ys = [5, null, 7, 5, 7, 5, 7, 5, 7, 5, 7, 5, 7, 5]
  const r = asMdc(analyse({ method: 'mdc', chart: 'i', points: series(ys) }))
  // 13 values: seven 5s and six 7s sum 77 → mean 77/13; MRs: none to or from the gap, then 12 of 2 → AMR 2
  near(r.points[0].centre, 77 / 13)
  near(r.points[1].ucl, 77 / 13 + 2.66 * 2)
  assert.equal(r.points[1].value, null)
  assert.equal(r.points[1].special_cause, 'none')
  assert.equal(r.periods[0].n_points, 14)
})

test('a baseline fixes the limits after the first n points of each period', () => {
  const ys = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 9, 9, 9]
  const r = asMdc(analyse({ method: 'mdc', chart: 'i', points: series(ys), baseline: 12 }))
  // first 12: mean 1.5, MRs all 1 → ucl 1.5 + 2.66 = 4.16; the 9s are outside
  near(r.points[14].centre, 1.5)
  near(r.points[14].ucl, 4.16)
  assert.equal(r.points[11].baseline, true)
  assert.equal(r.points[12].baseline, false)
  assert.equal(r.points[12].special_cause, 'above_ucl')
})

test('a rebase starts a new period with its own centre and limits', () => {
  const ys = [1, 2, 1, 2, 1, 2, 11, 12, 11, 12, 11]
  const r = asMdc(analyse({ method: 'mdc', chart: 'i', points: series(ys), rebase: [7] }))
  assert.equal(r.periods.length, 2)
  near(r.periods[0].centre, 1.5)
  near(r.periods[1].centre, 57 / 5)
  // period 2 MRs: 1,1,1,1 (the jump 2 → 11 crosses the boundary and does not count)
  near(r.points[6].ucl, 57 / 5 + 2.66)
  assert.equal(r.points[6].period, 2)
  assert.equal(r.periods[1].first_x, 7)
  assert.equal(r.periods[1].last_x, 11)
  assert.equal(r.periods[1].variation, 'common_cause')
  // rebasing at the first point changes nothing
  const same = analyse({ method: 'mdc', chart: 'i', points: series(ys), rebase: [1] })
  assert.deepEqual(same, analyse({ method: 'mdc', chart: 'i', points: series(ys) }))
})

test('markRules gives, in one pass, the marks of the rules one at a time (any data, any run lengths)', () => {
  const RUNS = { numRuns: 300, seed: 20261203 }
  // small integers around the centre, with gaps: plenty of runs, trends, ties and band points
  const data = fc.array(fc.option(fc.integer({ min: -6, max: 6 }), { freq: 6, nil: null }), {
    minLength: 1,
    maxLength: 60,
  })
  const run = fc.integer({ min: MIN_RUN_N, max: MAX_RUN_N })
  fc.assert(
    fc.property(data, run, run, (ys, trendN, shiftN) => {
      const values = Float64Array.from(ys, (v) => (v === null ? NaN : v))
      const lines = { centre: 0, lcl: -4.5, ucl: 4.5, lcl2: -2.5, ucl2: 2.5 }
      const n = values.length
      const bits = new Uint8Array(n)
      const sides = new Int8Array(n)
      const band = new Uint8Array(n)
      markRules(values, lines, trendN, shiftN, bits, sides, band)
      const expectedSides = Array.from(values, (v) => (v > 0 ? 1 : v < 0 ? -1 : 0))
      const expectedNear = Array.from(values, (v) => (Math.abs(v) > 2.5 && Math.abs(v) <= 4.5 ? 1 : 0))
      const trend = trendMarks(values, trendN)
      const shift = shiftMarks(expectedSides, shiftN)
      const two = twoInThreeMarks(expectedNear, expectedSides)
      const expectedBits = Array.from(
        values,
        (v, k) => (Math.abs(v) > 4.5 ? 1 : 0) | (trend[k] ? 2 : 0) | (two[k] ? 4 : 0) | (shift[k] ? 8 : 0),
      )
      assert.deepEqual([...sides], expectedSides)
      assert.deepEqual([...band], expectedNear)
      assert.deepEqual([...bits], expectedBits)
    }),
    RUNS,
  )
})
