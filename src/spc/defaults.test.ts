import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { analyse, analyseToJson, signalPoints } from './index.js'
import type { MdcResult, SpcResult } from './types.js'

/**
 * 600 requests of every kind from a fixed generator (a linear congruential one, so the requests
 * never change with a library's version), without the options of issue 17.
 */
function oldStyleRequests(): Record<string, unknown>[] {
  let seed = 20261202
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const charts = ['run', 'i', 'mr', 'xbar', 's', 't', 'p', 'pp', 'c', 'u', 'up', 'g']
  const out: Record<string, unknown>[] = []
  for (let t = 0; t < 600; t++) {
    const size = 1 + Math.floor(rnd() * 40)
    const mdc = rnd() < 0.5
    const chart = mdc ? 'i' : charts[Math.floor(rnd() * charts.length)]
    const points = Array.from({ length: size }, (_, i) => {
      const y = rnd() < 0.08 ? null : Math.round(rnd() * 60) - 10
      if (chart === 'xbar' || chart === 's')
        return { x: i + 1, values: [y, Math.round(rnd() * 9), Math.round(rnd() * 9)] }
      if (['p', 'pp', 'u', 'up'].includes(chart))
        return { x: i + 1, y: y === null ? null : Math.abs(y), n: 70 + Math.floor(rnd() * 30) }
      if (chart === 't') return { x: i + 1, y: y === null ? null : Math.abs(y) + 1 }
      return { x: i + 1, y }
    })
    const request: Record<string, unknown> = { method: mdc ? 'mdc' : 'anhoej', chart, points }
    if (rnd() < 0.3) request.target = Math.round(rnd() * 50)
    if (rnd() < 0.3)
      request.improvement_direction = ['increase', 'decrease', 'neutral'][Math.floor(rnd() * 3)]
    if (rnd() < 0.3) request.screen_mr = rnd() < 0.5
    // rebases after the first point only: a first-point rebase with a baseline changed on purpose (SPEC 3.1)
    if (rnd() < 0.3 && size > 3) request.rebase = [2 + Math.floor(rnd() * (size - 1))]
    if (rnd() < 0.2) request.baseline = mdc ? 12 + Math.floor(rnd() * 10) : 1 + Math.floor(rnd() * size)
    if (!mdc && rnd() < 0.2) request.exclude = [1 + Math.floor(rnd() * size)]
    out.push(request)
  }
  return out
}

/** A result without the fields issue 17 added (rule_set, target_trajectory, the signals). */
function withoutNewFields(r: SpcResult): unknown {
  if (!r.ok) return r
  const { rule_set: _r, target_trajectory: _t, ...rest } = r
  return {
    ...rest,
    points: r.points.map(({ signal: _s, ...p }) => p),
    periods: r.periods.map((p) => {
      if (!('signal' in p)) return p
      const { signal: _s, ...q } = p
      return q
    }),
  }
}

test('requests without the new options give exactly the results of the engine before issue 17', () => {
  const hash = createHash('sha256')
  for (const request of oldStyleRequests())
    hash.update(`${JSON.stringify(withoutNewFields(analyse(request)))}\n`)
  // computed with the engine at commit dc4fc0f (before issue 17) on the same 600 requests
  assert.equal(hash.digest('hex'), '372096173c855bc629cb4501648c25bf65b7fdfab5f1a1b40ba6861e7ece318a')
})

const RUNS = { numRuns: 150, seed: 20261202 }
const values = fc.array(fc.option(fc.integer({ min: -20, max: 20 }), { freq: 10, nil: null }), {
  minLength: 1,
  maxLength: 60,
})
const points = (ys: (number | null)[]): { x: number; y: number | null }[] =>
  ys.map((y, i) => ({ x: i + 1, y }))

test('shift_n 7 and trend_n 7 sent explicitly give the same result as leaving them out', () => {
  fc.assert(
    fc.property(values, fc.constantFrom('i', 'i_m', 'i_mm'), (ys, chart) => {
      const base = { method: 'mdc', chart, points: points([...ys, 1, 2]) }
      assert.deepEqual(analyse({ ...base, shift_n: 7, trend_n: 7 }), analyse(base))
    }),
    RUNS,
  )
})

