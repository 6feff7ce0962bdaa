import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { analyse } from './index.js'
import type { AnhoejResult, MdcResult, SpcResult } from './types.js'

// Deterministic runs: a fixed seed, bounded numRuns, integer data (so float rounding cannot flip a signal).
const RUNS = { numRuns: 120, seed: 20240601 }
const values = fc.array(fc.option(fc.integer({ min: -500, max: 500 }), { freq: 8, nil: null }), {
  minLength: 1,
  maxLength: 40,
})
const points = (ys: (number | null)[]): { x: number; y: number | null }[] =>
  ys.map((y, i) => ({ x: i + 1, y }))
const LINES = ['centre', 'lcl', 'ucl', 'lcl_2sigma', 'ucl_2sigma'] as const

function close(a: number | null, b: number | null, scale: number): boolean {
  if (a === null || b === null) return a === b
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(scale), Math.abs(a), Math.abs(b))
}

function signals(r: SpcResult): string[] {
  if (!r.ok) return [r.error]
  if (r.method === 'mdc')
    return r.points.map((p) => `${p.special_cause}/${p.point_type}/${JSON.stringify(p.rules)}`)
  return [...r.points.map((p) => String(p.sigma_signal)), ...r.periods.map((p) => JSON.stringify(p.runs))]
}

const methods = fc.constantFrom(
  { method: 'mdc', chart: 'i' },
  { method: 'anhoej', chart: 'i' },
  { method: 'anhoej', chart: 'run' },
)

test('adding a constant shifts the centre and every line by it and changes no signal', () => {
  fc.assert(
    fc.property(values, fc.integer({ min: -1000, max: 1000 }), methods, fc.boolean(), (ys, c, m, screen) => {
      const a = analyse({ ...m, points: points(ys), screen_mr: screen })
      const b = analyse({
        ...m,
        points: points(ys.map((y) => (y === null ? null : y + c))),
        screen_mr: screen,
      })
      assert.ok(a.ok && b.ok)
      a.points.forEach((p, i) => {
        const q = b.points[i]
        for (const k of LINES) {
          const shifted = p[k] === null ? null : p[k] + c
          assert.ok(close(shifted, q[k], c), `${k} at ${i}: ${p[k]} + ${c} vs ${q[k]}`)
        }
      })
      assert.deepEqual(signals(b), signals(a))
    }),
    RUNS,
  )
})

test('multiplying by a positive constant scales every line and keeps every signal', () => {
  fc.assert(
    fc.property(values, fc.constantFrom(0.25, 0.5, 2, 4, 1024), methods, (ys, k, m) => {
      const a = analyse({ ...m, points: points(ys) })
      const b = analyse({ ...m, points: points(ys.map((y) => (y === null ? null : y * k))) })
      assert.ok(a.ok && b.ok)
      a.points.forEach((p, i) => {
        for (const key of LINES) {
          assert.ok(close(p[key] === null ? null : p[key] * k, b.points[i][key], k))
        }
      })
      assert.deepEqual(signals(b), signals(a))
    }),
    RUNS,
  )
})

test('swapping the improvement direction swaps improvement and concern', () => {
  const swap: Record<string, string> = {
    special_cause_improvement: 'special_cause_concern',
    special_cause_concern: 'special_cause_improvement',
    improvement_high: 'concern_high',
    concern_high: 'improvement_high',
    improvement_low: 'concern_low',
    concern_low: 'improvement_low',
    consistent_pass: 'consistent_fail',
    consistent_fail: 'consistent_pass',
    pass: 'fail',
    fail: 'pass',
  }
  const s = (v: string | null): string | null => (v === null ? null : (swap[v] ?? v))
  fc.assert(
    fc.property(values, fc.option(fc.integer({ min: -500, max: 500 })), (ys, target) => {
      const up = analyse({ method: 'mdc', chart: 'i', points: points(ys), target }) as MdcResult
      const down = analyse({
        method: 'mdc',
        chart: 'i',
        points: points(ys),
        target,
        improvement_direction: 'decrease',
      }) as MdcResult
      assert.deepEqual(
        down.points.map((p) => p.point_type),
        up.points.map((p) => s(p.point_type)),
      )
      assert.deepEqual(
        down.points.map((p) => p.special_cause),
        up.points.map((p) => p.special_cause),
      )
      assert.equal(down.variation_icon, s(up.variation_icon))
      assert.equal(down.assurance, s(up.assurance))
      assert.equal(down.assurance_icon, s(up.assurance_icon))
      assert.equal(down.periods[0].special_cause_improvement, up.periods[0].special_cause_concern)
    }),
    RUNS,
  )
})

const counts = fc.array(fc.option(fc.integer({ min: 0, max: 60 }), { freq: 8, nil: null }), {
  minLength: 1,
  maxLength: 30,
})
const anyChart = fc.constantFrom('run', 'i', 'mr', 'c', 'g', 't', 'u', 'p', 'pp', 'up', 'xbar', 's')

function requestFor(chart: string, ys: (number | null)[], seed: number): Record<string, unknown> {
  const pts = ys.map((y, i) => {
    const n = y === null ? 50 : y + ((seed + i * 7) % 40)
    if (chart === 'xbar' || chart === 's')
      return { x: i + 1, values: y === null ? [] : [y, (y * 3 + i) % 17, (y + seed) % 11] }
    if (chart === 't') return { x: i + 1, y: y === null ? null : y + 1 }
    if (['u', 'p', 'pp', 'up'].includes(chart)) return { x: i + 1, y, n: y === null ? null : n }
    return { x: i + 1, y }
  })
  return { method: 'anhoej', chart, points: pts }
}

test('lcl ≤ centre ≤ ucl wherever all three exist, for every chart', () => {
  fc.assert(
    fc.property(counts, anyChart, fc.nat(100), (ys, chart, seed) => {
      const r = analyse(requestFor(chart, ys, seed)) as AnhoejResult
      assert.ok(r.ok, JSON.stringify(r))
      for (const p of r.points) {
        if (p.lcl === null || p.ucl === null || p.centre === null) continue
        assert.ok(
          p.lcl <= p.centre + 1e-9 && p.centre <= p.ucl + 1e-9,
          `${chart}: ${p.lcl} ≤ ${p.centre} ≤ ${p.ucl}`,
        )
        if (p.lcl_2sigma !== null) assert.ok(p.lcl <= p.lcl_2sigma + 1e-9)
        if (p.ucl_2sigma !== null) assert.ok(p.ucl_2sigma <= p.ucl + 1e-9)
      }
    }),
    RUNS,
  )
})

test('the output never holds NaN or Infinity', () => {
  const finiteEverywhere = (v: unknown): boolean => {
    if (typeof v === 'number') return Number.isFinite(v)
    if (Array.isArray(v)) return v.every(finiteEverywhere)
    if (v && typeof v === 'object') return Object.values(v).every(finiteEverywhere)
    return true
  }
  fc.assert(
    fc.property(values, anyChart, fc.nat(100), fc.boolean(), (ys, chart, seed, screen) => {
      const request = {
        ...requestFor(
          chart,
          ys.map((y) => (y === null ? null : Math.abs(y) % 50)),
          seed,
        ),
        screen_mr: screen,
      }
      const r = analyse(request)
      assert.ok(finiteEverywhere(r))
      assert.ok(!/NaN|Infinity/.test(JSON.stringify(r)))
      const m = analyse({ method: 'mdc', chart: 'i', points: points(ys), screen_mr: screen })
      assert.ok(finiteEverywhere(m))
    }),
    RUNS,
  )
})
