import { test } from 'node:test'
import assert from 'node:assert/strict'
import { analyse, type AnhoejResult, type MdcPoint, type MdcResult, type SpcSuccess } from '../spc/index.js'
import { describeSpcResult } from './describe.js'
import { formatNumber, formatX, formatXLong, xStyleOf } from './format.js'
import { chartSignals, runsOf } from './signals.js'
import { intBetween, monthlyDates, seeded } from './test-helpers.js'

/** A series with the shapes real measures have: noise, shifts, trends and outliers. */
function series(rnd: () => number, n: number): number[] {
  const ys: number[] = []
  let level = 50
  for (let i = 0; i < n; i++) {
    const shape = rnd()
    if (shape < 0.06) level += (rnd() - 0.5) * 30
    if (shape > 0.97) {
      ys.push(level + (rnd() < 0.5 ? -1 : 1) * 40)
      continue
    }
    if (shape > 0.93 && i + 8 < n) {
      const step = (rnd() < 0.5 ? -1 : 1) * (1 + rnd() * 3)
      for (let k = 0; k < 8 && i < n; k++, i++) ys.push(level + step * k)
      level += step * 7
      i--
      continue
    }
    ys.push(Math.round((level + (rnd() - 0.5) * 10) * 10) / 10)
  }
  return ys.slice(0, n)
}

const labelOf = (result: SpcSuccess, k: number) =>
  formatX(result.points[k].x, xStyleOf(result.points.map((p) => p.x)))
const longOf = (result: SpcSuccess, k: number) =>
  formatXLong(result.points[k].x, xStyleOf(result.points.map((p) => p.x)))

/**
 * Checks that the last `count` points of the latest period pass `test` and that the point before
 * them does not (or is in another period, or missing), and that "since" names the first of them.
 */
function assertStreak(
  result: MdcResult,
  count: number,
  since: string | undefined,
  pass: (p: MdcPoint) => boolean,
  what: string,
): void {
  const pts = result.points
  const last = pts.length - 1
  assert.ok(count >= 1, `${what}: a count`)
  for (let k = last - count + 1; k <= last; k++) {
    assert.equal(pts[k].period, pts[last].period, `${what}: point ${k} is in the latest period`)
    assert.ok(pts[k].value !== null && pass(pts[k]), `${what}: point ${k} (${String(pts[k].x)}) passes`)
  }
  const before = pts[last - count]
  if (before && before.period === pts[last].period && before.value !== null)
    assert.ok(!pass(before), `${what}: the point before the ${count} does not pass`)
  if (since !== undefined) assert.equal(since, longOf(result, last - count + 1), `${what}: since`)
}

