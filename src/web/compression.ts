import { promisify } from 'node:util'
import zlib from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'

export type Encoding = 'br' | 'gzip'

/** Below this a compressed answer saves less than its headers and the CPU cost. */
export const MIN_COMPRESS_BYTES = 1024

const brotli = promisify(zlib.brotliCompress)
const gzip = promisify(zlib.gzip)

const COMPRESSIBLE =
  /^(text\/(html|css|javascript|csv|plain|calendar)|application\/(javascript|json|problem\+json|manifest\+json|xml)|image\/svg\+xml)\b/i

/** True for the content types worth compressing (markup, styles, scripts, data as text). */
export function isCompressible(contentType: string | undefined): boolean {
  return COMPRESSIBLE.test(contentType ?? '')
}

/**
 * The encoding to answer with, from an Accept-Encoding header: brotli when accepted,
 * else gzip, else none. Honours `q=0` (refused) and `*`.
 * @example chooseEncoding('gzip, deflate, br') // 'br'
 * @example chooseEncoding('br;q=0, gzip') // 'gzip'
 */
export function chooseEncoding(header: string | string[] | undefined): Encoding | null {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '')
  const q = new Map<string, number>()
  for (const part of value.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    if (!name) continue
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const weight = qParam ? Number(qParam.slice(2)) : 1
    q.set(name, Number.isFinite(weight) ? weight : 0)
  }
  const weight = (name: Encoding) => q.get(name) ?? q.get('*') ?? 0
  const br = weight('br')
  const gz = weight('gzip')
  if (br > 0 && br >= gz) return 'br'
  if (gz > 0) return 'gzip'
  return null
}

/**
 * Up to this size a page is compressed on the request's own thread: a 27 KB page takes 0.2 ms
 * of CPU so, and 0.5 ms through the thread pool (the hop and a fresh encoder cost more than the
 * work); 128 KB holds the event loop about 1 ms. Larger answers go to the pool.
 */
export const SYNC_COMPRESS_BYTES = 128 * 1024

/**
 * Compresses text. `static` spends effort once for files kept in memory; `dynamic` is
 * for pages made per request, where brotli 4 beats gzip 6 in size at a similar cost.
 */
export async function compress(
  body: Buffer,
  encoding: Encoding,
  effort: 'static' | 'dynamic',
): Promise<Buffer> {
  const sync = effort === 'dynamic' && body.length <= SYNC_COMPRESS_BYTES
  if (encoding === 'gzip') {
    const options = { level: effort === 'static' ? 9 : 6 }
    return sync ? zlib.gzipSync(body, options) : gzip(body, options)
  }
  const options = {
    params: {
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_QUALITY]: effort === 'static' ? 11 : 4,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  }
  return sync ? zlib.brotliCompressSync(body, options) : brotli(body, options)
}

/** Adds a value to the Vary header without repeating it. */
export function addVary(reply: FastifyReply, value: string): void {
  const current = reply.getHeader('vary')
  const list = String(current ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
  if (list.includes('*') || list.some((v) => v.toLowerCase() === value.toLowerCase())) return
  reply.header('vary', [...list, value].join(', '))
}

/**
 * onSend: compresses pages and other text answers made per request (HTML, JSON, CSV, SVG)
 * when the browser accepts it and the answer is at least 1 KB. Static files arrive already
 * encoded (their compressed forms are kept), so they are left alone.
 */
export async function compressAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  if (!(typeof payload === 'string' || Buffer.isBuffer(payload))) return payload
  if (reply.getHeader('content-encoding')) return payload
  if (!isCompressible(reply.getHeader('content-type') as string | undefined)) return payload
  addVary(reply, 'Accept-Encoding')
  const status = reply.statusCode
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return payload
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload
  if (body.length < MIN_COMPRESS_BYTES) return payload
  const encoding = chooseEncoding(request.headers['accept-encoding'])
  if (!encoding) return payload
  const encoded = await compress(body, encoding, 'dynamic')
  reply.header('content-encoding', encoding)
  reply.removeHeader('content-length')
  return encoded
}