test('a trajectory with the same target everywhere gives the assurance of that constant target', () => {
  fc.assert(
    fc.property(
      values,
      fc.integer({ min: -25, max: 25 }),
      fc.constantFrom('increase', 'decrease', 'neutral'),
      (ys, t, direction) => {
        const base = { method: 'mdc', chart: 'i', points: points(ys), improvement_direction: direction }
        const constant = analyse({ ...base, target: t }) as MdcResult
        const trajectory = analyse({ ...base, target: ys.map(() => t) }) as MdcResult
        assert.equal(trajectory.assurance, constant.assurance)
        assert.equal(trajectory.assurance_icon, constant.assurance_icon)
      },
    ),
    RUNS,
  )
})

test('every signal names a block that contains its point and carries its rule', () => {
  const bit = { shift: 'shift', trend: 'trend', two: 'two_in_three' } as const
  fc.assert(
    fc.property(
      values,
      fc.integer({ min: 2, max: 20 }),
      fc.integer({ min: 2, max: 20 }),
      fc.constantFrom('i', 'i_m', 'i_mm'),
      (ys, shiftN, trendN, chart) => {
        const r = analyse({
          method: 'mdc',
          chart,
          points: points([...ys, 0, 0]),
          shift_n: shiftN,
          trend_n: trendN,
        }) as MdcResult
        assert.ok(r.ok)
        r.points.forEach((p, i) => {
          assert.equal(p.signal === null, p.special_cause === 'none')
          if (p.signal === null) return
          assert.equal(p.signal.rule, p.special_cause)
          assert.ok(p.signal.from <= i && i <= p.signal.to, `${i} in ${p.signal.from}..${p.signal.to}`)
          const block = signalPoints(p.signal).map((k) => r.points[k])
          assert.ok(block.every((q) => q.value !== null && q.period === p.period))
          if (p.special_cause.startsWith('shift')) {
            assert.ok(block.length >= shiftN && block.every((q) => q.rules[bit.shift]))
          } else if (p.special_cause.startsWith('trend')) {
            assert.ok(block.length >= trendN && block.every((q) => q.rules[bit.trend]))
          } else if (p.special_cause.startsWith('two_in_three')) {
            assert.ok(block.length >= 3 && block.length <= 5)
          } else assert.equal(block.length, 1)
        })
      },
    ),
    RUNS,
  )
})

test('a longer shift_n or trend_n flags no point that a shorter one does not', () => {
  fc.assert(
    fc.property(values, fc.integer({ min: 2, max: 19 }), (ys, n) => {
      const at = (shift_n: number, trend_n: number): MdcResult =>
        analyse({ method: 'mdc', chart: 'i', points: points(ys), shift_n, trend_n }) as MdcResult
      const short = at(n, n)
      const long = at(n + 1, n + 1)
      long.points.forEach((p, i) => {
        if (p.rules.shift) assert.ok(short.points[i].rules.shift)
        if (p.rules.trend) assert.ok(short.points[i].rules.trend)
      })
    }),
    RUNS,
  )
})

test('the JSON written by qi spc is JSON.stringify of the result, with every option', () => {
  fc.assert(
    fc.property(
      values,
      fc.constantFrom('i', 'i_m', 'i_mm', 'run', 'c'),
      fc.boolean(),
      fc.integer({ min: 2, max: 20 }),
      (ys, chart, trajectory, n) => {
        const mdc = chart.startsWith('i')
        const request = {
          method: mdc ? 'mdc' : 'anhoej',
          chart,
          points: points([...ys.map((y) => (y === null || mdc ? y : Math.abs(y))), 3, 4, 5]),
          ...(trajectory ? { target: [...ys.map((y) => y), null, 1, 2] } : { target: 3 }),
          ...(mdc ? { shift_n: n, trend_n: 22 - n } : {}),
        }
        assert.equal([...analyseToJson(request)].join(''), `${JSON.stringify(analyse(request))}\n`)
      },
    ),
    RUNS,
  )
})
