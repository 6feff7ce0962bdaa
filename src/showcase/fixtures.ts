/**
 * Poster files for tests and the benchmark, made here rather than shipped: PNGs of any size
 * (with metadata chunks, or random pixels that do not compress), a small baseline JPEG with an
 * EXIF block added, PDFs (a real one from pdfkit, and ones carrying JavaScript or an attachment,
 * in plain or compressed objects).
 */
import { deflateSync, crc32 } from 'node:zlib'
import { randomBytes } from 'node:crypto'
import PDFDocument from 'pdfkit'

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0)
  return Buffer.concat([head, data, crc])
}

/**
 * A PNG of width × height (RGB). `noise` fills it with random bytes (a large file that decodes
 * slowly); `text` adds a tEXt chunk (metadata the re-encoding must drop); `claimed` writes other
 * dimensions into the header than the pixels have (a decompression bomb's header).
 */
export function makePng(
  width: number,
  height: number,
  options: { noise?: boolean; text?: string; claimed?: { width: number; height: number } } = {},
): Buffer {
  const ihdr = Buffer.alloc(13)
  const claimed = options.claimed ?? { width, height }
  ihdr.writeUInt32BE(claimed.width, 0)
  ihdr.writeUInt32BE(claimed.height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  const row = width * 3 + 1
  const raw = options.noise ? randomBytes(row * height) : Buffer.alloc(row * height)
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0 // filter: none
    if (!options.noise)
      for (let x = 0; x < width; x++) {
        const i = y * row + 1 + x * 3
        raw[i] = 0
        raw[i + 1] = (94 + y) & 0xff
        raw[i + 2] = (184 + x) & 0xff
      }
  }
  const parts = [
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(options.text ? [chunk('tEXt', Buffer.from(`Comment\u0000${options.text}`, 'latin1'))] : []),
    chunk('IDAT', deflateSync(raw, { level: options.noise ? 0 : 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]
  return Buffer.concat(parts)
}

/** A 16 × 16 baseline JPEG (CPython's test image, python.jpg). */
export const SMALL_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolvw4KOp1KM6iCNvngZHwetf//Z',
  'base64',
)

/** The JPEG with an EXIF (APP1) block carrying `text`, as a phone adds a location. */
export function jpegWithExif(text: string): Buffer {
  const payload = Buffer.concat([Buffer.from('Exif\u0000\u0000', 'latin1'), Buffer.from(text, 'latin1')])
  const head = Buffer.from([0xff, 0xe1, 0, 0])
  head.writeUInt16BE(payload.length + 2, 2)
  return Buffer.concat([SMALL_JPEG.subarray(0, 2), head, payload, SMALL_JPEG.subarray(2)])
}

/** A one-page PDF from pdfkit with a title on it. */
export async function makePdf(title = 'Improving discharge (DEMO poster)'): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', info: { Title: title } })
  const parts: Buffer[] = []
  doc.on('data', (c: Buffer) => parts.push(c))
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()))
  doc.fontSize(24).text(title)
  doc.end()
  await done
  return Buffer.concat(parts)
}

/** A minimal PDF whose catalogue holds `extra` (say an /OpenAction with JavaScript). */
export function pdfWith(extra: string, options: { compressed?: boolean } = {}): Buffer {
  const objects = options.compressed
    ? [
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [] /Count 0 >>',
        `<< /Length LEN /Filter /FlateDecode >>`,
      ]
    : [`<< /Type /Catalog /Pages 2 0 R ${extra} >>`, '<< /Type /Pages /Kids [] /Count 0 >>']
  let body = '%PDF-1.7\n'
  const parts: Buffer[] = []
  objects.forEach((o, i) => {
    if (o.includes('LEN')) {
      const stream = deflateSync(Buffer.from(`<< ${extra} >>`, 'latin1'))
      parts.push(
        Buffer.from(body + `${i + 1} 0 obj\n${o.replace('LEN', String(stream.length))}\nstream\n`, 'latin1'),
      )
      parts.push(stream)
      body = '\nendstream\nendobj\n'
    } else body += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  body += 'trailer\n<< /Root 1 0 R >>\n%%EOF\n'
  parts.push(Buffer.from(body, 'latin1'))
  return Buffer.concat(parts)
}

/** A multipart/form-data body as a browser sends it, with one file and some fields. */
export function multipart(
  fields: Record<string, string | string[]>,
  file: { name?: string; filename: string; contentType: string; bytes: Buffer } | null,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----qiBoundary' + randomBytes(8).toString('hex')
  const parts: Buffer[] = []
  for (const [k, v] of Object.entries(fields))
    for (const value of ([] as string[]).concat(v))
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${value}\r\n`),
      )
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name ?? 'file'}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
      ),
    )
    parts.push(file.bytes, Buffer.from('\r\n'))
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

/** What a test needs of a signed-in browser to take a poster through its lifecycle. */
interface PosterBrowser {
  csrf: string
  get(url: string): Promise<{ statusCode: number; body: string }>
  submit(
    pageUrl: string,
    action: string,
    form: Record<string, string | string[]>,
  ): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>
  request(options: {
    method: 'POST'
    url: string
    payload: Buffer
    headers: Record<string, string>
  }): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>
}

/**
 * A poster taken as far as `until` through the routes a team and the Steering Group use:
 * uploaded (its file job run), consent confirmed (nobody shown), submitted, approved.
 */
export async function posterThrough(
  runJobs: () => Promise<unknown>,
  team: PosterBrowser,
  steering: PosterBrowser,
  fields: Record<string, string | string[]>,
  until: 'draft' | 'submitted' | 'approved' = 'approved',
): Promise<string> {
  await team.get('/showcase/posters/new')
  const body = multipart(
    {
      summary: `${String(fields.title)}: what we changed and what happened.`,
      visibility: 'public',
      ...fields,
    },
    { filename: 'poster.pdf', contentType: 'application/pdf', bytes: await makePdf() },
  )
  const created = await team.request({
    method: 'POST',
    url: `/showcase/posters?_csrf=${encodeURIComponent(team.csrf)}`,
    payload: body.payload,
    headers: body.headers,
  })
  if (created.statusCode !== 303) throw new Error(`upload failed: ${created.statusCode}`)
  const id = String(created.headers.location).split('/').pop()!
  await runJobs()
  if (until === 'draft') return id
  await team.submit(`/showcase/posters/${id}/consent`, `/showcase/posters/${id}/consent/confirm`, {
    nobodyIdentifiable: 'on',
    confirmed: 'on',
  })
  const submitted = await team.submit(`/showcase/posters/${id}`, `/showcase/posters/${id}/submit`, {})
  if (submitted.statusCode !== 303) throw new Error(`submit failed: ${submitted.statusCode}`)
  if (until === 'submitted') return id
  const approved = await steering.submit(`/showcase/posters/${id}`, `/showcase/posters/${id}/decision`, {
    decision: 'approve',
  })
  if (approved.statusCode !== 303) throw new Error(`approval failed: ${approved.statusCode}`)
  return id
}
