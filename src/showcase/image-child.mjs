// The one place a poster image is decoded: a separate Node process (processing.ts starts it with
// a memory and a time limit), so a hostile or broken file can only end this process, never the
// app, and a long decode never blocks the app's event loop. Plain JavaScript, so it starts
// without the TypeScript loader.
//
// stdin: the image's bytes. argv: content type, width, height, the file's byte length, then one
// target width per rendition (smallest first, so a thumbnail is ready soonest). stdout, for each
// rendition as soon as it is drawn: a JSON line (its size, byte length and time since the start)
// and its PNG; then a last JSON line with the peak memory. Nothing is kept once written: a
// 20 MB picture peaked at 313 MB when every rendition waited for the last. Exit 3 with a message
// on stderr when the image cannot be read.
import { Resvg } from '@resvg/resvg-js'

const [_contentType, w, h, size, ...targets] = process.argv.slice(2)
const width = Number(w)
const height = Number(h)

// Read into one buffer of the file's size: chunks and their concatenation held it twice.
let bytes = Buffer.allocUnsafe(Number(size))
let filled = 0
for await (const chunk of process.stdin) {
  if (filled + chunk.length > bytes.length) {
    process.stderr.write('The image is larger than it was said to be')
    process.exit(3)
  }
  chunk.copy(bytes, filled)
  filled += chunk.length
}
bytes = bytes.subarray(0, filled)
// The picture is drawn into an SVG of its own size; each rendition scales that SVG. The image is
// handed to resvg as bytes (resolveImage), not as a base64 data URL inside the SVG text: that
// would hold three more copies of a 20 MB file at once (the base64 text, the SVG, resvg's copy).
// resvg asks only for http(s) addresses, so the name is one under .invalid, never fetched.
const svg =
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
  `<image width="${width}" height="${height}" preserveAspectRatio="none" href="https://poster.invalid/image"/></svg>`

let checkPixels = true

/**
 * Decodes the image and draws it `targetWidth` wide (never wider than it is), as a fresh PNG.
 * The drawing's tree (with resvg's copy of the file and its decoded pixels) is let go before
 * the PNG is encoded, and for the last rendition the file's bytes too.
 */
function draw(targetWidth, last) {
  const tw = Math.max(1, Math.min(width, Math.round(targetWidth)))
  let resvg = new Resvg(svg, { fitTo: { mode: 'width', value: tw } })
  for (const href of resvg.imagesToResolve()) resvg.resolveImage(href, bytes)
  if (last) bytes = null
  const rendered = resvg.render()
  resvg = null
  globalThis.gc?.()
  // A file resvg cannot decode draws nothing: every pixel stays transparent. The smallest
  // rendition (drawn first) is enough to tell; reading a large one's pixels would copy them all.
  if (!checkPixels) return { png: rendered.asPng(), width: rendered.width, height: rendered.height }
  checkPixels = false
  const pixels = rendered.pixels
  const step = Math.max(4, Math.floor(pixels.length / 4 / 20000) * 4)
  let seen = false
  for (let i = 3; i < pixels.length; i += step)
    if (pixels[i] !== 0) {
      seen = true
      break
    }
  if (!seen) {
    process.stderr.write('The image could not be read: it may be damaged or in a form we cannot open')
    process.exit(3)
  }
  return { png: rendered.asPng(), width: rendered.width, height: rendered.height }
}

const started = Date.now()
/** Writes, and waits until the pipe has taken it (so what was written can be let go). */
const write = (chunk) =>
  new Promise((resolve) => (process.stdout.write(chunk) ? resolve() : process.stdout.once('drain', resolve)))
for (const [i, target] of targets.entries()) {
  let d = draw(Number(target), i === targets.length - 1)
  const { png } = d
  await write(
    JSON.stringify({ width: d.width, height: d.height, bytes: png.length, ms: Date.now() - started }) + '\n',
  )
  d = null
  await write(png)
  globalThis.gc?.()
}
process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }) + '\n')
