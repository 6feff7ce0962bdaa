import type { SpcSuccess, XValue } from '../spc/index.js'
import { COLOURS } from './colours.js'
import { escapeXml } from '../core/escape.js'
import { formatX, formatXLong, xPosition } from './format.js'
import { layoutAxisEvents, layoutKey, type AxisLayout, type KeyEntry } from './labels.js'

/** A labelled event on the time axis (a change idea, a PDSA cycle, a rebase reason). */
export interface ChartAnnotation {
  x: XValue
  label: string
  /** What the event is; rebases and PDSA cycles are named so in the key. Default annotation. */
  kind?: 'annotation' | 'rebase' | 'pdsa'
  /** The caller's name for it (an annotation's id), handed back by `chartEvents`. */
  ref?: string
}

/** Where an event's x falls on the time axis, or NaN for one that is not a number or a date. */
function positionOf(x: XValue): number {
  return typeof x === 'number' || /^\d{4}-\d{2}-\d{2}$/.test(x) ? xPosition(x) : NaN
}

/**
 * The events a chart draws, in the order of its key (number k is the k-th): those within its
 * time axis, by time (ties in the order given), with a plain "Rebase" for each period start no
 * rebase annotation names. A page can list them with the same numbers.
 * @example chartEvents(result, [{ x: '2024-03-01', label: 'New triage' }])[0].label // 'New triage'
 */
export function chartEvents(
  result: SpcSuccess,
  annotations: readonly ChartAnnotation[],
): (ChartAnnotation & { number: number })[] {
  const xs = result.points.map((p) => xPosition(p.x))
  const all = [...annotations]
  let previous = -1
  result.points.forEach((p, k) => {
    if (k > 0 && p.period !== previous) {
      const named = annotations.some((a) => {
        if (a.kind !== 'rebase') return false
        const pos = positionOf(a.x)
        return pos > xs[k - 1] && pos <= xs[k]
      })
      if (!named) all.push({ x: p.x, label: 'Rebase: new limits from here', kind: 'rebase' })
    }
    previous = p.period
  })
  const min = Math.min(...xs)
  const max = Math.max(...xs)
  return all
    .map((a, i) => ({ a, i, pos: positionOf(a.x) }))
    .filter((e) => Number.isFinite(e.pos) && e.pos >= min && e.pos <= max)
    .sort((e, f) => e.pos - f.pos || e.i - f.i)
    .map((e, k) => ({ ...e.a, number: k + 1 }))
}

/** The events of a chart, placed: labels in rows under the axis and, when needed, the key. */
export interface EventPlan {
  events: { x: number; at: XValue; label: string; kind: NonNullable<ChartAnnotation['kind']> }[]
  layout: AxisLayout
  key: { top: number; entries: KeyEntry[] } | null
  /** Where the picture can end: below the last row of labels or the key. */
  bottom: number
}

const FONT_SIZE = 11
const ROW_TOP = 28
const ROW_HEIGHT = 17

function r(v: number): string {
  return String(Math.round(v * 10) / 10)
}

function dateOf(x: XValue, long = false): string {
  const style = typeof x === 'number' ? 'number' : 'day'
  return long ? formatXLong(x, style) : formatX(x, style)
}

/**
 * Places the chart's events (from `chartEvents`, drawn at `px`): labels under the axis at
 * `axisY`, and the key below them, across `left`–`right`.
 */
export function planEvents(
  events: readonly ChartAnnotation[],
  frame: { px: (x: number) => number; left: number; right: number; axisY: number },
): EventPlan | null {
  const placed = events.map((a) => ({
    x: frame.px(xPosition(a.x)),
    at: a.x,
    label: a.label,
    kind: a.kind ?? 'annotation',
  }))
  if (placed.length === 0) return null
  if (events.length === 0) return null
  const top = frame.axisY + ROW_TOP
  const layout = layoutAxisEvents(placed, {
    left: frame.left - 40,
    right: frame.right,
    top,
    fontSize: FONT_SIZE,
    rowHeight: ROW_HEIGHT,
  })
  let bottom = top + layout.rows * ROW_HEIGHT
  let key: EventPlan['key'] = null
  if (layout.key) {
    const keyTop = bottom + 28
    const width = frame.right - (frame.left - 40)
    const { entries, height } = layoutKey(
      layout.order.map((i, k) => `${k + 1}. ${dateOf(placed[i].at)}: ${placed[i].label}`),
      { left: frame.left - 40, width, top: keyTop, columns: width >= 600 ? 2 : 1, fontSize: FONT_SIZE },
    )
    key = { top: keyTop, entries }
    bottom = keyTop + height
  }
  return { events: placed, layout, key, bottom }
}

