import type { SpcSuccess } from '../spc/index.js'
import { COLOURS } from './colours.js'
import { escapeXml } from '../core/escape.js'
import { xPosition } from './format.js'
import { chartSignals, type ChartSignals, type PointClass } from './signals.js'

export interface SparklineOptions {
  width?: number
  height?: number
  /** The accessible name: what the line shows ("Discharges before noon, last 24 points"). */
  label: string
  target?: number | null
  direction?: 'increase' | 'decrease' | 'neutral'
  signals?: ChartSignals
  /** The latest points drawn (the Board's table shows the recent story). Default 24. */
  last?: number
}

const FILL: Record<PointClass, string> = {
  common: COLOURS.commonCause,
  improvement: COLOURS.improvement,
  concern: COLOURS.concern,
  neutral: COLOURS.neutral,
  excluded: COLOURS.background,
  missing: COLOURS.background,
}

const r = (v: number) => String(Math.round(v * 10) / 10)

/**
 * A small SPC chart for a summary table: the latest points as a grey line, special-cause points
 * coloured as on the full chart (Making Data Count), the centre line and process limits of the
 * latest period, and the target dashed red. No axes or text: the table beside it holds the
 * figures, and the picture is named by `label` (role="img"). Missing or suppressed values break
 * the line. Pure: no DOM, no I/O.
 * @example renderSparkline(result, { label: 'Falls, last 24 months' }) // '<svg … role="img" …>'
 */
export function renderSparkline(result: SpcSuccess, options: SparklineOptions): string {
  const width = options.width ?? 120
  const height = options.height ?? 32
  const signals = options.signals ?? chartSignals(result, options.direction, options.target ?? null)
  const take = Math.max(1, options.last ?? 24)
  const first = Math.max(0, result.points.length - take)
  const points = result.points.slice(first)
  const classes = signals.classes.slice(first)
  const latest = result.points[result.points.length - 1]
  const target = options.target ?? result.target ?? null
  const ys: number[] = []
  for (const p of points) if (p.value !== null) ys.push(p.value)
  for (const v of [latest?.centre, latest?.lcl, latest?.ucl, target])
    if (v !== null && v !== undefined) ys.push(v)
  let lo = ys.length ? Math.min(...ys) : 0
  let hi = ys.length ? Math.max(...ys) : 1
  if (lo === hi) {
    lo -= 1
    hi += 1
  }
  const pad = 3
  const xs = points.map((p) => xPosition(p.x))
  const x0 = xs[0] ?? 0
  const x1 = xs[xs.length - 1] ?? 1
  const px = (x: number) => (x1 === x0 ? width / 2 : pad + ((x - x0) / (x1 - x0)) * (width - 2 * pad))
  const py = (v: number) => height - pad - ((v - lo) / (hi - lo)) * (height - 2 * pad)
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-sparkline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(options.label)}"><title>${escapeXml(options.label)}</title>`,
  ]
  const hline = (v: number | null | undefined, attrs: string) => {
    if (v === null || v === undefined) return
    out.push(`<line x1="0" y1="${r(py(v))}" x2="${width}" y2="${r(py(v))}" ${attrs}/>`)
  }
  hline(latest?.lcl, `stroke="${COLOURS.limit}" stroke-width="1" stroke-dasharray="3 2"`)
  hline(latest?.ucl, `stroke="${COLOURS.limit}" stroke-width="1" stroke-dasharray="3 2"`)
  hline(latest?.centre, `stroke="${COLOURS.centre}" stroke-width="1"`)
  hline(target, `stroke="${COLOURS.target}" stroke-width="1" stroke-dasharray="4 2"`)
  let d = ''
  let open = false
  points.forEach((p, i) => {
    if (p.value === null) {
      open = false
      return
    }
    d += `${open ? 'L' : 'M'}${r(px(xs[i]))} ${r(py(p.value))}`
    open = true
  })
  if (d) out.push(`<path d="${d}" fill="none" stroke="${COLOURS.line}" stroke-width="1.5"/>`)
  points.forEach((p, i) => {
    if (p.value === null) return
    const c = classes[i] ?? 'common'
    const last = i === points.length - 1
    if (c === 'common' && !last) return
    out.push(
      `<circle cx="${r(px(xs[i]))}" cy="${r(py(p.value))}" r="${last ? 2.5 : 2}" fill="${FILL[c]}"${c === 'excluded' ? ` stroke="${COLOURS.commonCause}"` : ''}/>`,
    )
  })
  out.push('</svg>')
  return out.join('')
}
