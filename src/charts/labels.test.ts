import { test } from 'node:test'
import assert from 'node:assert/strict'
import { analyse, type SpcSuccess } from '../spc/index.js'
import { boxesIntersect, layoutAxisEvents, layoutKey, shortenText, textWidth, type Box } from './labels.js'
import { renderSpcChartSvg } from './svg.js'
import { intBetween, monthlyDates, randomLabel, seeded } from './test-helpers.js'

function assertApart(boxes: Box[], what: string): void {
  for (let a = 0; a < boxes.length; a++)
    for (let b = a + 1; b < boxes.length; b++)
      assert.ok(!boxesIntersect(boxes[a], boxes[b]), `${what}: boxes ${a} and ${b} intersect`)
}

/** Positions of n events along [left, right]: spread, clustered, or all on one date. */
function positions(rnd: () => number, n: number, left: number, right: number): number[] {
  const shape = intBetween(rnd, 0, 2)
  const centre = left + rnd() * (right - left)
  return Array.from({ length: n }, () =>
    shape === 0
      ? left + rnd() * (right - left)
      : shape === 1
        ? Math.min(right, Math.max(left, centre + (rnd() - 0.5) * 60))
        : centre,
  )
}

test('no two event labels intersect, for random densities (seeded)', () => {
  for (let seed = 1; seed <= 400; seed++) {
    const rnd = seeded(seed)
    const left = intBetween(rnd, 0, 80)
    const right = left + intBetween(rnd, 120, 1200)
    const n = [0, 1, 2, 5, 12, 40, 70, 300][intBetween(rnd, 0, 7)]
    const xs = positions(rnd, n, left, right)
    const events = xs.map((x) => ({ x, label: randomLabel(rnd, intBetween(rnd, 1, 300)) }))
    const layout = layoutAxisEvents(events, { left, right, top: 400 })
    const boxes = layout.labels.map((l) => l.box)
    assertApart(boxes, `seed ${seed}, ${n} events`)
    for (const b of boxes)
      assert.ok(b.left >= left - 1e-9 && b.left + b.width <= right + 1e-9, `seed ${seed}: inside`)
    // every event is shown exactly once, in time order
    const numbers = layout.labels.flatMap((l) => l.numbers)
    assert.deepEqual(
      numbers,
      Array.from({ length: n }, (_, k) => k + 1),
      `seed ${seed}: each event once`,
    )
    assert.ok(layout.rows <= 3, `seed ${seed}: at most 3 rows`)
    assert.ok(layout.order.every((i, k) => k === 0 || events[layout.order[k - 1]].x <= events[i].x))
    if (layout.mode === 'labels')
      for (const l of layout.labels) assert.ok(textWidth(l.text, 11) <= 150 + textWidth('300 ', 11) + 1)
    // the key's entries do not overlap either, and each line fits its column
    const key = layoutKey(
      layout.order.map((i, k) => `${k + 1}. ${events[i].label}`),
      { left, width: right - left, top: 500, columns: right - left >= 600 ? 2 : 1 },
    )
    assertApart(
      key.entries.map((e) => e.box),
      `seed ${seed}: key`,
    )
    const column = key.entries[0]?.box.width ?? 0
    for (const e of key.entries)
      for (const line of e.lines) assert.ok([...line].length === 1 || textWidth(line, 11) <= column + 1e-9)
  }
})

test('a long label is shortened with "…" and the chart then has a key', () => {
  assert.equal(shortenText('Short', 150, 11), 'Short')
  const long = 'Started the pharmacy-led medicines reconciliation on every admission to ward 4'
  const short = shortenText(long, 150, 11)
  assert.ok(short.endsWith('…') && textWidth(short, 11) <= 150)
  const layout = layoutAxisEvents([{ x: 300, label: long }], { left: 0, right: 800, top: 0 })
  assert.equal(layout.mode, 'labels')
  assert.ok(layout.key)
  assert.ok(layout.labels[0].text.startsWith('1 '))
})

test('on the drawn chart, labels, key and target label never overlap, and the target label is off the data', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const rnd = seeded(seed)
    const n = intBetween(rnd, 12, 120)
    const dates = monthlyDates(n)
    const r = analyse({
      method: 'mdc',
      chart: 'i',
      points: dates.map((x) => ({ x, y: 50 + rnd() * 10 })),
      target: 52,
      rebase: [dates[Math.floor(n / 2)]],
    }) as SpcSuccess
    const annotations = Array.from({ length: [1, 5, 40, 70][intBetween(rnd, 0, 3)] }, () => ({
      x: dates[intBetween(rnd, 0, n - 1)].replace(/01$/, String(intBetween(rnd, 1, 28)).padStart(2, '0')),
      label: randomLabel(rnd, 120),
      kind: (['annotation', 'pdsa', 'rebase'] as const)[intBetween(rnd, 0, 2)],
    }))
    const width = [320, 640, 800][intBetween(rnd, 0, 2)]
    const svg = renderSpcChartSvg(r, { annotations, width })
    const rects = [
      ...svg.matchAll(
        /class="spc-event-label" x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g,
      ),
    ].map((m) => ({ left: Number(m[1]), top: Number(m[2]), width: Number(m[3]), height: Number(m[4]) }))
    assert.ok(rects.length > 0)
    assertApart(rects, `chart seed ${seed}`)
    const target = /class="spc-target-label" x="([\d.]+)"/.exec(svg)
    const lastPoint = Math.max(
      ...[...svg.matchAll(/class="spc-point[^"]*" cx="([\d.]+)"/g)].map((m) => Number(m[1])),
    )
    assert.ok(target && Number(target[1]) > lastPoint + 4, `seed ${seed}: target label right of every point`)
    const height = Number(/viewBox="0 0 \d+ (\d+)"/.exec(svg)?.[1])
    for (const b of rects) assert.ok(b.top + b.height <= height && b.left >= 0 && b.left + b.width <= width)
  }
})
