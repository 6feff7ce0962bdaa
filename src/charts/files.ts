import { renderPng } from './png.js'

/**
 * A download's file name from what it shows: lower case, runs of anything else than a–z and 0–9
 * as one hyphen, at most 60 characters, `fallback` when nothing is left.
 * @example fileName('A&E 4-hour performance', 'measure', 'png') // 'a-e-4-hour-performance.png'
 */
export function fileName(name: string, fallback: string, extension: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)
    .replace(/-$/, '')
  return `${slug || fallback}.${extension}`
}

/** A picture to download: the SVG as a standalone file, or a PNG drawn from it at twice its size. */
export type PictureFormat = 'svg' | 'png'

/**
 * The file of a chart or diagram picture, as the measure and diagram downloads send it.
 * @example pictureFile(svg, 'Driver diagram: Falls', 'png').filename // 'driver-diagram-falls.png'
 */
export function pictureFile(
  svg: string,
  name: string,
  format: PictureFormat,
  fallback = 'picture',
): { filename: string; body: string | Buffer } {
  return {
    filename: fileName(name, fallback, format),
    body: format === 'svg' ? `<?xml version="1.0" encoding="UTF-8"?>\n${svg}` : renderPng(svg, { scale: 2 }),
  }
}
