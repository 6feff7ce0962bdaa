import { test } from 'node:test'
import assert from 'node:assert/strict'
import { analyse } from '../spc/index.js'
import type { SpcSuccess } from '../spc/index.js'
import {
  describeSpcResult,
  renderAssuranceIcon,
  renderSpcChartSvg,
  renderVariationIcon,
  spcTableRows,
} from './index.js'
import { escapeXml } from '../core/escape.js'
import { formatNumber, formatX, niceTicks } from './format.js'
import { renderPng } from './png.js'

const VIGNETTE = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
const monthly = (ys: number[]): { x: string; y: number }[] =>
  ys.map((y, i) => ({ x: `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`, y }))

function result(request: unknown): SpcSuccess {
  const r = analyse(request)
  assert.ok(r.ok)
  return r
}

/** A tiny well-formedness check: tags balance, attributes are quoted, no raw < or & in text. */
function assertWellFormed(svg: string): void {
  const stack: string[] = []
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g
  let last = 0
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    const text = svg.slice(last, m.index)
    assert.ok(
      !/[<>]/.test(text) && !/&(?!amp;|lt;|gt;|quot;|#39;)/.test(text),
      `raw markup in text: ${text.slice(0, 60)}`,
    )
    last = tag.lastIndex
    const [, close, name, , self] = m
    if (self) continue
    if (close) assert.equal(stack.pop(), name, `closing </${name}>`)
    else stack.push(name)
  }
  assert.deepEqual(stack, [], 'every tag closed')
  assert.equal(svg.slice(last).trim(), '', 'nothing after the root')
}

test('the chart is well-formed, accessible SVG with a title and a description in words', () => {
  const svg = renderSpcChartSvg(result({ method: 'mdc', chart: 'i', points: monthly(VIGNETTE) }), {
    title: 'Falls per day',
  })
  assertWellFormed(svg)
  assert.match(svg, /^<svg [^>]*role="img"[^>]*aria-labelledby="spc-chart-title spc-chart-desc"/)
  assert.ok(svg.includes('<title id="spc-chart-title">Falls per day</title>'))
  assert.match(svg, /<desc id="spc-chart-desc">Falls per day\. Common cause variation: [^<]+<\/desc>/)
})

