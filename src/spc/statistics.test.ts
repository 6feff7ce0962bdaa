import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mean, sum } from './mean.js'
import { median } from './median.js'
import { averageMovingRange, movingRanges } from './moving-range.js'
import { a3, b3, b4, c4, c5, lnGamma } from './subgroups.js'
import { near } from './test-helpers.js'

test('sums and means skip missing values', () => {
  assert.equal(sum([1, 2, NaN, 3]), 6)
  assert.equal(mean([1, 2, NaN, 3]), 2)
  assert.ok(Number.isNaN(mean([NaN])))
})

test('the mean of 0.1, 0.2 and 0.3 is exactly the double 0.2, as in R', () => {
  // naive (0.1 + 0.2 + 0.3) / 3 gives 0.20000000000000004; R's long-double mean gives 0.2
  assert.equal(mean([0.1, 0.2, 0.3]), 0.2)
})

test('the median is the middle value, or the mean of the two middle values', () => {
  assert.equal(median([5, 1, NaN, 3]), 3)
  assert.equal(median([4, 1, 3, 2]), 2.5)
  assert.equal(median([7]), 7)
  assert.ok(Number.isNaN(median([NaN, NaN])))
  // larger inputs with ties and sorted runs
  const values = Array.from({ length: 1001 }, (_, i) => (i * 37) % 101)
  const sorted = [...values].sort((a, b) => a - b)
  assert.equal(median(values), sorted[500])
  const even = values.slice(0, 1000)
  const s2 = [...even].sort((a, b) => a - b)
  assert.equal(median(even), (s2[499] + s2[500]) / 2)
})

test('moving ranges never bridge a missing value', () => {
  assert.deepEqual([...movingRanges([1, 3, NaN, 4, 2])], [2, NaN, NaN, 2])
})

test('screening drops moving ranges at or above 3.267 times the average and recomputes once', () => {
  // MRs 1,1,1,1,1,1,1,10: AMR = 17/8 = 2.125; 3.267 × 2.125 = 6.942 drops the 10; AMR = 7/7 = 1
  const ranges = [1, 1, 1, 1, 1, 1, 1, 10]
  assert.equal(averageMovingRange(ranges, false), 2.125)
  assert.equal(averageMovingRange(ranges, true), 1)
  // a constant series: every MR is 0 and 0 < 3.267 × 0 is false, so nothing is left
  assert.ok(Number.isNaN(averageMovingRange([0, 0, 0], true)))
  assert.equal(averageMovingRange([0, 0, 0], false), 0)
})

test('lnGamma matches known values', () => {
  near(lnGamma(5), Math.log(24))
  near(lnGamma(0.5), Math.log(Math.sqrt(Math.PI)))
  near(lnGamma(1), 0)
  near(lnGamma(101), 363.73937555556347, 'ln(100!)')
})

test('subgroup constants agree with Montgomery’s table', () => {
  // c4(2) = √(2/π) Γ(1)/Γ(1/2)·… = √(2/π) = 0.7979; c4(3) = Γ(1.5)/Γ(1) = √π/2 = 0.8862
  near(c4(2), Math.sqrt(2 / Math.PI))
  near(c4(3), Math.sqrt(Math.PI) / 2)
  near(c5(2), Math.sqrt(1 - 2 / Math.PI))
  // Montgomery, Appendix VI: A3(5) = 1.427, A3(10) = 0.975, B3(10) = 0.284, B4(10) = 1.716, B4(3) = 2.568
  assert.equal(a3(5).toFixed(3), '1.427')
  assert.equal(a3(10).toFixed(3), '0.975')
  assert.equal(b3(10).toFixed(3), '0.284')
  assert.equal(b4(10).toFixed(3), '1.716')
  assert.equal(b4(3).toFixed(3), '2.568')
  assert.equal(b3(5), 0)
  // 2-sigma versions: A3 × 2/3
  near(a3(5, 2), (a3(5) * 2) / 3)
  assert.ok(Number.isNaN(a3(1)) && Number.isNaN(b3(1)) && Number.isNaN(b4(0)) && Number.isNaN(c4(1)))
})
