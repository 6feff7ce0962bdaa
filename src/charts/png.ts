import { existsSync } from 'node:fs'
import { crc32, deflateSync } from 'node:zlib'
import { Resvg } from '@resvg/resvg-js'

// Liberation Sans (Debian's fonts-liberation, metric-compatible with Arial, which the charts
// name) loaded from its files: scanning every system font for each chart cost as much as
// drawing it (18 ms against 9 ms). Where the files are not there, the system's fonts are used.
const LIBERATION = '/usr/share/fonts/truetype/liberation'
const FONT_FILES = ['Regular', 'Bold', 'Italic', 'BoldItalic']
  .map((style) => `${LIBERATION}/LiberationSans-${style}.ttf`)
  .filter((file) => existsSync(file))
const FONT = FONT_FILES.length
  ? { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'Liberation Sans' }
  : { loadSystemFonts: true, defaultFontFamily: 'Liberation Sans', sansSerifFamily: 'Liberation Sans' }

/**
 * Renders an SVG string to PNG bytes with resvg, on white. The PNG is RGB without an alpha
 * channel (the background is opaque, so alpha says nothing): pdfkit embeds such a PNG's data as
 * it is, where an RGBA one had its pixels split in JavaScript, 150 ms a chart in a board pack.
 * @example renderPng(renderSpcChartSvg(result)).subarray(0, 8) // <89 50 4e 47 0d 0a 1a 0a>
 */
export function renderPng(svg: string, options: { scale?: number } = {}): Buffer {
  const resvg = new Resvg(svg, {
    font: FONT,
    fitTo:
      options.scale && options.scale !== 1 ? { mode: 'zoom', value: options.scale } : { mode: 'original' },
    background: '#FFFFFF',
  })
  const image = resvg.render()
  return opaquePng(image.pixels, image.width, image.height)
}

/** An 8-bit RGB PNG of opaque RGBA pixels (each scanline filtered "Up": flat charts compress well). */
function opaquePng(rgba: Buffer, width: number, height: number): Buffer {
  const stride = width * 3 + 1
  const raw = Buffer.alloc(stride * height)
  for (let y = 0; y < height; y++) {
    const row = y * stride
    raw[row] = y === 0 ? 0 : 2
    for (let x = 0, i = y * width * 4, o = row + 1; x < width; x++, i += 4, o += 3) {
      raw[o] = rgba[i]
      raw[o + 1] = rgba[i + 1]
      raw[o + 2] = rgba[i + 2]
    }
  }
  // "Up" takes each byte from the one above it, right to left so the row above is still raw.
  for (let y = height - 1; y > 0; y--) {
    const row = y * stride
    for (let o = stride - 1; o > 0; o--) raw[row + o] = (raw[row + o] - raw[row - stride + o]) & 0xff
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'ascii')
  data.copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}