/** The events' markers, labels and key as SVG, within the plot from `plotTop` to `axisY`. */
export function drawEvents(plan: EventPlan, plotTop: number, axisY: number): string {
  const out = ['<g class="spc-annotations">']
  for (const e of plan.events) {
    out.push(
      `<line x1="${r(e.x)}" y1="${plotTop}" x2="${r(e.x)}" y2="${axisY}" stroke="${COLOURS.annotation}" stroke-width="1" stroke-dasharray="1 3"/>`,
      `<path d="M${r(e.x)} ${axisY}l-4 7h8z" fill="${COLOURS.annotation}"/>`,
    )
  }
  const numbers = plan.layout.mode === 'numbers'
  for (const label of plan.layout.labels) {
    const { box } = label
    if (label.to - label.from > 1)
      out.push(
        `<path d="M${r(label.from)} ${axisY + 10}H${r(label.to)}" stroke="${COLOURS.annotation}" stroke-width="1.5"/>`,
      )
    if (numbers)
      out.push(
        `<rect class="spc-event-label" x="${r(box.left)}" y="${r(box.top)}" width="${r(box.width)}" height="${r(box.height)}" rx="3" fill="${COLOURS.background}" stroke="${COLOURS.annotation}" stroke-width="1"/>`,
      )
    else
      out.push(
        `<rect class="spc-event-label" x="${r(box.left)}" y="${r(box.top)}" width="${r(box.width)}" height="${r(box.height)}" fill="none"/>`,
      )
    out.push(
      `<text x="${r(box.left + box.width / 2)}" y="${r(box.top + FONT_SIZE)}" text-anchor="middle" font-size="${FONT_SIZE}" fill="${COLOURS.annotation}">${escapeXml(label.text)}</text>`,
    )
  }
  if (plan.key) {
    out.push(
      `<text x="${r(plan.key.entries[0].box.left)}" y="${plan.key.top - 8}" font-size="12" font-weight="bold" fill="${COLOURS.text}">Key to the events</text>`,
    )
    for (const entry of plan.key.entries) {
      const { left, top } = entry.box
      const spans = entry.lines
        .map((line, i) => `<tspan x="${r(left)}" dy="${i === 0 ? 0 : 15}">${escapeXml(line)}</tspan>`)
        .join('')
      out.push(
        `<text class="spc-key-entry" x="${r(left)}" y="${r(top + FONT_SIZE)}" font-size="${FONT_SIZE}" fill="${COLOURS.text}">${spans}</text>`,
      )
    }
  }
  out.push('</g>')
  return out.join('\n')
}

const KIND_WORDS = { annotation: 'annotation', rebase: 'rebase', pdsa: 'PDSA cycle' } as const

/**
 * The events in words for the chart's text alternative: how they are shown (labels in rows, or
 * numbered markers and a key) and each one's date and full text, in time order.
 */
export function describeEvents(plan: EventPlan): string {
  const n = plan.events.length
  const how =
    plan.layout.mode === 'numbers'
      ? `${n === 1 ? 'One event is' : `${n} events are`} marked on the time axis with numbers in ${plan.layout.rows === 1 ? 'one row' : `${plan.layout.rows} rows`}, explained in the key below the chart`
      : `${n === 1 ? 'One event is' : `${n} events are`} labelled under the time axis${plan.layout.rows > 1 ? ` in ${plan.layout.rows} rows` : ''}${plan.layout.key ? ', numbered, with long labels shortened and given in full in the key below the chart' : ''}`
  const list = plan.layout.order
    .map((i, k) => {
      const e = plan.events[i]
      // "Rebase: …" and "PDSA: …" already say what they are
      const named = e.label.toLowerCase().startsWith(KIND_WORDS[e.kind].split(' ')[0].toLowerCase())
      return `${k + 1}, ${dateOf(e.at, true)}${named ? '' : ` (${KIND_WORDS[e.kind]})`}: ${e.label}`
    })
    .join('; ')
  return `${how}: ${list}.`
}
