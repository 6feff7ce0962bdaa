/**
 * `npm run qi -- spc`: one JSON request (or batch) on stdin, one JSON result on stdout
 * (shared/spc/SPEC.md section 1). `--svg` writes the chart of a single request instead.
 * Imports only the engine and the renderer: no web server, database or templates.
 */
import { readSync, writeSync } from 'node:fs'
import { computeBytes, computeInput, serialiseComputationsToBytes } from '../spc/index.js'

/** Reads all of stdin as bytes. */
export async function readStdinBytes(): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/**
 * Reads all of stdin as bytes with plain read(2) calls: no stream machinery to load and no event
 * loop turn per 64 KiB (measured: about 7 ms less CPU per run). When stdin is non-blocking and
 * empty for now (EAGAIN), the rest is read through the stream instead.
 */
export async function readStdinBytesFast(fd = 0): Promise<Buffer> {
  let buf = Buffer.allocUnsafe(1 << 16)
  let length = 0
  for (;;) {
    if (length === buf.length) {
      const grown = Buffer.allocUnsafe(buf.length * 2)
      buf.copy(grown, 0, 0, length)
      buf = grown
    }
    let n: number
    try {
      n = readSync(fd, buf, length, buf.length - length, null)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EOF') break // Windows: the end of a pipe
      if (code !== 'EAGAIN') throw error
      return Buffer.concat([buf.subarray(0, length), await readStdinBytes()])
    }
    if (n === 0) break
    length += n
  }
  return buf.subarray(0, length)
}

/** Reads all of stdin as UTF-8 text. */
export async function readStdin(): Promise<string> {
  return (await readStdinBytes()).toString('utf8')
}

/** Writes chunks to stdout, waiting when the pipe is full. */
export async function writeStdout(chunks: Iterable<string | Uint8Array>): Promise<void> {
  const out = process.stdout
  let pending = ''
  const flush = async (data: string | Uint8Array): Promise<void> => {
    if (!out.write(data)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  for (const chunk of chunks) {
    if (typeof chunk !== 'string') {
      if (pending) await flush(pending)
      pending = ''
      await flush(chunk)
      continue
    }
    pending += chunk
    if (pending.length >= 1 << 20) {
      await flush(pending)
      pending = ''
    }
  }
  if (pending) await flush(pending)
}

/**
 * Writes every chunk to stdout before taking the next, synchronously: the engine reuses one
 * chunk's memory for the next (no fresh megabyte per chunk), so a chunk must be out before it
 * is overwritten. A non-blocking stdout that is full (EAGAIN) is waited for, a millisecond at a time;
 * a reader that has gone (EPIPE) ends the writing quietly.
 */
export function writeChunksSync(chunks: Iterable<Uint8Array>, fd = 1): void {
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (const chunk of chunks) {
    let offset = 0
    while (offset < chunk.length) {
      try {
        offset += writeSync(fd, chunk, offset, chunk.length - offset)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EPIPE') return // the reader has gone (e.g. `| head`): nothing left to do
        if (code !== 'EAGAIN') throw error
        Atomics.wait(pause, 0, 0, 1)
      }
    }
  }
}

/**
 * Parses the request text. Malformed JSON is a data problem, reported as an error result.
 * @example parseRequestText('{') // { ok: false, error: 'request: not valid JSON (…)' }
 */
export function parseRequestText(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: false, error: 'request: stdin is empty; expected one JSON object' }
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return { ok: false, error: `request: not valid JSON (${detail})` }
  }
}

/** From this size the byte reader beats JSON.parse (measured: 20 MiB, 1M points); below, it does not. */
const BYTE_READER_MIN = 4 << 20

export async function run(args: string[]): Promise<number> {
  const bytes = await readStdinBytesFast()
  if (args.includes('--svg')) {
    const { renderRequest } = await import('./chart-command.js')
    return renderRequest(
      bytes.toString('utf8'),
      args.filter((a) => a !== '--svg'),
    )
  }
  // a large request's points straight from the bytes into columns when they have the usual shape
  // (JSON.parse would build an object per point); a small one, or any other shape, through
  // JSON.parse, which is as fast there. Same result, same errors either way.
  let computed = bytes.length >= BYTE_READER_MIN ? computeBytes(bytes) : null
  let error: string | null = null
  if (computed === null) {
    const parsed = parseRequestText(bytes.toString('utf8'))
    if (parsed.ok) computed = computeInput(parsed.value)
    else error = parsed.error
  }
  // byte chunks straight from the engine's columns: no string per point, no UTF-8 re-encoding
  writeChunksSync(
    computed !== null
      ? serialiseComputationsToBytes(computed, { reuse: true })
      : [Buffer.from(`${JSON.stringify({ ok: false, error })}\n`)],
  )
  return 0
}
