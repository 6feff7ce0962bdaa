import { SCORE_MAX, SUSTAINABILITY_FACTORS } from '../tools/definitions.js'
import type { SustainabilityModel } from '../tools/model.js'
import { COLOURS, r, svgDocument, textLines, wrapText } from './text.js'
import { escapeXml } from '../../core/escape.js'

const MARGIN = 16
const LABEL_W = 330
const BAR_W = 280
const ROW = 40
const GROUP_H = 28

const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})
/** '2027-06-01' → '1 June 2027' */
const longDate = (iso: string) => DATE.format(new Date(`${iso}T00:00:00Z`))

/**
 * The latest Sustainability Model scoring as a bar chart: one bar per factor, grouped
 * into process, staff and organisation, on the simplified 1–4 scale, and the total.
 */
export function renderSustainabilitySvg(
  model: SustainabilityModel,
  options: { id?: string; title?: string } = {},
): string {
  const id = options.id ?? 'sustainability'
  const scoring = model.latest
  const barX = MARGIN + LABEL_W
  const max = SUSTAINABILITY_FACTORS.length * SCORE_MAX
  let y = MARGIN + 20
  let body = `<text x="${MARGIN}" y="${y}" font-size="15" font-weight="bold" fill="${COLOURS.text}">${escapeXml(scoring ? `Scoring of ${longDate(scoring.date)}` : 'Not scored yet')}</text>`
  y += 16
  // Scale along the top: 0 to 4.
  for (let n = 0; n <= SCORE_MAX; n++) {
    const gx = barX + (BAR_W * n) / SCORE_MAX
    body += `<text x="${r(gx)}" y="${y + 12}" font-size="12" text-anchor="middle" fill="${COLOURS.text}">${n}</text>`
  }
  y += 20
  const gridTop = y
  let group = ''
  for (const f of SUSTAINABILITY_FACTORS) {
    if (f.group !== group) {
      group = f.group
      body += `<text x="${MARGIN}" y="${y + 18}" font-size="14" font-weight="bold" fill="${COLOURS.darkBlue}">${escapeXml(group)}</text>`
      y += GROUP_H
    }
    const score = scoring ? scoring.scores[f.key] : 0
    const lines = wrapText(f.label, 44, 2)
    body += textLines(lines, MARGIN + 8, y + (lines.length === 1 ? 24 : 16), {
      anchor: 'start',
      size: 13,
      lineHeight: 16,
    })
    body += `<rect x="${barX}" y="${y + 8}" width="${BAR_W}" height="22" fill="${COLOURS.paleGrey}"/>`
    if (score)
      body += `<rect x="${barX}" y="${y + 8}" width="${r((BAR_W * score) / SCORE_MAX)}" height="22" fill="${COLOURS.blue}"/>`
    body += `<text x="${barX + BAR_W + 8}" y="${y + 24}" font-size="13" fill="${COLOURS.text}">${escapeXml(scoring ? `${score} of ${SCORE_MAX}` : '–')}</text>`
    y += ROW
  }
  for (let n = 1; n < SCORE_MAX; n++) {
    const gx = barX + (BAR_W * n) / SCORE_MAX
    body += `<line x1="${r(gx)}" y1="${gridTop}" x2="${r(gx)}" y2="${y}" stroke="${COLOURS.white}" stroke-width="1.5"/>`
  }
  y += 24
  body += `<text x="${MARGIN}" y="${y}" font-size="15" font-weight="bold" fill="${COLOURS.text}">${escapeXml(scoring ? `Total: ${scoring.total} of ${max}` : `Total: not scored yet (out of ${max})`)}</text>`
  y += 20
  body += `<text x="${MARGIN}" y="${y}" font-size="12" fill="${COLOURS.grey}">Simplified 1–4 scale per factor, not the model’s published weighted scores.</text>`

  return svgDocument({
    id,
    width: barX + BAR_W + 80,
    height: y + MARGIN,
    title: options.title ?? 'Sustainability Model scores',
    desc: scoring
      ? `Bar chart of the scoring of ${longDate(scoring.date)}: ` +
        SUSTAINABILITY_FACTORS.map((f) => `${f.label} ${scoring.scores[f.key]} of ${SCORE_MAX}`).join('; ') +
        `. Total ${scoring.total} of ${max}, on a simplified 1 to 4 scale. The scores are also in a table on this page.`
      : 'No scoring has been recorded yet.',
    body,
  })
}
