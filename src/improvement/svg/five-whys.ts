import type { FiveWhysModel } from '../tools/model.js'
import { arrowMarker, COLOURS, r, svgDocument, textLines, wrapText } from './text.js'
import { escapeXml } from '../../core/escape.js'

const W = 560
const MARGIN = 16
const GAP = 40

/** 5 whys: the problem, each "why?" answer and the root cause as a chain of boxes joined by arrows. */
export function renderFiveWhysSvg(
  model: FiveWhysModel,
  options: { id?: string; title?: string } = {},
): string {
  const id = options.id ?? 'five-whys'
  const boxes = [
    {
      label: 'Problem',
      text: model.problem || 'Not stated yet',
      fill: COLOURS.darkBlue,
      colour: COLOURS.white,
    },
    ...model.whys.map((w) => ({
      label: `Why ${w.number}`,
      text: w.text,
      fill: COLOURS.paleBlue,
      colour: COLOURS.text,
    })),
    ...(model.rootCause
      ? [{ label: 'Root cause', text: model.rootCause, fill: COLOURS.paleGreen, colour: COLOURS.text }]
      : []),
  ]
  let y = MARGIN
  let body = arrowMarker(`${id}-arrow`)
  boxes.forEach((b, i) => {
    const lines = wrapText(b.text, 62, 8)
    const h = 34 + lines.length * 18 + 8
    if (i > 0) {
      body += `<line x1="${MARGIN + W / 2}" y1="${r(y - GAP + 2)}" x2="${MARGIN + W / 2}" y2="${r(y - 4)}" stroke="${COLOURS.grey}" stroke-width="2" marker-end="url(#${id}-arrow)"/>`
      body += `<text x="${MARGIN + W / 2 + 12}" y="${r(y - GAP / 2 + 5)}" font-size="13" fill="${COLOURS.grey}" font-style="italic">${escapeXml('Why?')}</text>`
    }
    body += `<rect x="${MARGIN}" y="${r(y)}" width="${W}" height="${r(h)}" rx="6" fill="${b.fill}" stroke="${b.fill === COLOURS.paleBlue ? COLOURS.blue : b.fill === COLOURS.paleGreen ? COLOURS.green : b.fill}" stroke-width="2"/>`
    body += `<text x="${MARGIN + 12}" y="${r(y + 22)}" font-size="14" font-weight="bold" fill="${b.colour}">${escapeXml(b.label)}</text>`
    body += textLines(lines, MARGIN + 12, y + 44, { anchor: 'start', fill: b.colour })
    y += h + GAP
  })
  return svgDocument({
    id,
    width: W + MARGIN * 2,
    height: y - GAP + MARGIN,
    title: options.title ?? '5 whys',
    desc: `5 whys from the problem “${model.problem || 'not stated yet'}” through ${model.whys.length} answers${model.rootCause ? ` to the root cause “${model.rootCause}”` : ''}. The same content is listed on this page.`,
    body,
  })
}
