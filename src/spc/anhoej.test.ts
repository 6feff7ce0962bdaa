import { test } from 'node:test'
import assert from 'node:assert/strict'
import { analyse } from './index.js'
import { asAnhoej, near, series } from './test-helpers.js'

const lines = (r: ReturnType<typeof asAnhoej>, i: number): (number | null)[] => {
  const p = r.points[i]
  return [p.centre, p.lcl, p.ucl, p.lcl_2sigma, p.ucl_2sigma]
}
function nearAll(actual: (number | null)[], expected: (number | null)[]): void {
  expected.forEach((e, i) =>
    e === null ? assert.equal(actual[i], null, `line ${i}`) : near(actual[i], e, `line ${i}`),
  )
}

test('an I chart uses 3/1.128 times the average moving range', () => {
  // y 1,3,2,4: mean 2.5; MRs 2,1,2 → AMR 5/3; σ = 5/3/1.128 = 1.47754
  const r = asAnhoej(analyse({ method: 'anhoej', chart: 'i', points: series([1, 3, 2, 4]) }))
  const s = 5 / 3 / 1.128
  nearAll(lines(r, 0), [2.5, 2.5 - 3 * s, 2.5 + 3 * s, 2.5 - 2 * s, 2.5 + 2 * s])
  assert.equal(r.periods[0].sigma_signal_count, 0)
})

test('the same vignette data with method anhoej gives limits from 2.6596 × AMR (SPEC 5.1)', () => {
  const ys = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
  const r = asAnhoej(analyse({ method: 'anhoej', chart: 'i', points: series(ys) }))
  near(r.points[0].ucl, 4.60401891252955)
  near(r.points[0].lcl, -0.715130023640662)
  assert.equal(r.periods[0].sigma_signal_count, 1)
  assert.equal(r.points[4].sigma_signal, true)
})

test('an MR chart plots moving ranges with ucl 3.267 × mean MR and lower lines at 0', () => {
  // MRs of 1,3,2,4: –,2,1,2; centre 5/3; ucl 5.445; inner 2.178 × 5/3 = 3.63
  const r = asAnhoej(analyse({ method: 'anhoej', chart: 'mr', points: series([1, 3, 2, 4]) }))
  assert.deepEqual(
    r.points.map((p) => p.value),
    [null, 2, 1, 2],
  )
  nearAll(lines(r, 1), [5 / 3, 0, 3.267 * (5 / 3), 0, (3.267 / 3) * 2 * (5 / 3)])
  assert.equal(r.periods[0].runs.runs_signal, false)
  assert.equal(r.periods[0].runs.n_obs, 4)
})

test('a C chart has σ = √mean and floors the lower lines at 0', () => {
  // counts 4,9,2,1: mean 4, σ 2 → 4 ± 6 (lcl floored), 4 ± 4 (lcl_2sigma 0)
  const r = asAnhoej(analyse({ method: 'anhoej', chart: 'c', points: series([4, 9, 2, 1]) }))
  nearAll(lines(r, 0), [4, 0, 10, 0, 8])
  // counts of 16: σ 4 → 4, 28, 8, 24
  const big = asAnhoej(analyse({ method: 'anhoej', chart: 'c', points: series([16, 16, 16, 16]) }))
  nearAll(lines(big, 0), [16, 4, 28, 8, 24])
  assert.equal(big.periods[0].runs.n_useful, 0, 'every value on the centre line')
})

test('a U chart has centre Σy/Σn and σ_i = √(centre / n_i)', () => {
  // 20/100, 30/100: centre 0.25, σ = √(0.25/100) = 0.05
  const r = asAnhoej(
    analyse({
      method: 'anhoej',
      chart: 'u',
      points: [
        { x: 1, y: 20, n: 100 },
        { x: 2, y: 30, n: 100 },
      ],
    }),
  )
  assert.deepEqual(
    r.points.map((p) => p.value),
    [0.2, 0.3],
  )
  nearAll(lines(r, 0), [0.25, 0.1, 0.4, 0.15, 0.35])
})

