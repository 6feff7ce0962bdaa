import { inflateRawSync } from 'node:zlib'

/**
 * Checks a workbook's zip before a parser opens it, so that a small hostile file cannot expand
 * into gigabytes (a "zip bomb": a 3 MB file can hold 3 GB of text). Every entry is inflated
 * here with a ceiling on the bytes it may produce, and the entries must follow one another
 * from the start of the file to the central directory with nothing hidden between them (the
 * workbook parser reads the file front to back, not through the directory). No zip64, no
 * encryption, and only the stored and deflate methods: what Excel and LibreOffice write.
 *
 * Returns a reason to refuse the file, or null when it is a plain zip within the limit.
 */
export function zipProblem(bytes: Buffer, maxExpandedBytes: number): string | null {
  const eocd = findEndOfDirectory(bytes)
  if (eocd < 0) return 'damaged'
  const entries = bytes.readUInt16LE(eocd + 10)
  const directorySize = bytes.readUInt32LE(eocd + 12)
  const directoryStart = bytes.readUInt32LE(eocd + 16)
  if (entries === 0xffff || directorySize === 0xffffffff || directoryStart === 0xffffffff) return 'zip64'
  if (eocd >= 20 && bytes.readUInt32LE(eocd - 20) === 0x07064b50) return 'zip64'
  if (directoryStart + directorySize > eocd) return 'damaged'

  const locals: { offset: number; compressed: number; method: number; flags: number }[] = []
  let at = directoryStart
  for (let i = 0; i < entries; i++) {
    if (at + 46 > eocd || bytes.readUInt32LE(at) !== 0x02014b50) return 'damaged'
    const flags = bytes.readUInt16LE(at + 8)
    const method = bytes.readUInt16LE(at + 10)
    const compressed = bytes.readUInt32LE(at + 20)
    const expanded = bytes.readUInt32LE(at + 24)
    const offset = bytes.readUInt32LE(at + 42)
    if (compressed === 0xffffffff || expanded === 0xffffffff || offset === 0xffffffff) return 'zip64'
    if (flags & 0x1) return 'encrypted'
    if (method !== 0 && method !== 8) return 'method'
    locals.push({ offset, compressed, method, flags })
    at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32)
  }

  locals.sort((a, b) => a.offset - b.offset)
  let budget = maxExpandedBytes
  let expected = 0
  for (const entry of locals) {
    if (entry.offset !== expected) return 'hidden'
    if (entry.offset + 30 > directoryStart || bytes.readUInt32LE(entry.offset) !== 0x04034b50)
      return 'damaged'
    const dataStart =
      entry.offset + 30 + bytes.readUInt16LE(entry.offset + 26) + bytes.readUInt16LE(entry.offset + 28)
    const dataEnd = dataStart + entry.compressed
    if (dataEnd > directoryStart) return 'damaged'
    const data = bytes.subarray(dataStart, dataEnd)
    let size: number
    if (entry.method === 0) size = data.length
    else {
      try {
        size = inflateRawSync(data, { maxOutputLength: budget + 1 }).length
      } catch (error) {
        return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : 'damaged'
      }
    }
    budget -= size
    if (budget < 0) return 'too-large'
    expected = dataEnd
    // A data descriptor may follow the data (flag bit 3), with or without its signature.
    if (entry.flags & 0x8) {
      expected += dataEnd + 4 <= directoryStart && bytes.readUInt32LE(dataEnd) === 0x08074b50 ? 16 : 12
    }
  }
  return expected === directoryStart ? null : 'hidden'
}

/** The end-of-central-directory record: the last 22 bytes, or up to 64 KiB earlier with a comment. */
function findEndOfDirectory(bytes: Buffer): number {
  const last = bytes.length - 22
  for (let i = last; i >= 0 && i >= last - 0xffff; i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50 && i + 22 + bytes.readUInt16LE(i + 20) === bytes.length) return i
  }
  return -1
}
