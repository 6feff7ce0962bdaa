/**
 * What a poster file is, read from its bytes (never its name or the browser's word), and the
 * checks that refuse one before anything is stored: the type, the size, a truncated file, pixel
 * dimensions too large to decode safely, and PDFs that carry JavaScript, embedded files, launch
 * actions or encryption (which would hide either). The decoding and re-encoding itself is done
 * later, in a background job in a separate process (processing.ts).
 */
import { inflateSync } from 'node:zlib'

export const POSTER_LIMITS = {
  maxBytes: 20 * 1024 * 1024,
  /** Either side of an image, in pixels. */
  maxSide: 12_000,
  /** Width × height: an image is decoded whole (4 bytes a pixel) before it is re-encoded. */
  maxPixels: 36_000_000,
  /** The re-encoded poster image's longer side. */
  posterSide: 4_000,
  previewWidth: 1_200,
  thumbnailWidth: 400,
  /** What a PDF's compressed streams may inflate to, in all, while they are checked. */
  maxInflatedBytes: 200 * 1024 * 1024,
}

export type PosterKind = 'pdf' | 'png' | 'jpeg'

export interface CheckedFile {
  kind: PosterKind
  contentType: 'application/pdf' | 'image/png' | 'image/jpeg'
  width: number | null
  height: number | null
}

/** A file refused before it is stored: the message is shown in the NHS.UK error summary. */
export class PosterFileError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message)
  }
}

const KIND_NAMES: Record<PosterKind, string> = { pdf: 'a PDF', png: 'a PNG image', jpeg: 'a JPEG image' }
const EXTENSIONS: Record<string, PosterKind> = { pdf: 'pdf', png: 'png', jpg: 'jpeg', jpeg: 'jpeg' }
const CONTENT_TYPES = { pdf: 'application/pdf', png: 'image/png', jpeg: 'image/jpeg' } as const

export const NOT_A_POSTER = 'The selected file must be a PDF, PNG or JPEG'

export function tooLargeMessage(): string {
  return `The selected file must be smaller than ${POSTER_LIMITS.maxBytes / 1024 / 1024} MB`
}

/** The type from the first bytes, or null. */
export function sniff(bytes: Uint8Array): PosterKind | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (b.length >= 5 && b.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf'
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'png'
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
  return null
}

/**
 * Checks an upload and says what it is, or throws PosterFileError with the message to show.
 * @example checkPosterFile(pngBytes, 'poster.png') // { kind: 'png', contentType: 'image/png', width: 800, height: 600 }
 */
export function checkPosterFile(bytes: Buffer, filename = ''): CheckedFile {
  if (bytes.length === 0) throw new PosterFileError('The selected file is empty')
  if (bytes.length > POSTER_LIMITS.maxBytes) throw new PosterFileError(tooLargeMessage(), 413)
  const kind = sniff(bytes)
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(filename)?.[1]?.toLowerCase()
  const named = ext ? EXTENSIONS[ext] : undefined
  if (!kind) {
    throw new PosterFileError(
      named
        ? `The selected file's name ends in .${ext} but it is not ${KIND_NAMES[named]}: it must be a PDF, PNG or JPEG`
        : NOT_A_POSTER,
    )
  }
  if (ext && named !== kind)
    throw new PosterFileError(
      `The selected file is ${KIND_NAMES[kind]} but its name ends in .${ext}: rename it to end in .${kind === 'jpeg' ? 'jpg' : kind}, or choose the file you meant`,
    )
  if (kind === 'pdf') {
    checkPdf(bytes)
    return { kind, contentType: CONTENT_TYPES.pdf, width: null, height: null }
  }
  const size = kind === 'png' ? pngSize(bytes) : jpegSize(bytes)
  if (size.width < 1 || size.height < 1) throw new PosterFileError('The selected image has no pixels')
  if (
    size.width > POSTER_LIMITS.maxSide ||
    size.height > POSTER_LIMITS.maxSide ||
    size.width * size.height > POSTER_LIMITS.maxPixels
  )
    throw new PosterFileError(
      `The selected image is ${size.width.toLocaleString('en-GB')} × ${size.height.toLocaleString('en-GB')} pixels: it must be at most ${POSTER_LIMITS.maxSide.toLocaleString('en-GB')} pixels on either side and ${POSTER_LIMITS.maxPixels / 1_000_000} million pixels in all. Save a smaller copy and upload that`,
    )
  return { kind, contentType: CONTENT_TYPES[kind], ...size }
}

const truncated = () =>
  new PosterFileError('The selected file is incomplete (the upload may have been cut short): upload it again')

/** Width and height from IHDR, after walking every chunk to the IEND that ends a whole file. */
function pngSize(b: Buffer): { width: number; height: number } {
  if (b.length < 33 || b.subarray(12, 16).toString('latin1') !== 'IHDR') throw truncated()
  const width = b.readUInt32BE(16)
  const height = b.readUInt32BE(20)
  let at = 8
  while (at + 12 <= b.length) {
    const length = b.readUInt32BE(at)
    const type = b.subarray(at + 4, at + 8).toString('latin1')
    at += 12 + length
    if (type === 'IEND') return { width, height }
  }
  throw truncated()
}