test('a P chart has σ_i = √(p(1 − p)/n_i), floored at 0 and capped at 1', () => {
  // 10/100, 30/100: p = 0.2, σ = √(0.16/100) = 0.04
  const r = asAnhoej(
    analyse({
      method: 'anhoej',
      chart: 'p',
      points: [
        { x: 1, y: 10, n: 100 },
        { x: 2, y: 30, n: 100 },
      ],
    }),
  )
  nearAll(lines(r, 0), [0.2, 0.08, 0.32, 0.12, 0.28])
  // 1/2, 1/2: p = 0.5, σ = √(0.25/2) = 0.354: 0.5 ± 1.06 and ± 0.71 → [0, 1] both ways
  const capped = asAnhoej(
    analyse({
      method: 'anhoej',
      chart: 'p',
      points: [
        { x: 1, y: 1, n: 2 },
        { x: 2, y: 1, n: 2 },
      ],
    }),
  )
  nearAll(lines(capped, 0), [0.5, 0, 1, 0, 1])
})

test('multiply scales values, centre and lines after computing them', () => {
  const r = asAnhoej(
    analyse({
      method: 'anhoej',
      chart: 'p',
      multiply: 100,
      points: [
        { x: 1, y: 10, n: 100 },
        { x: 2, y: 30, n: 100 },
      ],
    }),
  )
  assert.deepEqual(
    r.points.map((p) => p.value),
    [10, 30],
  )
  nearAll(lines(r, 0), [20, 8, 32, 12, 28])
  near(r.periods[0].centre, 20)
})

test('a P′ chart widens the limits by Laney’s σ_z from moving ranges of z-scores', () => {
  // p = 60/300 = 0.2, σ_i = 0.04; z = −2.5, 2.5, 0 → MRs 5, 2.5 → AMR 3.75; σ_z = 3.75/1.128 = 3.3245
  const r = asAnhoej(
    analyse({
      method: 'anhoej',
      chart: 'pp',
      points: [
        { x: 1, y: 10, n: 100 },
        { x: 2, y: 30, n: 100 },
        { x: 3, y: 20, n: 100 },
      ],
    }),
  )
  const sd = 0.04 * (3.75 / 1.128)
  nearAll(lines(r, 0), [0.2, 0, 0.2 + 3 * sd, 0, 0.2 + 2 * sd])
})

test('a U′ chart widens the limits by Laney’s σ_z', () => {
  // u = 75/300 = 0.25, σ_i = 0.05; z = −1, 1, 0 → MRs 2, 1 → AMR 1.5; σ_z = 1.5/1.128
  const r = asAnhoej(
    analyse({
      method: 'anhoej',
      chart: 'up',
      points: [
        { x: 1, y: 20, n: 100 },
        { x: 2, y: 30, n: 100 },
        { x: 3, y: 25, n: 100 },
      ],
    }),
  )
  const sd = 0.05 * (1.5 / 1.128)
  nearAll(lines(r, 0), [0.25, 0.25 - 3 * sd, 0.25 + 3 * sd, 0.25 - 2 * sd, 0.25 + 2 * sd])
})

test('a G chart centres on the median but takes its limits from the mean', () => {
  // 1,2,3,10: median 2.5; mean 4, σ = √(4 × 5) = √20
  const r = asAnhoej(analyse({ method: 'anhoej', chart: 'g', points: series([1, 2, 3, 10]) }))
  nearAll(lines(r, 0), [2.5, 0, 4 + 3 * Math.sqrt(20), 0, 4 + 2 * Math.sqrt(20)])
})

test('a T chart is an I chart of y^(1/3.6), back-transformed; a negative lcl becomes 0', () => {
  // y = 1, 2^3.6, 3^3.6, 2^3.6 → y′ = 1, 2, 3, 2: mean 2, MRs 1,1,1 → σ′ = 1/1.128
  const ys = [1, 2 ** 3.6, 3 ** 3.6, 2 ** 3.6]
  const r = asAnhoej(analyse({ method: 'anhoej', chart: 't', points: series(ys) }))
  const s = 1 / 1.128
  // transformed lcl 2 − 3σ′ = −0.66 < 0 → lcl 0; lcl_2sigma 2 − 2σ′ = 0.227 → 0.227^3.6
  nearAll(lines(r, 0), [2 ** 3.6, 0, (2 + 3 * s) ** 3.6, (2 - 2 * s) ** 3.6, (2 + 2 * s) ** 3.6])
  near(r.points[2].value, 3 ** 3.6)
  // y′ = 1, 3, 1, 3: σ′ = 2/1.128; transformed lcl_2sigma 2 − 3.55 < 0 → null (reference quirk)
  const wide = asAnhoej(analyse({ method: 'anhoej', chart: 't', points: series([1, 3 ** 3.6, 1, 3 ** 3.6]) }))
  assert.equal(wide.points[0].lcl, 0)
  assert.equal(wide.points[0].lcl_2sigma, null)
})

