import type { ChangeIdea, Driver } from '../drivers/repository.js'
import { CHANGE_IDEA_STATUS_LABELS } from '../policy.js'
import { COLOURS, r, svgDocument, textLines, wrapText } from './text.js'
import { escapeXml } from '../../core/escape.js'

const COLUMN = 210
const GAP = 70
const MARGIN = 16
const TOP = 48
const LINE = 18
const PAD = 10
const SPACING = 14
const CHARS = 25

interface Box {
  id: string
  x: number
  y: number
  h: number
  lines: string[]
  status?: string
}

const STATUS_STYLE: Record<string, { stroke: string; fill: string }> = {
  idea: { stroke: COLOURS.grey, fill: COLOURS.white },
  testing: { stroke: COLOURS.blue, fill: COLOURS.paleBlue },
  adopted: { stroke: COLOURS.green, fill: COLOURS.paleGreen },
  abandoned: { stroke: COLOURS.red, fill: COLOURS.paleRed },
}

function columnX(i: number): number {
  return MARGIN + i * (COLUMN + GAP)
}

function stack(
  items: { id: string; lines: string[]; status?: string }[],
  column: number,
  extraLines = 0,
): { boxes: Box[]; height: number } {
  let y = 0
  const boxes = items.map((item) => {
    const h = (item.lines.length + extraLines) * LINE + PAD * 2
    const box = { id: item.id, x: columnX(column), y, h, lines: item.lines, status: item.status }
    y += h + SPACING
    return box
  })
  return { boxes, height: Math.max(0, y - SPACING) }
}

function shift(boxes: Box[], dy: number): void {
  for (const b of boxes) b.y += dy
}

function centreY(b: Box): number {
  return b.y + b.h / 2
}

function link(from: Box, to: Box, dashed = false): string {
  const x1 = from.x + COLUMN
  const y1 = centreY(from)
  const x2 = to.x
  const y2 = centreY(to)
  const bend = Math.min(GAP, (x2 - x1) / 2)
  return `<path d="M ${r(x1)} ${r(y1)} C ${r(x1 + bend)} ${r(y1)}, ${r(x2 - bend)} ${r(y2)}, ${r(x2)} ${r(y2)}" fill="none" stroke="${COLOURS.midGrey}" stroke-width="1.5"${dashed ? ' stroke-dasharray="6 4"' : ''}/>`
}

function node(b: Box, fill: string, stroke: string, textFill: string, weight?: string): string {
  const cx = b.x + COLUMN / 2
  let out = `<rect x="${r(b.x)}" y="${r(b.y)}" width="${COLUMN}" height="${r(b.h)}" rx="6" fill="${fill}" stroke="${stroke}" stroke-width="2"/>`
  out += textLines(b.lines, cx, b.y + PAD + 13, { fill: textFill, weight })
  if (b.status) {
    out += `<text x="${r(cx)}" y="${r(b.y + PAD + 13 + b.lines.length * LINE)}" font-size="13" text-anchor="middle" fill="${COLOURS.text}" font-style="italic">${escapeXml(`Status: ${b.status}`)}</text>`
  }
  return out
}

/**
 * The driver diagram as an accessible SVG: four columns (aim → primary drivers →
 * secondary drivers → change ideas) joined by lines; a change idea linked straight to
 * a primary driver is joined by a dashed line. Secondary drivers sit in the order of
 * their first primary parent and change ideas next to their drivers, to keep lines short.
 */