function checkMdc(result: MdcResult, text: string, where: string): void {
  const pts = result.points
  const last = pts[pts.length - 1]
  const period = result.periods[result.periods.length - 1]
  const TYPES: Record<MdcPoint['point_type'], string> = {
    common_cause: 'Common cause variation',
    special_cause_improvement: 'Special cause improvement',
    special_cause_concern: 'Special cause concern',
    special_cause_neutral_high: 'Special cause variation (neutral, high)',
    special_cause_neutral_low: 'Special cause variation (neutral, low)',
  }
  assert.ok(text.startsWith(`${TYPES[last.point_type]}: `), `${where}: opens with the latest point's type`)
  const at = /the latest point \(([^)]+)\)/.exec(text)
  if (at) assert.equal(at[1], labelOf(result, pts.length - 1), `${where}: the latest point`)
  let claims = 0
  // "the latest 7 points (since …) are below the lower process limit"
  for (const m of text.matchAll(
    /the latest (\d+) points \(since ([^)]+)\) are (above the upper|below the lower) process limit/g,
  )) {
    claims++
    const above = m[3].startsWith('above')
    assertStreak(
      result,
      Number(m[1]),
      m[2],
      (p) => (above ? p.ucl !== null && p.value! > p.ucl : p.lcl !== null && p.value! < p.lcl),
      `${where}: beyond a limit`,
    )
  }
  const single = /the latest point \([^)]+\) is (above the upper|below the lower) process limit/.exec(text)
  if (single) {
    claims++
    const above = single[1].startsWith('above')
    assertStreak(
      result,
      1,
      undefined,
      (p) => (above ? p.ucl !== null && p.value! > p.ucl : p.lcl !== null && p.value! < p.lcl),
      `${where}: beyond a limit`,
    )
  }
  // "part of a run of 12 points below the mean since 20 July 2026"
  for (const m of text.matchAll(
    /part of a run of (\d+) points? (above|below) the mean since ([^;.]+?)(?=;| and |\.)/g,
  )) {
    claims++
    const above = m[2] === 'above'
    assertStreak(
      result,
      Number(m[1]),
      m[3],
      (p) => p.centre !== null && (above ? p.value! > p.centre : p.value! < p.centre),
      `${where}: run ${m[2]} the mean`,
    )
    assert.ok(last.rules.shift, `${where}: a run is claimed only when the shift rule fired`)
    assert.ok(Number(m[1]) >= result.rule_set.shift_n, `${where}: a shift is shift_n or more points`)
  }
  // "part of a decreasing trend of 8 points since …"
  for (const m of text.matchAll(
    /part of (an increasing|a decreasing) trend of (\d+) points? since ([^;.]+?)(?=;| and |\.)/g,
  )) {
    claims++
    const dir = m[1] === 'an increasing' ? 1 : -1
    const count = Number(m[2])
    const lastK = pts.length - 1
    for (let k = lastK - count + 2; k <= lastK; k++)
      assert.ok(dir * (pts[k].value! - pts[k - 1].value!) > 0, `${where}: trend step at ${k}`)
    const k0 = lastK - count + 1
    if (k0 > 0 && pts[k0 - 1].period === last.period && pts[k0 - 1].value !== null)
      assert.ok(
        !(dir * (pts[k0].value! - pts[k0 - 1].value!) > 0),
        `${where}: the trend starts where it says`,
      )
    assert.equal(m[3], longOf(result, k0), `${where}: trend since`)
    assert.ok(
      last.rules.trend && count >= result.rule_set.trend_n,
      `${where}: a trend only when the rule fired`,
    )
  }
  const near = /(\d) of the last 3 points are beyond the 2-sigma line, all (above|below) the mean/.exec(text)
  if (near) {
    claims++
    const above = near[2] === 'above'
    const three = pts.slice(-3)
    assert.ok(three.every((p) => p.centre !== null && (above ? p.value! > p.centre : p.value! < p.centre)))
    const count = three.filter((p) =>
      above ? p.value! > p.ucl_2sigma! && p.value! <= p.ucl! : p.value! < p.lcl_2sigma! && p.value! >= p.lcl!,
    ).length
    assert.equal(Number(near[1]), count, `${where}: 2 of 3`)
  }
  if (last.special_cause !== 'none' && last.value !== null)
    assert.ok(claims >= 1, `${where}: the signal is explained`)
  else assert.equal(claims, 0, `${where}: no signal claimed`)
  // the latest period: its points, mean, limits and special-cause counts
  const scope = /In the latest of (\d+) periods \(since the rebase at ([^,]+), (\d+) points?\)/.exec(text)
  if (result.periods.length > 1) {
    assert.ok(scope, `${where}: names the latest period`)
    assert.equal(Number(scope[1]), result.periods.length)
    assert.equal(scope[2], formatXLong(period.first_x, xStyleOf(pts.map((p) => p.x))))
    assert.equal(Number(scope[3]), pts.filter((p) => p.period === period.period).length)
  } else assert.match(text, new RegExp(`Over ${pts.length} points? the mean`))
  assert.ok(text.includes(`the mean is ${formatNumber(period.centre)}`), `${where}: the mean`)
  if (period.lcl !== null && period.ucl !== null)
    assert.ok(text.includes(`process limits ${formatNumber(period.lcl)} to ${formatNumber(period.ucl)}`))
  const inPeriod = pts.filter((p) => p.period === period.period)
  const special = inPeriod.filter((p) => p.special_cause !== 'none')
  const counts = /; (\d+) points? with special cause(?: \(([^)]*)\))?\./.exec(text)
  assert.ok(counts, `${where}: counts`)
  assert.equal(Number(counts[1]), special.length, `${where}: special-cause points in the latest period`)
  const kinds = Object.fromEntries(
    (counts[2] ?? '')
      .split(', ')
      .filter(Boolean)
      .map((s) => [s.split(' ')[1], Number(s.split(' ')[0])]),
  )
  assert.equal(
    kinds.improvement ?? 0,
    special.filter((p) => p.point_type === 'special_cause_improvement').length,
  )
  assert.equal(kinds.concern ?? 0, special.filter((p) => p.point_type === 'special_cause_concern').length)
  assert.equal(
    kinds.neutral ?? 0,
    special.filter((p) => p.point_type.startsWith('special_cause_neutral')).length,
  )
  // the target
  const assurance = {
    consistent_pass: 'is consistently met',
    consistent_fail: 'is consistently not met',
    inconsistent: 'will be met inconsistently',
  }
  for (const [k, words] of Object.entries(assurance))
    assert.equal(text.includes(words), result.assurance === k, `${where}: ${k}`)
}