test('an X̄ chart uses A3(n) times the mean subgroup SD', () => {
  // subgroups (1,2,3), (4,5,6), (2,3,4): means 2, 5, 3; SDs 1, 1, 1; centre 30/9; A3(3) = 1.95441
  const r = asAnhoej(
    analyse({
      method: 'anhoej',
      chart: 'xbar',
      points: [
        { x: 1, values: [1, 2, 3] },
        { x: 2, values: [4, 5, 6] },
        { x: 3, values: [2, 3, null, 4] },
      ],
    }),
  )
  assert.deepEqual(
    r.points.map((p) => p.value),
    [2, 5, 3],
  )
  const a3 = 3 / ((Math.sqrt(Math.PI) / 2) * Math.sqrt(3))
  nearAll(lines(r, 0), [10 / 3, 10 / 3 - a3, 10 / 3 + a3, 10 / 3 - (2 * a3) / 3, 10 / 3 + (2 * a3) / 3])
})

test('an X̄ chart pools the variances when subgroup sizes differ', () => {
  // (1,3): mean 2, s² 2; (2,4,6): mean 4, s² 4; σ̂ = √((1·2 + 2·4)/(1 + 2)) = √(10/3); centre 16/5
  const r = asAnhoej(
    analyse({
      method: 'anhoej',
      chart: 'xbar',
      points: [
        { x: 1, values: [1, 3] },
        { x: 2, values: [2, 4, 6] },
      ],
    }),
  )
  const a3n2 = 3 / (Math.sqrt(2 / Math.PI) * Math.sqrt(2))
  near(r.points[0].centre, 3.2)
  near(r.points[0].ucl, 3.2 + a3n2 * Math.sqrt(10 / 3))
  // a subgroup of one value has no lines
  const one = asAnhoej(
    analyse({
      method: 'anhoej',
      chart: 'xbar',
      points: [
        { x: 1, values: [1, 3] },
        { x: 2, values: [5] },
      ],
    }),
  )
  assert.equal(one.points[1].value, 5)
  assert.equal(one.points[1].ucl, null)
})

test('an S chart has centre s̄ and limits B3, B4 times it', () => {
  const r = asAnhoej(
    analyse({
      method: 'anhoej',
      chart: 's',
      points: [
        { x: 1, values: [1, 2, 3] },
        { x: 2, values: [4, 5, 6] },
        { x: 3, values: [2, 3, 4] },
      ],
    }),
  )
  // s̄ = 1; B4(3) = 1 + 3·c5/c4 = 2.5682; B3(3) = 0; 2-sigma B4 = 1 + 2·c5/c4
  const c4 = Math.sqrt(Math.PI) / 2
  const ratio = Math.sqrt(1 - c4 * c4) / c4
  nearAll(lines(r, 0), [1, 0, 1 + 3 * ratio, 0, 1 + 2 * ratio])
})

test('a run chart centres on the median and has no limits', () => {
  const r = asAnhoej(analyse({ method: 'anhoej', chart: 'run', points: series([3, 1, 2]) }))
  nearAll(lines(r, 0), [2, null, null, null, null])
  assert.ok(r.points.every((p) => !p.sigma_signal))
})

test('run and I charts plot y/n when denominators are given', () => {
  const r = asAnhoej(
    analyse({
      method: 'anhoej',
      chart: 'run',
      points: [
        { x: 1, y: 1, n: 2 },
        { x: 2, y: 3, n: 4 },
        { x: 3, y: 5, n: null },
      ],
    }),
  )
  assert.deepEqual(
    r.points.map((p) => p.value),
    [0.5, 0.75, null],
  )
  near(r.points[0].centre, 0.625)
})

