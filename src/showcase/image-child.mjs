// The one place a poster image is decoded: a separate Node process (processing.ts starts it with
// a memory and a time limit), so a hostile or broken file can only end this process, never the
// app, and a long decode never blocks the app's event loop. Plain JavaScript, so it starts
// without the TypeScript loader.
//
// stdin: the image's bytes. argv: content type, width, height, then one target width per
// rendition (smallest first, so a thumbnail is ready soonest). stdout: a JSON line (each rendition's size, byte length and time since the start,
// and the peak memory),
// then the PNGs one after another. Exit 3 with a message on stderr when the image cannot be read.
import { Resvg } from '@resvg/resvg-js'

const [_contentType, w, h, ...targets] = process.argv.slice(2)
const width = Number(w)
const height = Number(h)

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
let bytes = Buffer.concat(chunks)
chunks.length = 0
globalThis.gc?.()
// The picture is drawn into an SVG of its own size; each rendition scales that SVG. The image is
// handed to resvg as bytes (resolveImage), not as a base64 data URL inside the SVG text: that
// would hold three more copies of a 20 MB file at once (the base64 text, the SVG, resvg's copy).
// resvg asks only for http(s) addresses, so the name is one under .invalid, never fetched.
const svg =
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
  `<image width="${width}" height="${height}" preserveAspectRatio="none" href="https://poster.invalid/image"/></svg>`

let checkPixels = true

/** Decodes the image and draws it `targetWidth` wide (never wider than it is), as a fresh PNG. */
function draw(targetWidth) {
  const tw = Math.max(1, Math.min(width, Math.round(targetWidth)))
  const resvg = new Resvg(svg, { fitTo: { mode: 'width', value: tw } })
  for (const href of resvg.imagesToResolve()) resvg.resolveImage(href, bytes)
  const rendered = resvg.render()
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

const out = []
const started = Date.now()
for (const target of targets) {
  out.push({ ...draw(Number(target)), ms: Date.now() - started })
  globalThis.gc?.()
}
bytes = Buffer.alloc(0)
const head = {
  renditions: out.map((d) => ({ width: d.width, height: d.height, bytes: d.png.length, ms: d.ms })),
  maxRssKb: process.resourceUsage().maxRSS,
}
process.stdout.write(JSON.stringify(head) + '\n')
for (const d of out) process.stdout.write(d.png)
