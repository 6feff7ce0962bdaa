import { HIGH_SCORE } from '../tools/definitions.js'
import type { StakeholderModel } from '../tools/model.js'
import { COLOURS, r, svgDocument, textLines, wrapText } from './text.js'
import { escapeXml } from '../../core/escape.js'

const CELL = 80
const PLOT = CELL * 5
const LEFT = 70
const TOP = 20
const KEY_X = LEFT + PLOT + 30
const KEY_W = 290

/** Offsets for up to nine stakeholders sharing one cell of the grid. */
const SPOTS = [
  [0, 0],
  [-22, -22],
  [22, 22],
  [22, -22],
  [-22, 22],
  [0, -24],
  [0, 24],
  [-24, 0],
  [24, 0],
] as const

/**
 * The interest × influence grid: interest 1–5 across, influence 1–5 up, split into
 * the four quadrants (a score of 3 or more counts as high). Each stakeholder is a
 * numbered circle; the key beside the grid names them.
 */
export function renderStakeholderSvg(
  model: StakeholderModel,
  options: { id?: string; title?: string } = {},
): string {
  const id = options.id ?? 'stakeholders'
  const x = (interest: number) => LEFT + (interest - 0.5) * CELL
  const y = (influence: number) => TOP + PLOT - (influence - 0.5) * CELL
  const split = HIGH_SCORE - 1
  const splitX = LEFT + split * CELL
  const splitY = TOP + PLOT - split * CELL
  let body = ''
  const quad = (
    qx: number,
    qy: number,
    w: number,
    h: number,
    fill: string,
    label: string,
    lx: number,
    ly: number,
    anchor: 'start' | 'end',
  ) =>
    `<rect x="${qx}" y="${qy}" width="${w}" height="${h}" fill="${fill}"/>` +
    `<text x="${lx}" y="${ly}" font-size="13" font-weight="bold" text-anchor="${anchor}" fill="${COLOURS.text}">${escapeXml(label)}</text>`
  body += quad(
    splitX,
    TOP,
    LEFT + PLOT - splitX,
    splitY - TOP,
    COLOURS.paleBlue,
    'Manage closely',
    LEFT + PLOT - 6,
    TOP + 16,
    'end',
  )
  body += quad(
    LEFT,
    TOP,
    splitX - LEFT,
    splitY - TOP,
    COLOURS.paleYellow,
    'Keep satisfied',
    LEFT + 6,
    TOP + 16,
    'start',
  )
  body += quad(
    splitX,
    splitY,
    LEFT + PLOT - splitX,
    TOP + PLOT - splitY,
    COLOURS.paleGreen,
    'Keep informed',
    LEFT + PLOT - 6,
    TOP + PLOT - 8,
    'end',
  )
  body += quad(
    LEFT,
    splitY,
    splitX - LEFT,
    TOP + PLOT - splitY,
    COLOURS.paleGrey,
    'Monitor',
    LEFT + 6,
    TOP + PLOT - 8,
    'start',
  )
  for (let i = 0; i <= 5; i++) {
    body += `<line x1="${LEFT + i * CELL}" y1="${TOP}" x2="${LEFT + i * CELL}" y2="${TOP + PLOT}" stroke="${COLOURS.midGrey}" stroke-width="${i === split ? 2.5 : 0.5}"/>`
    body += `<line x1="${LEFT}" y1="${TOP + i * CELL}" x2="${LEFT + PLOT}" y2="${TOP + i * CELL}" stroke="${COLOURS.midGrey}" stroke-width="${5 - i === split ? 2.5 : 0.5}"/>`
  }
  for (let n = 1; n <= 5; n++) {
    body += `<text x="${r(x(n))}" y="${TOP + PLOT + 18}" font-size="13" text-anchor="middle" fill="${COLOURS.text}">${n}</text>`
    body += `<text x="${LEFT - 10}" y="${r(y(n) + 5)}" font-size="13" text-anchor="end" fill="${COLOURS.text}">${n}</text>`
  }
  body += `<text x="${LEFT + PLOT / 2}" y="${TOP + PLOT + 40}" font-size="14" font-weight="bold" text-anchor="middle" fill="${COLOURS.text}">Interest (1 low to 5 high)</text>`
  body += `<text x="${20}" y="${TOP + PLOT / 2}" font-size="14" font-weight="bold" text-anchor="middle" fill="${COLOURS.text}" transform="rotate(-90 20 ${TOP + PLOT / 2})">Influence (1 low to 5 high)</text>`

  const used = new Map<string, number>()
  for (const s of model.stakeholders) {
    const cell = `${s.interest}:${s.influence}`
    const k = used.get(cell) ?? 0
    used.set(cell, k + 1)
    const [dx, dy] = SPOTS[k % SPOTS.length]
    const cx = x(s.interest) + dx
    const cy = y(s.influence) + dy
    body += `<circle cx="${r(cx)}" cy="${r(cy)}" r="12" fill="${COLOURS.darkBlue}" stroke="${COLOURS.white}" stroke-width="1.5"/>`
    body += `<text x="${r(cx)}" y="${r(cy + 4.5)}" font-size="12" font-weight="bold" text-anchor="middle" fill="${COLOURS.white}">${s.number}</text>`
  }

  let ky = TOP + 14
  body += `<text x="${KEY_X}" y="${ky}" font-size="14" font-weight="bold" fill="${COLOURS.text}">Key</text>`
  ky += 22
  if (model.stakeholders.length === 0) {
    body += `<text x="${KEY_X}" y="${ky}" font-size="13" fill="${COLOURS.grey}">No stakeholders yet</text>`
    ky += 18
  }
  for (const s of model.stakeholders) {
    const lines = wrapText(`${s.number}. ${s.name} (${s.group})`, 38, 2)
    body += textLines(lines, KEY_X, ky, { anchor: 'start', size: 13, lineHeight: 16 })
    ky += lines.length * 16 + 4
  }

  return svgDocument({
    id,
    width: KEY_X + KEY_W,
    height: Math.max(TOP + PLOT + 56, ky + 10),
    title: options.title ?? 'Stakeholder analysis: interest and influence grid',
    desc:
      `Interest and influence grid of ${model.stakeholders.length} stakeholders. ` +
      model.quadrants.map((q) => `${q.label}: ${q.names.length ? q.names.join(', ') : 'none'}.`).join(' ') +
      ' The same stakeholders are listed in a table on this page.',
    body,
  })
}