function checkAnhoej(
  result: AnhoejResult,
  text: string,
  where: string,
  direction: 'increase' | 'decrease' | 'neutral',
): void {
  const period = result.periods[result.periods.length - 1]
  const pts = result.points.filter((p) => p.period === period.period)
  const signals = chartSignals(result, direction)
  const outside = pts.filter((p) => p.sigma_signal)
  if (result.chart !== 'run') {
    if (outside.length === 0) assert.ok(text.includes('no point is outside the control limits'))
    else {
      const m =
        /(\d+) points? outside the control limits \((\d+) above, (\d+) below; the latest ([^)]+)\)/.exec(text)
      assert.ok(m, `${where}: sigma signals`)
      assert.equal(Number(m[1]), outside.length)
      assert.equal(Number(m[2]), outside.filter((p) => p.value! > p.ucl!).length)
      assert.equal(Number(m[3]), outside.filter((p) => p.value! < p.lcl!).length)
      const style = xStyleOf(result.points.map((p) => p.x))
      assert.equal(
        m[4],
        outside
          .slice(-3)
          .map((p) => formatX(p.x, style))
          .join(', '),
      )
    }
  }
  const run =
    /a run of (\d+) points (above|below) the (?:median|centre line) \(more than (\d+)\) from (.+?) to (.+?)(?=;| and |\.)/.exec(
      text,
    )
  const runs = runsOf(result).filter((r) => r.period === period.period)
  const longest = runs.reduce((a, b) => (b.points.length > a.points.length ? b : a), runs[0])
  if (period.runs.longest_run !== null && period.runs.longest_run > period.runs.longest_run_max!) {
    assert.ok(run, `${where}: the long run`)
    assert.equal(Number(run[1]), period.runs.longest_run)
    assert.equal(Number(run[1]), longest.points.length)
    assert.equal(run[2], longest.side > 0 ? 'above' : 'below')
    assert.equal(Number(run[3]), period.runs.longest_run_max)
    assert.equal(run[4], longOf(result, longest.points[0]))
    assert.equal(run[5], longOf(result, longest.points[longest.points.length - 1]))
  } else assert.equal(run, null, `${where}: no long run claimed`)
  const special = /(\d+) points? with special cause \(([^)]*)\)/.exec(text)
  const classes = signals.classes.filter((_, k) => result.points[k].period === period.period)
  const n = classes.filter((c) => c === 'improvement' || c === 'concern' || c === 'neutral').length
  if (n === 0) assert.equal(special, null)
  else {
    assert.ok(special)
    assert.equal(Number(special[1]), n)
    for (const part of special[2].split(', ')) {
      const [count, kind] = part.split(' ')
      assert.equal(Number(count), classes.filter((c) => c === kind).length, `${where}: ${kind}`)
    }
  }
}

test('every claim in the description is true of the engine result it describes (seeded)', () => {
  for (let seed = 1; seed <= 600; seed++) {
    const rnd = seeded(seed)
    const n = intBetween(rnd, 2, 90)
    const dates = monthlyDates(n)
    const ys = series(rnd, n)
    const direction = (['increase', 'decrease', 'neutral'] as const)[intBetween(rnd, 0, 2)]
    const rebase = n > 20 && rnd() < 0.5 ? [dates[intBetween(rnd, 6, n - 6)]] : []
    const target = rnd() < 0.5 ? Math.round(ys[0] + (rnd() - 0.5) * 40) : null
    const points = dates.map((x, i) => ({ x, y: rnd() < 0.03 ? null : ys[i] }))
    const mdc = analyse({
      method: 'mdc',
      chart: 'i',
      points,
      improvement_direction: direction,
      target,
      rebase,
    })
    assert.ok(mdc.ok, `seed ${seed}`)
    assert.equal(mdc.method, 'mdc')
    checkMdc(mdc, describeSpcResult(mdc), `seed ${seed} (mdc)`)
    for (const chart of ['i', 'run', 'c'] as const) {
      const values = chart === 'c' ? ys.map((y) => Math.max(0, Math.round(y))) : ys
      const anh = analyse({
        method: 'anhoej',
        chart,
        points: dates.map((x, i) => ({ x, y: values[i] })),
        rebase,
        target,
      })
      assert.ok(anh.ok, `seed ${seed} ${chart}`)
      assert.equal(anh.method, 'anhoej')
      checkAnhoej(anh, describeSpcResult(anh, { direction }), `seed ${seed} (${chart})`, direction)
    }
  }
})

test('a run before a limit is counted by its own rule, in its own period (issue 17)', () => {
  // 12 steady points, a falling trend from above the mean, then 7 points below the lower limit
  const ys = [
    50, 52, 48, 51, 49, 50, 52, 48, 51, 49, 50, 52, 60, 56, 52, 48, 44, 40, 30, 30, 30, 30, 30, 30, 30,
  ]
  const dates = monthlyDates(ys.length, 2026)
  const r = analyse({
    method: 'mdc',
    chart: 'i',
    points: dates.map((x, i) => ({ x, y: ys[i] })),
  }) as MdcResult
  const text = describeSpcResult(r)
  assert.match(
    text,
    /^Special cause concern: the latest 7 points \(since July 2027\) are below the lower process limit/,
  )
  assert.doesNotMatch(text, /13 points/)
  checkMdc(r, text, 'hand case')
})
