import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { compress, isCompressible, MIN_COMPRESS_BYTES, type Encoding } from './compression.js'

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
}

const HASH_LENGTH = 10

/**
 * The first hex digits of the SHA-256 of a file's content: its name changes when, and only
 * when, its content does.
 * @example contentHash('body{}') // '6b6a7d4d2c'
 */
export function contentHash(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, HASH_LENGTH)
}

/**
 * A file name with its content hash before the extension.
 * @example hashedName('app.css', '3f2a1c9e0b') // 'app.3f2a1c9e0b.css'
 */
export function hashedName(name: string, hash: string): string {
  const ext = path.posix.extname(name)
  return `${name.slice(0, name.length - ext.length)}.${hash}${ext}`
}

/** The plain name and hash of a hashed name, or null for a plain name. */
export function parseHashedName(name: string): { name: string; hash: string } | null {
  const match = new RegExp(`^(.+)\\.([0-9a-f]{${HASH_LENGTH}})(\\.[A-Za-z0-9]+)$`).exec(name)
  return match ? { name: `${match[1]}${match[3]}`, hash: match[2] } : null
}

export interface StaticFile {
  name: string
  body: Buffer
  type: string
  hash: string
  /** Worth compressing: text, and at least 1 KB. */
  compressible: boolean
}

/**
 * The files of one directory, served from memory. Only files that were there at start and
 * have a known type can be asked for (no path is ever joined from a request). A file is read
 * on first use and kept; its compressed forms are made once per content, also on first use.
 */
export class StaticDirectory {
  private readonly names = new Set<string>()
  private readonly files = new Map<string, StaticFile>()
  private readonly encoded = new Map<string, Promise<Buffer>>()

  constructor(
    private readonly root: string,
    private readonly transform: (name: string, body: Buffer) => Buffer = (_name, body) => body,
  ) {
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue
      const name = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')
      if (TYPES[path.posix.extname(name)]) this.names.add(name)
    }
  }

  /** Adds a file made in memory (e.g. a stylesheet rewritten at start). */
  put(name: string, body: Buffer): void {
    this.names.add(name)
    this.files.set(name, this.describe(name, body))
  }

  get(name: string): StaticFile | null {
    const known = this.files.get(name)
    if (known) return known
    if (!this.names.has(name)) return null
    const file = this.describe(name, this.transform(name, readFileSync(path.join(this.root, name))))
    this.files.set(name, file)
    return file
  }

  /** The file's name with its content hash, or the plain name when there is no such file. */
  hashedName(name: string): string {
    const file = this.get(name)
    return file ? hashedName(name, file.hash) : name
  }

  /** The compressed body, made once for each content and encoding, then kept. */
  encode(file: StaticFile, encoding: Encoding): Promise<Buffer> {
    const key = `${file.hash}:${file.body.length}:${encoding}`
    let body = this.encoded.get(key)
    if (!body) {
      body = compress(file.body, encoding, 'static')
      this.encoded.set(key, body)
      body.catch(() => this.encoded.delete(key))
    }
    return body
  }

  private describe(name: string, body: Buffer): StaticFile {
    const type = TYPES[path.posix.extname(name)] ?? 'application/octet-stream'
    return {
      name,
      body,
      type,
      hash: contentHash(body),
      compressible: isCompressible(type) && body.length >= MIN_COMPRESS_BYTES,
    }
  }
}
