import { test } from 'node:test'
import assert from 'node:assert/strict'
import { crossingsMinimum, dbinomHalf, longestRunMax, pbinomHalf, qbinomHalf, runsAnalysis } from './runs.js'

test('the limits agree with the table of SPEC 3.4', () => {
  const table: [number, number, number][] = [
    [1, 3, 0],
    [2, 4, 0],
    [3, 5, 0],
    [4, 5, 0],
    [5, 5, 0],
    [6, 6, 1],
    [7, 6, 1],
    [8, 6, 1],
    [9, 6, 2],
    [10, 6, 2],
    [11, 6, 2],
    [12, 7, 3],
    [14, 7, 4],
    [16, 7, 4],
    [18, 7, 5],
    [20, 7, 6],
    [24, 8, 8],
    [30, 8, 10],
    [40, 8, 14],
    [50, 9, 19],
    [100, 10, 41],
    [1000, 13, 474],
  ]
  for (const [n, longest, crossings] of table) {
    assert.equal(longestRunMax(n), longest, `longest_run_max for ${n}`)
    assert.equal(crossingsMinimum(n), crossings, `n_crossings_min for ${n}`)
  }
})

test('the crossings limit is the exact binomial quantile (checked with big integers up to 1,500 points)', () => {
  // smallest c with Σ_{k ≤ c} C(m, k) ≥ 0.05 × 2^m, m = n − 1
  for (let n = 1; n <= 1500; n += n < 200 ? 1 : 7) {
    const m = n - 1
    const need = 2n ** BigInt(m) * 5n
    let total = 0n
    let binom = 1n
    let c = 0
    for (;;) {
      total += binom
      if (total * 100n >= need) break
      binom = (binom * BigInt(m - c)) / BigInt(c + 1)
      c++
    }
    assert.equal(crossingsMinimum(n), c, `n = ${n}`)
  }
})

// Its time is a figure of `npm run bench:spc`, not an assertion: a unit test never races the clock.
test('the crossings limit for a million points is exact', () => {
  // mean (n − 1)/2 = 499999.5, sd √(999999)/2 = 499.99975; 1.645 sd below ≈ 499177
  assert.equal(crossingsMinimum(1_000_000), 499177)
})

test('binomial probabilities of a fair coin are right', () => {
  assert.ok(Math.abs(dbinomHalf(2, 4) - 0.375) < 1e-14) // C(4,2)/16 = 6/16
  assert.ok(Math.abs(pbinomHalf(1, 2) - 0.75) < 1e-14) // (1 + 2)/4
  assert.equal(qbinomHalf(0.05, 0), 0)
  assert.equal(qbinomHalf(0.05, 15), 4)
  assert.throws(() => qbinomHalf(0, 3), RangeError)
})

test('the runs analysis of the worked run chart finds too few crossings', () => {
  // SPEC 5.3: median 6; the four 6s are not useful; sides − + + + − − − − − − − − (…)
  const ys = [5, 6, 7, 6, 7, 8, 7, 1, 2, 1, 2, 3, 2, 1, 6, 7, 8, 7, 6, 7]
  assert.deepEqual(runsAnalysis(ys, 6), {
    n_obs: 20,
    n_useful: 16,
    longest_run: 7,
    longest_run_max: 7,
    n_crossings: 3,
    n_crossings_min: 4,
    runs_signal: true,
  })
})

test('a run longer than the limit is a signal', () => {
  // 10 useful values: 7 above then 3 below; longest 7 > round(log2 10) + 3 = 6
  const r = runsAnalysis([2, 2, 2, 2, 2, 2, 2, 0, 0, 0], 1)
  assert.equal(r.longest_run, 7)
  assert.equal(r.longest_run_max, 6)
  assert.equal(r.n_crossings, 1)
  assert.equal(r.runs_signal, true)
})

test('missing values and values on the centre are not useful; none useful gives nulls', () => {
  const r = runsAnalysis([NaN, 1, 1, NaN], 1)
  assert.deepEqual(r, {
    n_obs: 4,
    n_useful: 0,
    longest_run: null,
    longest_run_max: null,
    n_crossings: null,
    n_crossings_min: null,
    runs_signal: false,
  })
})
