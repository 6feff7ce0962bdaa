/**
 * Small helpers for the server-rendered diagrams: escaping, wrapping text into lines
 * and the accessible <svg> wrapper. Every piece of user text reaches the SVG through
 * `escapeXml` (or `textLines`), never raw.
 */

import { escapeXml } from '../../core/escape.js'

/**
 * Breaks text into lines of at most `maxChars` characters, at spaces where it can;
 * words longer than a line are split. At most `maxLines` lines: the last ends with "…"
 * when text is left over.
 * @example wrapText('Reduce falls on the ward', 10) // ['Reduce', 'falls on', 'the ward']
 */
export function wrapText(text: string, maxChars: number, maxLines = Infinity): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean)
  const lines: string[] = []
  let line = ''
  for (let word of words) {
    while ([...word].length > maxChars) {
      if (line) {
        lines.push(line)
        line = ''
      }
      const chars = [...word]
      lines.push(chars.slice(0, maxChars).join(''))
      word = chars.slice(maxChars).join('')
    }
    if (!line) line = word
    else if ([...line].length + 1 + [...word].length <= maxChars) line += ` ${word}`
    else {
      lines.push(line)
      line = word
    }
  }
  if (line) lines.push(line)
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines)
    const last = [...kept[maxLines - 1]]
    kept[maxLines - 1] = `${last.slice(0, Math.max(0, maxChars - 1)).join('')}…`
    return kept
  }
  return lines.length ? lines : ['']
}

/** `<text>` with one `<tspan>` per line, centred on x (or left-aligned when anchor is 'start'). */
export function textLines(
  lines: string[],
  x: number,
  y: number,
  options: {
    lineHeight?: number
    anchor?: 'start' | 'middle' | 'end'
    size?: number
    weight?: string
    fill?: string
  } = {},
): string {
  const lineHeight = options.lineHeight ?? 18
  const attrs = [
    `x="${x}"`,
    `y="${y}"`,
    `font-size="${options.size ?? 14}"`,
    `text-anchor="${options.anchor ?? 'middle'}"`,
    `fill="${options.fill ?? '#212b32'}"`,
    options.weight ? `font-weight="${options.weight}"` : '',
  ]
    .filter(Boolean)
    .join(' ')
  const spans = lines
    .map((line, i) => `<tspan x="${x}" dy="${i === 0 ? 0 : lineHeight}">${escapeXml(line)}</tspan>`)
    .join('')
  return `<text ${attrs}>${spans}</text>`
}

/** Rounds to one decimal place, for tidy coordinates. */
export function r(n: number): number {
  return Math.round(n * 10) / 10
}

/**
 * The accessible SVG wrapper: role="img", labelled by its <title> and described by
 * its <desc> (ids made unique on the page with `id`).
 */
export function svgDocument(options: {
  id: string
  width: number
  height: number
  title: string
  desc: string
  body: string
  className?: string
}): string {
  const { id, width, height } = options
  const w = Math.ceil(width)
  const h = Math.ceil(height)
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="${options.className ?? 'app-diagram'}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" ` +
    `role="img" aria-labelledby="${id}-title ${id}-desc" font-family="Frutiger W01, Arial, Helvetica, sans-serif">` +
    `<title id="${id}-title">${escapeXml(options.title)}</title>` +
    `<desc id="${id}-desc">${escapeXml(options.desc)}</desc>` +
    `<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>` +
    options.body +
    `</svg>`
  )
}

/** An arrow-head marker definition, referenced as url(#<id>). */
export function arrowMarker(id: string, fill = '#425563'): string {
  return `<defs><marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${fill}"/></marker></defs>`
}

/** NHS identity colours used by the diagrams (text on them meets WCAG AA). */
export const COLOURS = {
  blue: '#005eb8',
  darkBlue: '#003087',
  paleBlue: '#e8f1f8',
  grey: '#425563',
  midGrey: '#768692',
  paleGrey: '#e8edee',
  green: '#007f3b',
  paleGreen: '#e6f2eb',
  red: '#d5281b',
  paleRed: '#fbe9e7',
  yellow: '#ffeb3b',
  paleYellow: '#fff9c4',
  text: '#212b32',
  white: '#ffffff',
}
