import { inflateSync } from 'node:zlib'

/**
 * The text a PDF viewer would copy out of a PDF that pdfkit wrote: each text object (BT … ET)
 * as one string, glyph ids mapped back to Unicode through each font's ToUnicode CMap.
 * Enough for pdfkit's output (Identity-H fonts, hex strings in Tj/TJ), not a general PDF reader.
 */
export function pdfText(pdf: Buffer): { lines: string[]; fonts: string[]; embedded: number } {
  const s = pdf.toString('latin1')
  const objects = new Map<string, { dict: string; data: Buffer | null }>()
  // A stream is read by its /Length, never by looking for "endobj" or "endstream": compressed
  // bytes hold those words by chance now and then, and a stream cut there does not inflate.
  const head = /(\d+) 0 obj\b/g
  for (let m = head.exec(s); m; m = head.exec(s)) {
    const from = m.index + m[0].length
    const endObj = s.indexOf('endobj', from)
    const streamAt = s.slice(from, endObj < 0 ? undefined : endObj).search(/\bstream\r?\n/)
    if (streamAt < 0) {
      if (endObj < 0) break
      objects.set(m[1], { dict: s.slice(from, endObj), data: null })
      head.lastIndex = endObj
      continue
    }
    const dict = s.slice(from, from + streamAt)
    const start = from + streamAt + (s[from + streamAt + 6] === '\r' ? 8 : 7)
    const length = /\/Length (\d+)(?! \d+ R)/.exec(dict)
    const end = length ? start + Number(length[1]) : s.indexOf('endstream', start)
    let data = Buffer.from(s.slice(start, end), 'latin1')
    if (/\/FlateDecode/.test(dict)) data = inflateSync(data)
    objects.set(m[1], { dict, data })
    const next = s.indexOf('endobj', end)
    if (next < 0) break
    head.lastIndex = next
  }

  const cmaps = new Map<string, Map<number, string>>()
  const fonts: string[] = []
  let embedded = 0
  for (const [id, o] of objects) {
    if (/\/FontFile2 \d+ 0 R/.test(o.dict)) embedded++
    if (!/\/Type \/Font\b/.test(o.dict)) continue
    fonts.push(/\/BaseFont \/(\S+)/.exec(o.dict)?.[1] ?? '?')
    const ref = /\/ToUnicode (\d+) 0 R/.exec(o.dict)?.[1]
    const cmap = ref ? objects.get(ref)?.data?.toString('latin1') : undefined
    if (cmap) cmaps.set(id, parseCmap(cmap))
  }

  // Resource names (/F1) to font objects.
  const names = new Map<string, string>()
  for (const o of objects.values()) {
    const block = /\/Font\s*<<([\s\S]*?)>>/.exec(o.dict)?.[1]
    if (block) for (const m of block.matchAll(/\/(\S+) (\d+) 0 R/g)) names.set(m[1], m[2])
  }

  const lines: string[] = []
  for (const o of objects.values()) {
    const content = o.data?.toString('latin1')
    if (!content || !/\bBT\b/.test(content) || /begincmap/.test(content)) continue
    let font = new Map<number, string>()
    let line = ''
    for (const t of content.matchAll(
      /\/(\S+) [\d.]+ Tf|\[((?:<[0-9a-fA-F]*>|[^\]])*)\] TJ|<([0-9a-fA-F]*)> Tj|\bET\b/g,
    )) {
      if (t[1]) font = cmaps.get(names.get(t[1]) ?? '') ?? new Map()
      else if (t[2] !== undefined || t[3] !== undefined) {
        const hex = t[3] ?? [...t[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join('')
        for (let i = 0; i + 4 <= hex.length; i += 4)
          line += font.get(parseInt(hex.slice(i, i + 4), 16)) ?? '\uFFFD'
      } else {
        if (line) lines.push(line)
        line = ''
      }
    }
  }
  return { lines, fonts, embedded }
}

function utf16(hex: string): string {
  const units: number[] = []
  for (let i = 0; i + 4 <= hex.length; i += 4) units.push(parseInt(hex.slice(i, i + 4), 16))
  return String.fromCharCode(...units)
}

function parseCmap(cmap: string): Map<number, string> {
  const map = new Map<number, string>()
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
      map.set(parseInt(m[1], 16), utf16(m[2]))
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const lo = parseInt(m[1], 16)
      const hi = parseInt(m[2], 16)
      if (m[3].startsWith('[')) {
        // pdfkit writes a ligature's characters with a space between them: <0066 0069>.
        const list = [...m[3].matchAll(/<([0-9a-fA-F\s]+)>/g)].map((d) => utf16(d[1].replace(/\s/g, '')))
        list.forEach((u, i) => map.set(lo + i, u))
      } else {
        const first = utf16(m[3].slice(1, -1))
        for (let c = lo; c <= hi; c++)
          map.set(c, first.slice(0, -1) + String.fromCharCode(first.charCodeAt(first.length - 1) + c - lo))
      }
    }
  return map
}
