import type { FishboneModel } from '../tools/model.js'
import { COLOURS, r, svgDocument, textLines, wrapText } from './text.js'

const MARGIN = 16
const SLOT = 250
const LABEL_H = 46
const CAUSE_LINE = 16
const CAUSE_GAP = 8
const HEAD_W = 210
const BONE_RUN = 170
/** Room on the left for the first category's label box. */
const LEFT = MARGIN + 80

/**
 * A fishbone (Ishikawa) diagram: the problem in the head on the right, a spine, and
 * one bone per category, alternately above and below, each with its causes.
 */
export function renderFishboneSvg(
  model: FishboneModel,
  options: { id?: string; title?: string } = {},
): string {
  const id = options.id ?? 'fishbone'
  const top = model.categories.filter((_, i) => i % 2 === 0)
  const bottom = model.categories.filter((_, i) => i % 2 === 1)
  const slots = Math.max(top.length, bottom.length, 1)
  const causeLines = model.categories.map((c) => c.causes.map((cause) => wrapText(cause.text, 28, 2)))
  const boneHeight = (cats: typeof model.categories) =>
    Math.max(
      90,
      ...cats.map((c) => {
        const lines = causeLines[model.categories.indexOf(c)]
        return 30 + lines.reduce((h, l) => h + l.length * CAUSE_LINE + CAUSE_GAP, 0)
      }),
    )
  const hTop = boneHeight(top)
  const hBottom = boneHeight(bottom)
  const problemLines = wrapText(model.problem || 'Problem not stated yet', 24, 12)
  const headH = Math.max(60, problemLines.length * 18 + 24)
  const spineY = MARGIN + Math.max(LABEL_H + hTop, headH / 2)
  const spineEnd = LEFT + slots * SLOT + 20
  const width = spineEnd + HEAD_W + MARGIN
  const height = spineY + Math.max(hBottom + LABEL_H, headH / 2) + MARGIN

  let body = `<line x1="${MARGIN}" y1="${r(spineY)}" x2="${spineEnd}" y2="${r(spineY)}" stroke="${COLOURS.darkBlue}" stroke-width="4"/>`
  body += `<rect x="${spineEnd}" y="${r(spineY - headH / 2)}" width="${HEAD_W}" height="${r(headH)}" rx="6" fill="${COLOURS.darkBlue}"/>`
  body += textLines(problemLines, spineEnd + HEAD_W / 2, spineY - headH / 2 + 12 + 14, {
    fill: COLOURS.white,
    weight: 'bold',
  })

  const bone = (category: FishboneModel['categories'][number], slot: number, above: boolean) => {
    const lines = causeLines[model.categories.indexOf(category)]
    const xEnd = LEFT + slot * SLOT + SLOT - 10
    const xStart = xEnd - BONE_RUN
    const h = above ? hTop : hBottom
    const yStart = above ? spineY - h : spineY + h
    let out = `<line x1="${r(xStart)}" y1="${r(yStart)}" x2="${r(xEnd)}" y2="${r(spineY)}" stroke="${COLOURS.blue}" stroke-width="3"/>`
    const labelY = above ? yStart - LABEL_H : yStart
    const labelLines = wrapText(category.name, 24, 2)
    out += `<rect x="${r(xStart - 90)}" y="${r(labelY)}" width="180" height="${LABEL_H - 6}" rx="4" fill="${COLOURS.blue}"/>`
    out += textLines(labelLines, xStart, labelY + (labelLines.length === 1 ? 25 : 17), {
      fill: COLOURS.white,
      weight: 'bold',
      size: 13,
      lineHeight: 15,
    })
    // Causes sit along the bone, from its outer end towards the spine.
    let offset = 22
    for (const causeText of lines) {
      const y = above ? yStart + offset : yStart - offset - (causeText.length - 1) * CAUSE_LINE
      const xAt = (yy: number) => xStart + ((xEnd - xStart) * Math.abs(yy - yStart)) / h
      const x = xAt(y)
      // The whole text block sits right of the bone, wherever the bone is along it.
      const textX = Math.max(xAt(y - 12), xAt(y + (causeText.length - 1) * CAUSE_LINE + 4)) + 12
      out += `<line x1="${r(x)}" y1="${r(y - 4)}" x2="${r(textX - 3)}" y2="${r(y - 4)}" stroke="${COLOURS.grey}" stroke-width="1.5"/>`
      out += textLines(causeText, textX, y, { anchor: 'start', size: 13, lineHeight: CAUSE_LINE })
      offset += causeText.length * CAUSE_LINE + CAUSE_GAP
    }
    return out
  }
  top.forEach((c, i) => (body += bone(c, i, true)))
  bottom.forEach((c, i) => (body += bone(c, i, false)))

  const causeCount = model.categories.reduce((n, c) => n + c.causes.length, 0)
  return svgDocument({
    id,
    width,
    height,
    title: options.title ?? 'Fishbone diagram',
    desc: `Fishbone diagram of the problem “${model.problem || 'not stated yet'}”, with ${model.categories.length} categories and ${causeCount} causes. The same content is listed on this page.`,
    body,
  })
}