test('a baseline freezes centre and limits on the first points; later points still count in runs', () => {
  const r = asAnhoej(
    analyse({ method: 'anhoej', chart: 'i', baseline: 4, points: series([1, 3, 2, 4, 10, 10]) }),
  )
  const s = 5 / 3 / 1.128
  near(r.points[5].ucl, 2.5 + 3 * s)
  assert.deepEqual(
    r.points.map((p) => p.baseline),
    [true, true, true, true, false, false],
  )
  assert.deepEqual(
    r.points.map((p) => p.sigma_signal),
    [false, false, false, false, true, true],
  )
  // sides − + − + + + : 4 runs → 3 crossings; longest 3; n_useful 6 → max 6, min 1
  assert.deepEqual(r.periods[0].runs, {
    n_obs: 6,
    n_useful: 6,
    longest_run: 3,
    longest_run_max: 6,
    n_crossings: 3,
    n_crossings_min: 1,
    runs_signal: false,
  })
  // with a rebase the baseline is ignored: every point is a baseline point
  const rebased = asAnhoej(
    analyse({ method: 'anhoej', chart: 'i', baseline: 4, rebase: [5], points: series([1, 3, 2, 4, 10, 10]) }),
  )
  assert.ok(rebased.points.every((p) => p.baseline))
  assert.equal(rebased.periods.length, 2)
  near(rebased.periods[1].centre, 10)
})

test('excluded points are skipped in every calculation but still plotted and signalled', () => {
  const r = asAnhoej(
    analyse({ method: 'anhoej', chart: 'i', exclude: [3], points: series([1, 3, 100, 2, 4]) }),
  )
  // calculation points 1,3,2,4: the neighbours of the excluded point become adjacent
  const s = 5 / 3 / 1.128
  near(r.points[0].centre, 2.5)
  near(r.points[0].ucl, 2.5 + 3 * s)
  assert.equal(r.points[2].excluded, true)
  assert.equal(r.points[2].sigma_signal, true)
  assert.equal(r.periods[0].runs.n_obs, 4)
})

test('zero denominators with zero numerators and missing values are missing points (SPEC 5.4)', () => {
  const r = asAnhoej(
    analyse({
      method: 'anhoej',
      chart: 'p',
      points: [
        { x: 1, y: 3, n: 40 },
        { x: 2, y: 0, n: 0 },
        { x: 3, y: null, n: 40 },
        { x: 4, y: 4, n: null },
        { x: 5, y: 5, n: 60 },
      ],
    }),
  )
  near(r.points[0].centre, 8 / 100)
  for (const i of [1, 2, 3]) {
    assert.equal(r.points[i].value, null)
    assert.equal(r.points[i].ucl, null)
    assert.equal(r.points[i].lcl, null)
    near(r.points[i].centre, 0.08)
  }
})

test('a period whose values are all missing has null centre and lines and no runs', () => {
  const r = asAnhoej(analyse({ method: 'anhoej', chart: 'i', points: series([null, null]) }))
  assert.equal(r.points[0].centre, null)
  assert.equal(r.points[0].ucl, null)
  assert.equal(r.periods[0].runs.n_useful, 0)
  assert.equal(r.periods[0].runs.longest_run, null)
})

test('a rebase at the first point is dropped before the baseline rule, for every chart (SPEC 3.1)', () => {
  // i chart, 1, 3, 2, 4, 10, 10 with baseline 4: centre from the first four = 2.5, and points 5
  // and 6 are not baseline points, exactly as without the rebase
  const frozen = asAnhoej(
    analyse({ method: 'anhoej', chart: 'i', baseline: 4, rebase: [1], points: series([1, 3, 2, 4, 10, 10]) }),
  )
  near(frozen.periods[0].centre, 2.5)
  assert.deepEqual(
    frozen.points.map((p) => p.baseline),
    [true, true, true, true, false, false],
  )
  const ys = [3, 5, 4, 6, 2, 7, 5, 9, 8, 12, 11]
  for (const chart of ['run', 'i', 'mr', 'xbar', 's', 't', 'p', 'pp', 'c', 'u', 'up', 'g']) {
    const points = ys.map((y, i) => {
      if (chart === 'xbar' || chart === 's') return { x: i + 1, values: [y, y + 2, (y * 7) % 5] }
      if (['p', 'pp', 'u', 'up'].includes(chart)) return { x: i + 1, y, n: 20 + i }
      return { x: i + 1, y }
    })
    const plain = analyse({ method: 'anhoej', chart, baseline: 5, points })
    for (const rebase of [[1], [1, 1]]) {
      const dropped = analyse({ method: 'anhoej', chart, baseline: 5, rebase, points })
      assert.deepEqual(dropped, plain, `${chart} with rebase ${JSON.stringify(rebase)}`)
    }
    assert.ok(
      asAnhoej(plain)
        .points.slice(5)
        .every((p) => !p.baseline),
      chart,
    )
  }
})
