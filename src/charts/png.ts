import { Resvg } from '@resvg/resvg-js'

/**
 * Renders an SVG string to PNG bytes with resvg, using the system fonts (Arial, or Liberation Sans
 * where Arial is not installed: Debian's fonts-liberation).
 * @example renderPng(renderSpcChartSvg(result)).subarray(0, 8) // <89 50 4e 47 0d 0a 1a 0a>
 */
export function renderPng(svg: string, options: { scale?: number } = {}): Buffer {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'Liberation Sans', sansSerifFamily: 'Liberation Sans' },
    fitTo:
      options.scale && options.scale !== 1 ? { mode: 'zoom', value: options.scale } : { mode: 'original' },
    background: '#FFFFFF',
  })
  return resvg.render().asPng()
}
