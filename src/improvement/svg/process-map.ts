import { NO_LANE, type ProcessMapModel } from '../tools/model.js'
import { arrowMarker, COLOURS, r, svgDocument, textLines, wrapText } from './text.js'
import { escapeXml } from '../../core/escape.js'

const MARGIN = 16
const LANE_LABEL = 130
const COL = 180
const LANE_H = 150
const LEGEND_H = 40

/**
 * A process map: steps in order from left to right, in swimlanes when owners are
 * given. Shapes show the kind (rectangle: step, diamond: decision, arrow-shaped:
 * hand-off); value-adding steps are green with a solid border, waste red with a
 * dashed border, and each says which in words.
 */
export function renderProcessMapSvg(
  model: ProcessMapModel,
  options: { id?: string; title?: string } = {},
): string {
  const id = options.id ?? 'process-map'
  const lanes = model.lanes.length ? model.lanes : ['']
  const labelled = model.lanes.length > 0
  const left = MARGIN + (labelled ? LANE_LABEL : 0)
  const width = left + Math.max(1, model.steps.length) * COL + MARGIN
  const top = MARGIN
  const height = top + lanes.length * LANE_H + LEGEND_H + MARGIN
  const laneOf = (lane: string) => (labelled ? lanes.indexOf(lane || NO_LANE) : 0)
  const centre = (i: number, lane: number) => ({
    x: left + i * COL + COL / 2,
    y: top + lane * LANE_H + LANE_H / 2 - 8,
  })

  let body = arrowMarker(`${id}-arrow`)
  lanes.forEach((lane, i) => {
    const y = top + i * LANE_H
    body += `<rect x="${MARGIN}" y="${y}" width="${width - MARGIN * 2}" height="${LANE_H}" fill="${i % 2 ? COLOURS.white : COLOURS.paleGrey}" stroke="${COLOURS.midGrey}" stroke-width="1"/>`
    if (labelled)
      body += textLines(wrapText(lane, 16, 4), MARGIN + LANE_LABEL / 2, y + LANE_H / 2 - 10, {
        weight: 'bold',
        size: 13,
        lineHeight: 16,
      })
  })
  if (model.steps.length === 0) {
    body += `<text x="${left + COL / 2}" y="${top + LANE_H / 2}" font-size="14" text-anchor="middle" fill="${COLOURS.grey}">No steps yet</text>`
  }
  // Arrows first, so shapes sit on top of them.
  model.steps.forEach((step, i) => {
    if (i === 0) return
    const a = centre(i - 1, laneOf(model.steps[i - 1].lane))
    const b = centre(i, laneOf(step.lane))
    const x1 = a.x + 70
    const x2 = b.x - 72
    const path =
      a.y === b.y
        ? `M ${x1} ${r(a.y)} L ${x2} ${r(b.y)}`
        : `M ${x1} ${r(a.y)} L ${r((x1 + x2) / 2)} ${r(a.y)} L ${r((x1 + x2) / 2)} ${r(b.y)} L ${x2} ${r(b.y)}`
    body += `<path d="${path}" fill="none" stroke="${COLOURS.grey}" stroke-width="2" marker-end="url(#${id}-arrow)"/>`
  })
  for (const step of model.steps) {
    const { x, y } = centre(step.number - 1, laneOf(step.lane))
    const waste = step.value === 'waste'
    const fill = waste ? COLOURS.paleRed : COLOURS.paleGreen
    const stroke = waste ? COLOURS.red : COLOURS.green
    const dash = waste ? ' stroke-dasharray="6 3"' : ''
    let shape: string
    let chars = 18
    let maxLines = 4
    if (step.stepKind === 'decision') {
      shape = `<polygon points="${x},${y - 48} ${x + 72},${y} ${x},${y + 48} ${x - 72},${y}" fill="${fill}" stroke="${stroke}" stroke-width="2"${dash}/>`
      chars = 12
      maxLines = 3
    } else if (step.stepKind === 'handoff') {
      shape = `<polygon points="${x - 70},${y - 38} ${x + 52},${y - 38} ${x + 72},${y} ${x + 52},${y + 38} ${x - 70},${y + 38}" fill="${fill}" stroke="${stroke}" stroke-width="2"${dash}/>`
      chars = 16
    } else {
      shape = `<rect x="${x - 70}" y="${y - 38}" width="140" height="76" rx="4" fill="${fill}" stroke="${stroke}" stroke-width="2"${dash}/>`
    }
    const lines = wrapText(`${step.number}. ${step.label}`, chars, maxLines)
    body += shape + textLines(lines, x, y - (lines.length - 1) * 8 + 5, { size: 13, lineHeight: 16 })
    body += `<text x="${x}" y="${y + 60}" font-size="12" text-anchor="middle" fill="${COLOURS.text}">${escapeXml(`${step.kindLabel} · ${step.valueLabel}`)}</text>`
  }
  const ly = top + lanes.length * LANE_H + 26
  body +=
    `<rect x="${MARGIN}" y="${ly - 13}" width="18" height="16" fill="${COLOURS.paleGreen}" stroke="${COLOURS.green}" stroke-width="2"/>` +
    `<text x="${MARGIN + 24}" y="${ly}" font-size="13" fill="${COLOURS.text}">Value-adding</text>` +
    `<rect x="${MARGIN + 130}" y="${ly - 13}" width="18" height="16" fill="${COLOURS.paleRed}" stroke="${COLOURS.red}" stroke-width="2" stroke-dasharray="4 2"/>` +
    `<text x="${MARGIN + 154}" y="${ly}" font-size="13" fill="${COLOURS.text}">Waste</text>`

  return svgDocument({
    id,
    width: Math.max(width, 320),
    height,
    title: options.title ?? 'Process map',
    desc:
      `Process map with ${model.steps.length} steps (${model.valueCount} value-adding, ${model.wasteCount} waste)` +
      (labelled ? ` in ${lanes.length} swimlanes: ${lanes.join(', ')}` : '') +
      '. The same steps are listed in a table on this page.',
    body,
  })
}
