import type { AssuranceIcon, VariationIcon } from '../spc/index.js'
import { COLOURS } from './colours.js'
import { escapeXml } from '../core/escape.js'

/** Plain-English name of each variation icon (used as the icon's accessible name). */
export const VARIATION_ICON_LABELS: Record<VariationIcon, string> = {
  common_cause: 'Common cause variation',
  improvement_high: 'Special cause improvement (high)',
  improvement_low: 'Special cause improvement (low)',
  concern_high: 'Special cause concern (high)',
  concern_low: 'Special cause concern (low)',
  neutral_high: 'Special cause neutral variation (high)',
  neutral_low: 'Special cause neutral variation (low)',
}

/** Plain-English name of each assurance icon. */
export const ASSURANCE_ICON_LABELS: Record<AssuranceIcon, string> = {
  pass: 'The target is consistently met',
  fail: 'The target is consistently not met',
  inconsistent: 'The target is met inconsistently',
}

function variationColour(name: VariationIcon): string {
  if (name.startsWith('improvement')) return COLOURS.improvement
  if (name.startsWith('concern')) return COLOURS.concern
  if (name.startsWith('neutral')) return COLOURS.neutral
  return COLOURS.commonCause
}

/**
 * The variation icon's drawing in a 100 × 100 box: a ring in the icon's colour around a small run
 * of dots. Common cause: grey dots scattered along a flat line. Special cause: grey dots, then two
 * coloured ones high (H) or low (L), with the letter.
 */
export function variationIconBody(name: VariationIcon): string {
  const colour = variationColour(name)
  const parts = [`<circle cx="50" cy="50" r="44" fill="#FFFFFF" stroke="${colour}" stroke-width="8"/>`]
  if (name === 'common_cause') {
    const ys = [56, 50, 58, 48, 54]
    const pts = ys.map((y, i) => `${22 + i * 14},${y}`).join(' ')
    parts.push(`<polyline points="${pts}" fill="none" stroke="${COLOURS.commonCause}" stroke-width="3"/>`)
    ys.forEach((y, i) =>
      parts.push(`<circle cx="${22 + i * 14}" cy="${y}" r="5" fill="${COLOURS.commonCause}"/>`),
    )
    return parts.join('')
  }
  const high = name.endsWith('high')
  const ys = high ? [66, 62, 68, 44, 38] : [40, 44, 38, 58, 64]
  const pts = ys.map((y, i) => `${22 + i * 14},${y}`).join(' ')
  parts.push(`<polyline points="${pts}" fill="none" stroke="${COLOURS.commonCause}" stroke-width="3"/>`)
  ys.forEach((y, i) =>
    parts.push(
      `<circle cx="${22 + i * 14}" cy="${y}" r="5" fill="${i >= 3 ? colour : COLOURS.commonCause}"/>`,
    ),
  )
  const letterY = high ? 33 : 85
  parts.push(
    `<text x="50" y="${letterY}" text-anchor="middle" font-family="Arial, 'Liberation Sans', sans-serif" font-size="24" font-weight="bold" fill="${colour}">${high ? 'H' : 'L'}</text>`,
  )
  return parts.join('')
}

/**
 * The assurance icon's drawing in a 100 × 100 box: a ring with a dashed target line and the letter
 * P (pass, blue), F (fail, orange) or ? (inconsistent, grey).
 */
export function assuranceIconBody(name: AssuranceIcon): string {
  const colour =
    name === 'pass' ? COLOURS.improvement : name === 'fail' ? COLOURS.concern : COLOURS.commonCause
  const letter = name === 'pass' ? 'P' : name === 'fail' ? 'F' : '?'
  return [
    `<circle cx="50" cy="50" r="44" fill="#FFFFFF" stroke="${colour}" stroke-width="8"/>`,
    `<line x1="18" y1="72" x2="82" y2="72" stroke="${COLOURS.target}" stroke-width="3" stroke-dasharray="6 4"/>`,
    `<text x="50" y="62" text-anchor="middle" font-family="Arial, 'Liberation Sans', sans-serif" font-size="44" font-weight="bold" fill="${colour}">${letter}</text>`,
  ].join('')
}

function standalone(body: string, label: string, size: number): string {
  const text = escapeXml(label)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100" role="img" aria-label="${text}"><title>${text}</title>${body}</svg>`
}

/**
 * A standalone SVG of a Making Data Count variation icon (drawn here, not copied from images).
 * @example renderVariationIcon('improvement_high') // '<svg … role="img" aria-label="Special cause improvement (high)">…'
 */
export function renderVariationIcon(name: VariationIcon, size = 48): string {
  return standalone(variationIconBody(name), VARIATION_ICON_LABELS[name], size)
}

/**
 * A standalone SVG of a Making Data Count assurance icon.
 * @example renderAssuranceIcon('pass') // '<svg … aria-label="The target is consistently met">…'
 */
export function renderAssuranceIcon(name: AssuranceIcon, size = 48): string {
  return standalone(assuranceIconBody(name), ASSURANCE_ICON_LABELS[name], size)
}