export function renderDriverDiagramSvg(
  input: { aim: string | null; drivers: Driver[]; changeIdeas: ChangeIdea[] },
  options: { id?: string } = {},
): string {
  const id = options.id ?? 'driver-diagram'
  const primaries = input.drivers.filter((d) => d.kind === 'primary')
  const primaryIndex = new Map(primaries.map((p, i) => [p.id, i]))
  const secondaries = input.drivers
    .filter((d) => d.kind === 'secondary')
    .map((d, i) => ({ d, i, key: Math.min(...d.parentIds.map((p) => primaryIndex.get(p) ?? 1e6), 1e6) }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map((x) => x.d)

  const aimLines = wrapText(input.aim ?? 'No aim written yet', CHARS, 14)
  const p = stack(
    primaries.map((d) => ({ id: d.id, lines: wrapText(d.title, CHARS, 10) })),
    1,
  )
  const s = stack(
    secondaries.map((d) => ({ id: d.id, lines: wrapText(d.title, CHARS, 10) })),
    2,
  )
  const aim = stack([{ id: 'aim', lines: aimLines }], 0)
  const upper = Math.max(p.height, s.height, aim.height)
  shift(p.boxes, TOP + (upper - p.height) / 2)
  shift(s.boxes, TOP + (upper - s.height) / 2)
  shift(aim.boxes, TOP + (upper - aim.height) / 2)

  // Change ideas: next to the drivers they act on (by the average height of those drivers).
  const driverBox = new Map([...p.boxes, ...s.boxes].map((b) => [b.id, b]))
  const ranked = input.changeIdeas
    .map((idea, i) => {
      const ys = idea.driverIds
        .map((d) => driverBox.get(d))
        .filter((b): b is Box => Boolean(b))
        .map(centreY)
      return { idea, i, key: ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : 1e9 }
    })
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map((x) => x.idea)
  const c = stack(
    ranked.map((idea) => ({
      id: idea.id,
      lines: wrapText(idea.title, CHARS, 10),
      status: CHANGE_IDEA_STATUS_LABELS[idea.status] ?? idea.status,
    })),
    3,
    1,
  )
  const height = Math.max(upper, c.height)
  const lift = (height - upper) / 2
  shift(p.boxes, lift)
  shift(s.boxes, lift)
  shift(aim.boxes, lift)
  shift(c.boxes, TOP + (height - c.height) / 2)

  const allBoxes = new Map([...p.boxes, ...s.boxes, ...c.boxes].map((b) => [b.id, b]))
  const secondaryIds = new Set(secondaries.map((d) => d.id))
  const lines: string[] = []
  for (const box of p.boxes) lines.push(link(aim.boxes[0], box))
  for (const d of secondaries) {
    for (const parent of d.parentIds) {
      const from = allBoxes.get(parent)
      const to = allBoxes.get(d.id)
      if (from && to) lines.push(link(from, to))
    }
  }
  for (const idea of input.changeIdeas) {
    for (const driverId of idea.driverIds) {
      const from = allBoxes.get(driverId)
      const to = allBoxes.get(idea.id)
      if (from && to) lines.push(link(from, to, !secondaryIds.has(driverId)))
    }
  }

  const headings = ['Aim', 'Primary drivers', 'Secondary drivers', 'Change ideas']
    .map(
      (h, i) =>
        `<text x="${columnX(i) + COLUMN / 2}" y="26" font-size="16" font-weight="bold" text-anchor="middle" fill="${COLOURS.text}">${escapeXml(h)}</text>`,
    )
    .join('')
  const empty = (column: number, count: number) =>
    count === 0
      ? `<text x="${columnX(column) + COLUMN / 2}" y="${TOP + 20}" font-size="14" text-anchor="middle" fill="${COLOURS.grey}">None yet</text>`
      : ''

  const body =
    headings +
    `<g>${lines.join('')}</g>` +
    node(aim.boxes[0], COLOURS.darkBlue, COLOURS.darkBlue, COLOURS.white, 'bold') +
    p.boxes.map((b) => node(b, COLOURS.blue, COLOURS.blue, COLOURS.white, 'bold')).join('') +
    s.boxes.map((b) => node(b, COLOURS.paleBlue, COLOURS.blue, COLOURS.text)).join('') +
    c.boxes
      .map((b) => {
        const idea = input.changeIdeas.find((i) => i.id === b.id)!
        const style = STATUS_STYLE[idea.status] ?? STATUS_STYLE.idea
        return node(b, style.fill, style.stroke, COLOURS.text)
      })
      .join('') +
    empty(1, primaries.length) +
    empty(2, secondaries.length) +
    empty(3, input.changeIdeas.length)

  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
  return svgDocument({
    id,
    width: columnX(4) - GAP + MARGIN,
    height: TOP + Math.max(height, 40) + MARGIN,
    title: 'Driver diagram',
    desc:
      `Aim: ${(input.aim ?? 'not written yet').replace(/[.\s]+$/, '')}. ` +
      `${count(primaries.length, 'primary driver', 'primary drivers')}, ${count(secondaries.length, 'secondary driver', 'secondary drivers')} and ${count(input.changeIdeas.length, 'change idea', 'change ideas')}, joined by lines from the aim to the change ideas. ` +
      'The same diagram is given as a nested list on this page.',
    body,
  })
}
