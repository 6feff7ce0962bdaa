import type { SpcSuccess } from '../spc/index.js'
import { COLOURS } from './colours.js'
import { describeSpcResult, ruleSetWords } from './describe.js'
import type { DescribeOptions } from './describe.js'
import { escapeXml } from '../core/escape.js'
import { formatNumber, formatX, niceTicks, xPosition, xStyleOf } from './format.js'
import {
  ASSURANCE_ICON_LABELS,
  VARIATION_ICON_LABELS,
  assuranceIconBody,
  variationIconBody,
} from './icons.js'
import { shortenText } from './labels.js'
import { latestTarget } from './trajectory.js'
import { chartSignals, type PointClass } from './signals.js'
import { chartEvents, describeEvents, drawEvents, planEvents, type ChartAnnotation } from './svg-events.js'

export type { ChartAnnotation } from './svg-events.js'

export interface ChartOptions extends DescribeOptions {
  width?: number
  height?: number
  annotations?: readonly ChartAnnotation[]
  /** Draw the 2-sigma lines (dotted). Default false. */
  showSigmaLines?: boolean
  /** Draw the variation and assurance icons. Default true. */
  showIcons?: boolean
  /** Prefix of element ids, unique on the page when several charts are shown. Default "spc-chart". */
  id?: string
}

const FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
const ICON = 44

/** Rounds a coordinate to 0.1 px: shorter SVG, no visible difference. */
function r(v: number): string {
  return String(Math.round(v * 10) / 10)
}

const CLASS_FILL: Record<PointClass, string> = {
  common: COLOURS.commonCause,
  improvement: COLOURS.improvement,
  concern: COLOURS.concern,
  neutral: COLOURS.neutral,
  excluded: COLOURS.background,
  missing: COLOURS.background,
}

/**
 * An SPC chart as an SVG string in the NHS Making Data Count style, for every chart type: grey
 * common-cause points, orange concern, blue improvement, purple neutral special causes (from the
 * measure's direction); centre line solid, process limits dashed, target red dashed with its
 * label beside the plot (never on the data); lines break at each rebase; events (annotations,
 * rebases, PDSA cycles) marked on the time axis, labelled in rows or numbered with a key, never
 * overlapping; variation and assurance icons; the rule set used. Accessible: role="img" labelled
 * by its <title> and a <desc> that says in words what the chart shows and lists the events.
 * Every user text is escaped. Pure: no DOM, no I/O.
 * @example renderSpcChartSvg(analyse(request) as SpcSuccess, { title: 'A&E 4-hour performance' })
 */