test('user text is escaped everywhere, so a <script> in a title stays text', () => {
  const evil = '<script>alert("x")</script> & "quotes"'
  const svg = renderSpcChartSvg(result({ method: 'mdc', chart: 'i', points: monthly(VIGNETTE) }), {
    title: evil,
    yLabel: evil,
    annotations: [{ x: '2023-03-01', label: evil }],
    id: 'x"><script>',
  })
  assert.ok(!svg.includes('<script'))
  assert.ok(svg.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;'))
  assertWellFormed(svg)
  assert.equal(escapeXml('a\u0000b<'), 'ab&lt;')
})

test('special cause points take the Making Data Count colours', () => {
  const improvement = renderSpcChartSvg(result({ method: 'mdc', chart: 'i', points: monthly(VIGNETTE) }))
  assert.match(improvement, /class="spc-point spc-point--improvement"[^>]*fill="#41B6E6"/)
  assert.match(improvement, /class="spc-point spc-point--common"[^>]*fill="#768692"/)
  const concern = renderSpcChartSvg(
    result({ method: 'mdc', chart: 'i', points: monthly(VIGNETTE), improvement_direction: 'decrease' }),
  )
  assert.match(concern, /spc-point--concern"[^>]*fill="#ED8B00"/)
  const neutral = renderSpcChartSvg(
    result({ method: 'mdc', chart: 'i', points: monthly(VIGNETTE), improvement_direction: 'neutral' }),
  )
  assert.match(neutral, /spc-point--neutral"[^>]*fill="#330072"/)
})

test('every chart type colours its special causes from the direction and shows the icons', () => {
  const anhoej = (chart: string, direction: 'increase' | 'decrease' | 'neutral', target?: number) =>
    renderSpcChartSvg(result({ method: 'anhoej', chart, points: monthly(VIGNETTE) }), { direction, target })
  assert.match(anhoej('i', 'decrease'), /spc-point--concern"[^>]*fill="#ED8B00"/)
  assert.match(anhoej('c', 'increase'), /spc-point--improvement"[^>]*fill="#41B6E6"/)
  assert.match(anhoej('c', 'neutral'), /spc-point--neutral"[^>]*fill="#330072"/)
  // the latest point shows no special cause; a target of 20 lies above the upper limit
  const c = anhoej('c', 'decrease', 20)
  assert.ok(c.includes('spc-icon--variation-common_cause'))
  assert.ok(c.includes('spc-icon--assurance-pass'))
  // a run of 11 points above the median (3; more than 7 of the 17 off it) is a special cause
  const ys = [3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 9, 8, 9, 8, 9, 8, 9, 8, 9, 8, 9]
  const run = renderSpcChartSvg(result({ method: 'anhoej', chart: 'run', points: monthly(ys) }), {
    direction: 'increase',
  })
  assert.equal((run.match(/spc-point--improvement"/g) ?? []).length, 11)
  assert.ok(run.includes('spc-icon--variation-improvement_high'))
  assert.ok(run.includes('class="spc-rule-set"'))
  assert.match(run, /a run of 11 points above the median \(more than 7\) from January 2024 to November 2024/)
})

test('p, u, c, g, t, x̄, s and run charts colour a high special cause and show its icon', () => {
  const base = [5, 6, 5, 7, 6, 5, 6, 7, 5, 6, 5, 6, 7, 6, 5, 6, 5, 7, 6]
  const months = monthly([...base, 0]).map((p) => p.x)
  const requests: Record<string, unknown[]> = {
    p: [...base.map((y) => ({ y, n: 50 })), { y: 40, n: 50 }],
    u: [...base.map((y) => ({ y, n: 50 })), { y: 40, n: 50 }],
    c: [...base.map((y) => ({ y })), { y: 40 }],
    g: [...base.map((y) => ({ y })), { y: 400 }],
    t: [...base.map((y) => ({ y })), { y: 400 }],
    xbar: [...base.map((y) => ({ values: [y, y + 1, y - 1] })), { values: [40, 41, 39] }],
    s: [...base.map((y) => ({ values: [y, y + 1, y - 1] })), { values: [5, 60, -50] }],
    run: [
      ...Array.from({ length: 12 }, () => ({ y: 1 })),
      ...Array.from({ length: 12 }, (_, i) => ({ y: 10 + i })),
    ],
  }
  for (const [chart, points] of Object.entries(requests)) {
    const r = result({
      method: 'anhoej',
      chart,
      points: points.map((p, i) => ({ x: chart === 'run' ? i + 1 : months[i], ...(p as object) })),
    })
    const svg = renderSpcChartSvg(r, { direction: 'increase' })
    assertWellFormed(svg)
    assert.match(svg, /spc-point spc-point--improvement"[^>]*fill="#41B6E6"/, `${chart}: a blue point`)
    assert.ok(svg.includes('spc-icon--variation-improvement_high'), `${chart}: the variation icon`)
    const concern = renderSpcChartSvg(r, { direction: 'decrease', target: 1 })
    assert.match(concern, /spc-point--concern"[^>]*fill="#ED8B00"/, `${chart}: orange when lower is better`)
    if (chart !== 'run')
      assert.match(concern, /spc-icon--assurance-/, `${chart}: the assurance icon with a target`)
    assert.match(svg, /class="spc-rule-set"[^>]*>Anhøj rules/)
  }
})

test('process lines break at a rebase and a separator marks the new period', () => {
  const ys = [1, 2, 1, 2, 1, 2, 11, 12, 11, 12, 11]
  const svg = renderSpcChartSvg(
    result({ method: 'mdc', chart: 'i', points: monthly(ys), rebase: ['2023-07-01'], target: 5 }),
  )
  assertWellFormed(svg)
  assert.equal((svg.match(/class="spc-centre"/g) ?? []).length, 2, 'one centre line per period')
  assert.equal((svg.match(/class="spc-rebase"/g) ?? []).length, 1)
  // the data line restarts (a second M) in the new period
  const data = /class="spc-data" d="([^"]+)"/.exec(svg)?.[1] ?? ''
  assert.equal((data.match(/M/g) ?? []).length, 2)
  assert.ok(svg.includes('class="spc-target"'))
})

test('annotations are drawn on the time axis with their labels; dates read like "Mar 2024"', () => {
  const svg = renderSpcChartSvg(result({ method: 'mdc', chart: 'i', points: monthly(VIGNETTE) }), {
    annotations: [{ x: '2023-06-01', label: 'PDSA 1: new triage' }],
  })
  assert.ok(svg.includes('class="spc-annotations"'))
  assert.ok(svg.includes('>PDSA 1: new triage</text>'))
  assert.match(
    svg,
    /One event is labelled under the time axis: 1, 1 June 2023 \(annotation\): PDSA 1: new triage\./,
  )
  assert.ok(svg.includes('>Jan 2023</text>'))
  assert.equal(formatX('2024-03-01', 'month'), 'Mar 2024')
  assert.equal(formatX('2021-03-22', 'day'), '22 Mar 2021')
})

test('the variation and assurance icons are drawn on the chart and on their own', () => {
  const svg = renderSpcChartSvg(result({ method: 'mdc', chart: 'i', points: monthly(VIGNETTE), target: 10 }))
  assert.ok(svg.includes('spc-icon--variation-common_cause'))
  assert.ok(svg.includes('spc-icon--assurance-fail'))
  for (const name of [
    'common_cause',
    'improvement_high',
    'improvement_low',
    'concern_high',
    'concern_low',
    'neutral_high',
    'neutral_low',
  ] as const) {
    const icon = renderVariationIcon(name)
    assertWellFormed(icon)
    assert.ok(icon.includes('role="img"'))
  }
  assert.ok(renderVariationIcon('improvement_high').includes('>H</text>'))
  assert.ok(renderVariationIcon('concern_low').includes('#ED8B00'))
  assert.ok(
    renderAssuranceIcon('pass').includes('>P</text>') && renderAssuranceIcon('pass').includes('#41B6E6'),
  )
  assert.ok(
    renderAssuranceIcon('fail').includes('>F</text>') && renderAssuranceIcon('fail').includes('#ED8B00'),
  )
  assert.ok(renderAssuranceIcon('inconsistent').includes('>?</text>'))
})

test('the description says in words what the chart shows', () => {
  // mean 100/17 = 5.88; AMR 53/16 = 3.31, limits −2.93 … 14.7; the last eight (8, then 6s and 7s) are above the mean
  const ys = [3, 8, 3, 8, 3, 8, 3, 8, 3, 8, 6, 7, 6, 7, 6, 7, 6]
  const r = result({ method: 'mdc', chart: 'i', points: monthly(ys), target: -5 })
  assert.equal(
    describeSpcResult(r).split('. ')[0],
    'Special cause improvement: the latest point (May 2024) is part of a run of 8 points above the mean since October 2023; the target of -5 is consistently met',
  )
  const run = result({
    method: 'anhoej',
    chart: 'run',
    points: monthly([5, 6, 7, 6, 7, 8, 7, 1, 2, 1, 2, 3, 2, 1, 6, 7, 8, 7, 6, 7]),
  })
  assert.match(describeSpcResult(run), /too few crossings of the median \(3, fewer than 4\)/)
})

test('table rows give every point with its signal in words', () => {
  const rows = spcTableRows(result({ method: 'mdc', chart: 'i', points: monthly(VIGNETTE) }))
  assert.equal(rows.length, 18)
  assert.equal(rows[4].label, 'May 2023')
  assert.equal(rows[4].signal, 'Special cause improvement: above the upper process limit')
  assert.equal(rows[0].signal, 'None')
  const anh = spcTableRows(
    result({ method: 'anhoej', chart: 'i', points: monthly(VIGNETTE), exclude: ['2023-02-01'] }),
  )
  assert.equal(anh[4].signal, 'Special cause variation (neutral): above the upper control limit')
  assert.equal(anh[1].signal, 'Excluded from calculations')
})

test('numbers and ticks are formatted for people', () => {
  assert.equal(formatNumber(1234.5678), '1,235')
  assert.equal(formatNumber(0.0904109589), '0.09041')
  assert.equal(formatNumber(null), '–')
  assert.deepEqual(niceTicks(0, 10, 6), [0, 2, 4, 6, 8, 10])
})

test('a PNG starts with the PNG signature', () => {
  const png = renderPng(renderSpcChartSvg(result({ method: 'mdc', chart: 'i', points: monthly(VIGNETTE) })))
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
})

test('a target trajectory is drawn as a line through each point that has a target, labelled with the latest', () => {
  const ys = [20, 22, 19, 21, 23, 20, 22, 21, 19, 20, 22, 21, 20, 23, 21]
  // A falling target, none for the first three months (a trajectory may start late).
  const trajectory = ys.map((_, i) => (i < 3 ? null : 30 - i))
  const r = result({
    method: 'mdc',
    chart: 'i',
    points: monthly(ys),
    improvement_direction: 'increase',
    target: trajectory,
  })
  assert.deepEqual(r.target_trajectory, trajectory)
  const svg = renderSpcChartSvg(r, { title: 'Falling target' })
  assertWellFormed(svg)
  const path = /<path class="spc-target spc-target-trajectory" d="([^"]+)"/.exec(svg)
  assert.ok(path, 'the trajectory line')
  // One move and a line to each later point: 12 points with a target, one unbroken run.
  assert.equal((path[1].match(/M/g) ?? []).length, 1)
  assert.equal((path[1].match(/L/g) ?? []).length, 11)
  assert.match(svg, /<tspan[^>]*>Target<\/tspan><tspan[^>]*>16<\/tspan>/)
  assert.doesNotMatch(svg, /<line class="spc-target"/, 'no constant target line')
  const words = describeSpcResult(r, { direction: 'increase' })
  assert.match(words, /the target trajectory \(latest target 16\) will be met inconsistently/)
})

test('a trajectory with gaps breaks its line at each point without a target', () => {
  const ys = [5, 6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5]
  const trajectory = ys.map((_, i) => (i === 4 || i === 5 ? null : 8))
  const svg = renderSpcChartSvg(
    result({
      method: 'mdc',
      chart: 'i',
      points: monthly(ys),
      improvement_direction: 'increase',
      target: trajectory,
    }),
  )
  const path = /<path class="spc-target spc-target-trajectory" d="([^"]+)"/.exec(svg)
  assert.ok(path)
  assert.equal((path[1].match(/M/g) ?? []).length, 2, 'two runs around the gap')
})
