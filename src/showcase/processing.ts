/**
 * The background work on an uploaded poster file: images are decoded and re-encoded as PNG (so
 * EXIF, comments and anything appended to the file are gone) at three sizes, in a child process
 * with a memory and time limit (image-child.mjs); a PDF, already checked at upload, is kept as it
 * is and gets a generated preview card, as nothing on this machine's proven stack can draw a PDF
 * page (pdfkit writes PDFs, resvg draws SVG; docs/showcase.md).
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { renderPng } from '../charts/png.js'
import { escapeXml } from '../core/escape.js'
import { POSTER_LIMITS } from './files.js'

export interface Rendition {
  role: 'poster' | 'preview' | 'thumbnail'
  contentType: string
  bytes: Buffer
  width: number | null
  height: number | null
}

/** The image could not be decoded: shown to the team, who can upload another file. */
export class UnreadableImageError extends Error {}

const CHILD = fileURLToPath(new URL('./image-child.mjs', import.meta.url))
/** Address space for the child (KiB): well above a 36-megapixel decode, far below the machine. */
const CHILD_MEMORY_KB = 3_000_000
const CHILD_TIMEOUT_MS = 60_000

/** The line before each rendition's PNG in the child's output. */
interface ChildRendition {
  width: number
  height: number
  bytes: number
  ms: number
}

/** Decodes and re-encodes an image in a child process; the renditions and the child's peak memory. */
export async function renderImage(
  bytes: Buffer,
  contentType: string,
  width: number,
  height: number,
): Promise<{ renditions: Rendition[]; maxRssKb: number; thumbnailMs: number }> {
  const posterWidth = width * Math.min(1, POSTER_LIMITS.posterSide / Math.max(width, height))
  const roles = ['thumbnail', 'preview', 'poster'] as const
  const targets = [POSTER_LIMITS.thumbnailWidth, POSTER_LIMITS.previewWidth, posterWidth]
  const args = [
    contentType,
    String(width),
    String(height),
    String(bytes.length),
    ...targets.map((t) => String(Math.round(t))),
  ]
  const output = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn(
      '/bin/sh',
      [
        '-c',
        `ulimit -v ${CHILD_MEMORY_KB} 2>/dev/null; exec "$0" "$@"`,
        process.execPath,
        '--expose-gc',
        CHILD,
        ...args,
      ],
      // Large blocks straight from the system and given back when freed: the child's peak is the
      // most it holds at once, not that plus what the allocator kept from earlier renditions.
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '65536' },
      },
    )
    const out: Buffer[] = []
    const err: Buffer[] = []
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS)
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    child.stdin.on('error', () => undefined) // the child may exit before reading it all
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) return resolve(Buffer.concat(out))
      const message = Buffer.concat(err).toString('utf8').trim()
      reject(
        new UnreadableImageError(
          code === 3 && message
            ? message
            : signal
              ? 'The image took too long or too much memory to open: save a smaller copy and upload that'
              : 'The image could not be read: it may be damaged or in a form we cannot open',
        ),
      )
    })
    child.stdin.end(bytes)
  })
  const unreadable = () =>
    new UnreadableImageError('The image could not be read: it may be damaged or in a form we cannot open')
  /** The JSON line at `from`, and where the bytes after it start. */
  const lineAt = (from: number): { value: unknown; next: number } => {
    const end = output.indexOf(0x0a, from)
    if (end < 0) throw unreadable()
    try {
      return { value: JSON.parse(output.subarray(from, end).toString('utf8')), next: end + 1 }
    } catch {
      throw unreadable()
    }
  }
  const renditions: Rendition[] = []
  let thumbnailMs = 0
  let at = 0
  for (const role of roles) {
    const { value, next } = lineAt(at)
    const r = value as ChildRendition
    if (typeof r.bytes !== 'number' || next + r.bytes > output.length) throw unreadable()
    if (role === 'thumbnail') thumbnailMs = r.ms
    renditions.push({
      role,
      contentType: 'image/png',
      bytes: Buffer.from(output.subarray(next, next + r.bytes)),
      width: r.width,
      height: r.height,
    })
    at = next + r.bytes
  }
  const { maxRssKb } = lineAt(at).value as { maxRssKb: number }
  return { renditions, maxRssKb, thumbnailMs }
}

/** Words of `text` in lines of at most `max` characters. */
function wrap(text: string, max: number, lines: number): string[] {
  const out: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if ((line + ' ' + word).trim().length > max && line) {
      out.push(line)
      line = word
    } else line = (line + ' ' + word).trim()
  }
  if (line) out.push(line)
  if (out.length > lines) {
    out.length = lines
    out[lines - 1] = out[lines - 1].replace(/.{0,2}$/, '…')
  }
  return out
}

/**
 * The preview of a PDF poster: a card with its title, drawn by us (a PDF page is not rendered,
 * here or in the browser from our origin). 3:4, like an A-series poster in portrait.
 */
export function pdfPreviewCard(title: string, width: number): Buffer {
  const w = 600
  const h = 800
  const lines = wrap(title, 22, 6)
  const text = lines
    .map(
      (l, i) =>
        `<text x="48" y="${250 + i * 56}" font-size="44" font-weight="bold" fill="#212b32">${escapeXml(l)}</text>`,
    )
    .join('')
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
    `<rect width="${w}" height="${h}" fill="#ffffff"/><rect x="0" y="0" width="${w}" height="140" fill="#005eb8"/>` +
    `<text x="48" y="88" font-size="40" font-weight="bold" fill="#ffffff">PDF poster</text>` +
    text +
    `<rect x="48" y="${h - 150}" width="${w - 96}" height="4" fill="#005eb8"/>` +
    `<text x="48" y="${h - 90}" font-size="30" fill="#4c6272">Download the PDF to read it</text>` +
    `<rect x="1" y="1" width="${w - 2}" height="${h - 2}" fill="none" stroke="#d8dde0" stroke-width="2"/></svg>`
  return renderPng(svg, { scale: width / w })
}

/** The renditions of a checked PDF: the file itself, and preview and thumbnail cards. */
export function pdfRenditions(bytes: Buffer, title: string): Rendition[] {
  const card = (width: number) => pdfPreviewCard(title, width)
  return [
    { role: 'poster', contentType: 'application/pdf', bytes, width: null, height: null },
    {
      role: 'preview',
      contentType: 'image/png',
      bytes: card(POSTER_LIMITS.previewWidth / 2),
      width: POSTER_LIMITS.previewWidth / 2,
      height: (POSTER_LIMITS.previewWidth / 2) * (4 / 3),
    },
    {
      role: 'thumbnail',
      contentType: 'image/png',
      bytes: card(POSTER_LIMITS.thumbnailWidth),
      width: POSTER_LIMITS.thumbnailWidth,
      height: Math.round(POSTER_LIMITS.thumbnailWidth * (4 / 3)),
    },
  ]
}