export function renderSpcChartSvg(result: SpcSuccess, options: ChartOptions = {}): string {
  const width = options.width ?? 800
  const height = options.height ?? 420
  const id = (options.id ?? 'spc-chart').replace(/[^A-Za-z0-9_-]/g, '-')
  const title = options.title ?? (result.method === 'mdc' ? 'SPC chart (Making Data Count)' : 'SPC chart')
  const target = result.target ?? options.target ?? null
  const direction = options.direction ?? (result.method === 'mdc' ? result.improvement_direction : 'neutral')
  const signals = options.signals ?? chartSignals(result, direction, target)
  const describeOptions = { ...options, direction, signals }
  const points = result.points
  const style = xStyleOf(points.map((p) => p.x))
  const showIcons = options.showIcons ?? true

  // a target per point (a trajectory): drawn as a dashed red line broken where a point has none
  const trajectory = result.target_trajectory ?? null
  const lastTarget = latestTarget(trajectory)

  // layout: the target's label has its own gutter right of the plot
  const header = 52
  const left = 68
  const right = width - (target !== null || lastTarget !== null ? 64 : 20)
  const top = header + 8
  const bottom = height - 46
  const xs = points.map((p) => xPosition(p.x))
  let xMin = Math.min(...xs)
  let xMax = Math.max(...xs)
  if (xMin === xMax) {
    xMin -= 1
    xMax += 1
  }
  const pad = 12
  const px = (x: number): number => left + pad + ((x - xMin) / (xMax - xMin)) * (right - left - 2 * pad)

  // periods: process lines drawn per period, so they break at each rebase
  const periods = result.periods.map((p) => {
    let start = points.findIndex((q) => q.period === p.period)
    if (start < 0) start = 0
    return { start, end: start + p.n_points - 1 }
  })
  // every rebase is an event: the team's note of why, or a plain one
  const events = planEvents(chartEvents(result, options.annotations ?? []), {
    px,
    left,
    right,
    axisY: bottom,
  })
  const fullHeight = Math.ceil(events ? Math.max(height, events.bottom + 14) : height)
  const description = `${describeSpcResult(result, describeOptions)}${events ? ` ${describeEvents(events)}` : ''}`

  const ys: number[] = []
  for (const p of points) {
    for (const v of [p.value, p.centre, p.lcl, p.ucl]) if (v !== null) ys.push(v)
    if (options.showSigmaLines) for (const v of [p.lcl_2sigma, p.ucl_2sigma]) if (v !== null) ys.push(v)
  }
  if (target !== null) ys.push(target)
  if (trajectory) for (const t of trajectory) if (t !== null) ys.push(t)
  let yMin = ys.length ? Math.min(...ys) : 0
  let yMax = ys.length ? Math.max(...ys) : 1
  if (yMin === yMax) {
    const d = Math.abs(yMin) * 0.1 || 1
    yMin -= d
    yMax += d
  }
  const span = yMax - yMin
  const ticks = niceTicks(yMin - span * 0.06, yMax + span * 0.06, 6)
  const lo = Math.min(ticks[0], yMin - span * 0.06)
  const hi = Math.max(ticks[ticks.length - 1], yMax + span * 0.06)
  const py = (v: number): number => bottom - ((v - lo) / (hi - lo)) * (bottom - top)
  // the target's label, in the gutter right of the plot, level with the (latest) target
  const targetLabel = (value: number): string => {
    const ty = py(value)
    return `<text class="spc-target-label" x="${right + 6}" y="${r(ty - 2)}" font-size="11" fill="${COLOURS.target}"><tspan x="${right + 6}">Target</tspan><tspan x="${right + 6}" dy="13">${escapeXml(shortenText(formatNumber(value), width - right - 8, 11))}</tspan></text>`
  }

  const icons: string[] = []
  if (showIcons) {
    let x = width - 12 - ICON
    if (signals.assuranceIcon) {
      icons.push(
        `<svg class="spc-icon spc-icon--assurance-${signals.assuranceIcon}" x="${x}" y="4" width="${ICON}" height="${ICON}" viewBox="0 0 100 100"><title>${escapeXml(ASSURANCE_ICON_LABELS[signals.assuranceIcon])}</title>${assuranceIconBody(signals.assuranceIcon)}</svg>`,
      )
      x -= ICON + 8
    }
    icons.unshift(
      `<svg class="spc-icon spc-icon--variation-${signals.variationIcon}" x="${x}" y="4" width="${ICON}" height="${ICON}" viewBox="0 0 100 100"><title>${escapeXml(VARIATION_ICON_LABELS[signals.variationIcon])}</title>${variationIconBody(signals.variationIcon)}</svg>`,
    )
  }
  const headingRoom = width - 12 - icons.length * (ICON + 8) - left - 8

  const out: string[] = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${fullHeight}" viewBox="0 0 ${width} ${fullHeight}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${FONT}" class="app-spc-chart">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(description)}</desc>`,
    `<rect x="0" y="0" width="${width}" height="${fullHeight}" fill="${COLOURS.background}"/>`,
  )
  out.push(
    `<text x="${left}" y="26" font-size="17" font-weight="bold" fill="${COLOURS.text}">${escapeXml(shortenText(title, headingRoom, 18.5))}</text>`,
  )
  const rules = ruleSetWords(result)
  if (rules)
    out.push(
      `<text class="spc-rule-set" x="${left}" y="44" font-size="12" fill="${COLOURS.axis}">${escapeXml(shortenText(rules, headingRoom, 12))}</text>`,
    )

  // grid and y axis
  out.push('<g class="spc-axis spc-axis--y">')
  for (const t of ticks) {
    if (t < lo || t > hi) continue
    out.push(
      `<line x1="${left}" y1="${r(py(t))}" x2="${right}" y2="${r(py(t))}" stroke="${COLOURS.grid}" stroke-width="1"/>`,
      `<text x="${left - 8}" y="${r(py(t) + 4)}" text-anchor="end" font-size="12" fill="${COLOURS.axis}">${escapeXml(formatNumber(t))}</text>`,
    )
  }
  out.push(
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="${COLOURS.axis}" stroke-width="1"/>`,
  )
  if (options.yLabel) {
    const cy = (top + bottom) / 2
    out.push(
      `<text x="16" y="${r(cy)}" transform="rotate(-90 16 ${r(cy)})" text-anchor="middle" font-size="13" fill="${COLOURS.text}">${escapeXml(options.yLabel)}</text>`,
    )
  }
  out.push('</g>')

  // x axis: up to one label per ~95 px, at evenly spaced points
  out.push('<g class="spc-axis spc-axis--x">')
  out.push(
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="${COLOURS.axis}" stroke-width="1"/>`,
  )
  const maxLabels = Math.max(2, Math.floor((right - left) / 95))
  const step = Math.max(1, Math.ceil(points.length / maxLabels))
  for (let i = 0; i < points.length; i += step) {
    const x = r(px(xs[i]))
    out.push(
      `<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 5}" stroke="${COLOURS.axis}" stroke-width="1"/>`,
      `<text x="${x}" y="${bottom + 22}" text-anchor="middle" font-size="12" fill="${COLOURS.axis}">${escapeXml(formatX(points[i].x, style))}</text>`,
    )
  }
  out.push('</g>')

  const stepPath = (
    key: 'centre' | 'lcl' | 'ucl' | 'lcl_2sigma' | 'ucl_2sigma',
    a: number,
    b: number,
  ): string => {
    let d = ''
    let open = false
    for (let i = a; i <= b; i++) {
      const v = points[i][key]
      if (v === null) {
        open = false
        continue
      }
      const l = i === a ? px(xs[a]) - (a === b ? 6 : 0) : (px(xs[i - 1]) + px(xs[i])) / 2
      const rr = i === b ? px(xs[b]) + (a === b ? 6 : 0) : (px(xs[i]) + px(xs[i + 1])) / 2
      d += open ? `V${r(py(v))}H${r(rr)}` : `M${r(l)} ${r(py(v))}H${r(rr)}`
      open = true
    }
    return d
  }
  out.push('<g class="spc-lines">')
  periods.forEach(({ start, end }, k) => {
    if (k > 0) {
      const x = r((px(xs[start - 1]) + px(xs[start])) / 2)
      out.push(
        `<line class="spc-rebase" x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="${COLOURS.axis}" stroke-width="1" stroke-dasharray="2 3"/>`,
      )
    }
    const lines: [string, 'centre' | 'lcl' | 'ucl' | 'lcl_2sigma' | 'ucl_2sigma', string][] = [
      [
        'spc-limit spc-limit--lower',
        'lcl',
        `stroke="${COLOURS.limit}" stroke-width="1.5" stroke-dasharray="6 4"`,
      ],
      [
        'spc-limit spc-limit--upper',
        'ucl',
        `stroke="${COLOURS.limit}" stroke-width="1.5" stroke-dasharray="6 4"`,
      ],
      ['spc-centre', 'centre', `stroke="${COLOURS.centre}" stroke-width="1.5"`],
    ]
    if (options.showSigmaLines) {
      lines.push([
        'spc-sigma',
        'lcl_2sigma',
        `stroke="${COLOURS.sigma}" stroke-width="1" stroke-dasharray="2 3"`,
      ])
      lines.push([
        'spc-sigma',
        'ucl_2sigma',
        `stroke="${COLOURS.sigma}" stroke-width="1" stroke-dasharray="2 3"`,
      ])
    }
    for (const [cls, key, attrs] of lines) {
      const d = stepPath(key, start, end)
      if (d) out.push(`<path class="${cls}" data-period="${k + 1}" d="${d}" fill="none" ${attrs}/>`)
    }
  })
  if (target !== null) {
    const ty = py(target)
    out.push(
      `<line class="spc-target" x1="${left}" y1="${r(ty)}" x2="${right}" y2="${r(ty)}" stroke="${COLOURS.target}" stroke-width="1.5" stroke-dasharray="8 4"/>`,
      targetLabel(target),
    )
  }
  if (trajectory && lastTarget !== null) {
    let path = ''
    let open = false
    trajectory.forEach((t, i) => {
      if (t === null || i >= xs.length) {
        open = false
        return
      }
      path += `${open ? 'L' : 'M'}${r(px(xs[i]))} ${r(py(t))}`
      open = true
    })
    out.push(
      `<path class="spc-target spc-target-trajectory" d="${path}" fill="none" stroke="${COLOURS.target}" stroke-width="1.5" stroke-dasharray="8 4"/>`,
      targetLabel(lastTarget.value),
    )
  }
  out.push('</g>')

  // the data: a grey line broken at missing values and at rebases, then the points
  let d = ''
  for (const { start, end } of periods) {
    let open = false
    for (let i = start; i <= end; i++) {
      const v = points[i].value
      if (v === null) {
        open = false
        continue
      }
      d += `${open ? 'L' : 'M'}${r(px(xs[i]))} ${r(py(v))}`
      open = true
    }
  }
  out.push(`<path class="spc-data" d="${d}" fill="none" stroke="${COLOURS.line}" stroke-width="2"/>`)
  const radius = points.length > 150 ? 2 : points.length > 60 ? 3 : 4
  out.push('<g class="spc-points">')
  points.forEach((p, i) => {
    if (p.value === null) return
    const kind = signals.classes[i]
    const stroke = kind === 'excluded' ? ` stroke="${COLOURS.commonCause}" stroke-width="1.5"` : ''
    out.push(
      `<circle class="spc-point spc-point--${kind}" cx="${r(px(xs[i]))}" cy="${r(py(p.value))}" r="${radius}" fill="${CLASS_FILL[kind]}"${stroke}/>`,
    )
  })
  out.push('</g>')

  if (events) out.push(drawEvents(events, top, bottom))
  if (icons.length) out.push(`<g class="spc-icons">${icons.join('')}</g>`)
  out.push('</svg>')
  return out.join('\n')
}