/** Width and height from the frame header; only baseline and extended sequential JPEGs are taken. */
function jpegSize(b: Buffer): { width: number; height: number } {
  let at = 2
  let size: { width: number; height: number } | null = null
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff)
      throw new PosterFileError('The selected JPEG image is damaged: save it again and upload it')
    const marker = b[at + 1]
    if (marker === 0xff) {
      at++
      continue
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2
      continue
    }
    const length = b.readUInt16BE(at + 2)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (marker !== 0xc0 && marker !== 0xc1)
        throw new PosterFileError(
          'The selected JPEG image is saved as progressive or another kind we cannot check: save it as a standard (baseline) JPEG or as a PNG, and upload that',
        )
      if (at + 9 > b.length) throw truncated()
      size = { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) }
    }
    if (marker === 0xda) break // start of scan: the compressed picture follows
    at += 2 + length
  }
  if (!size) throw truncated()
  // A whole file ends with the end-of-image marker (a few bytes of padding may follow it).
  const tail = b.subarray(Math.max(0, b.length - 64))
  if (tail.lastIndexOf(Buffer.from([0xff, 0xd9])) < 0) throw truncated()
  return size
}

/** PDF names may escape characters as #xx (`/J#61vaScript`): undo that before looking. */
function decodeNames(text: string): string {
  return text.replace(/\/[^\s/<>[\]()%{}]*/g, (name) =>
    name.includes('#')
      ? name.replace(/#([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      : name,
  )
}

const FORBIDDEN: [RegExp, string][] = [
  [
    /\/(JavaScript|JS)(?![A-Za-z0-9])/,
    'The selected PDF contains JavaScript: save it again without scripts or form actions (for example with “Print to PDF”), or upload a PNG or JPEG',
  ],
  [
    /\/(EmbeddedFiles?|FileAttachment)(?![A-Za-z0-9])/,
    'The selected PDF has files attached inside it: remove the attachments (or “Print to PDF”) and upload it again',
  ],
  [
    /\/(Launch|RichMedia|XFA|SubmitForm|ImportData)(?![A-Za-z0-9])/,
    'The selected PDF contains actions or interactive content we do not accept: “Print to PDF” and upload the copy',
  ],
  [
    /\/Encrypt(?![A-Za-z0-9])/,
    'The selected PDF is encrypted or password protected, so it cannot be checked: save a copy without protection and upload that',
  ],
]

function scanPdfText(text: string): void {
  const plain = decodeNames(text)
  for (const [pattern, message] of FORBIDDEN) if (pattern.test(plain)) throw new PosterFileError(message)
}

/** The PDF's own text and every Flate stream inflated (object streams can hide dictionaries). */
function checkPdf(b: Buffer): void {
  const tail = b.subarray(Math.max(0, b.length - 2048)).toString('latin1')
  if (!tail.includes('%%EOF')) throw truncated()
  const text = b.toString('latin1')
  scanPdfText(text)
  let budget = POSTER_LIMITS.maxInflatedBytes
  const streams = /stream\r?\n/g
  let m: RegExpExecArray | null
  while ((m = streams.exec(text))) {
    const start = m.index + m[0].length
    const end = text.indexOf('endstream', start)
    if (end < 0) break
    // Only streams whose dictionary (just before `stream`) says FlateDecode.
    const dict = text.slice(Math.max(0, m.index - 400), m.index)
    streams.lastIndex = end + 9
    if (!/\/FlateDecode/.test(dict.slice(dict.lastIndexOf('<<')))) continue
    let inflated: Buffer
    try {
      inflated = inflateSync(b.subarray(start, end), { maxOutputLength: Math.max(1, budget) })
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'ERR_BUFFER_TOO_LARGE')
        throw new PosterFileError(
          'The selected PDF expands to far more data than a poster needs, so it cannot be checked: “Print to PDF” and upload the copy',
        )
      continue // a damaged or image stream: a viewer would skip it too
    }
    budget -= inflated.length
    if (budget <= 0)
      throw new PosterFileError(
        'The selected PDF expands to far more data than a poster needs, so it cannot be checked: “Print to PDF” and upload the copy',
      )
    scanPdfText(inflated.toString('latin1'))
  }
}

/** The download's file name: the poster's slug and the extension of what it is. */
export function downloadName(slug: string, contentType: string): string {
  const ext = contentType === 'application/pdf' ? 'pdf' : contentType === 'image/jpeg' ? 'jpg' : 'png'
  return `${slug.replace(/[^a-z0-9-]/g, '').slice(0, 80) || 'poster'}.${ext}`
}

export function kindOf(contentType: string): 'pdf' | 'image' {
  return contentType === 'application/pdf' ? 'pdf' : 'image'
}
