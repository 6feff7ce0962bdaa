/**
 * Markup that many pages repeat unchanged (a cached chart's SVG: about 190 KB for 1,000 points)
 * can go into a page as the UTF-8 bytes it was encoded to once. The template writes a slot's
 * placeholder where the markup goes, and `reply.page(…, { slots })` sends the page's own text
 * around it, encoded, and the slot's bytes as they are: no copy of the markup into every page's
 * text and no encoding of it on every view.
 */
import { randomBytes } from 'node:crypto'

/** Unguessable, so no text a person writes (escaped or not) can be taken for a slot. */
const NONCE = randomBytes(12).toString('base64url')

/**
 * The placeholder of slot `i`: an HTML comment, so a slot with nothing for it shows nothing.
 * @example htmlSlot(0) // '<!--qi-slot-…-0-->'
 */
export function htmlSlot(i: number): string {
  return `<!--qi-slot-${NONCE}-${i}-->`
}

const encoded = new WeakMap<object, Map<string, Buffer>>()

/**
 * The UTF-8 bytes of `text`, encoded once and kept as long as `owner` (an object that lives as
 * long as the text does, e.g. the cached chart the SVG belongs to).
 */
export function bytesKeptWith(owner: object, text: string): Buffer {
  let byText = encoded.get(owner)
  if (!byText) encoded.set(owner, (byText = new Map()))
  let bytes = byText.get(text)
  if (!bytes) byText.set(text, (bytes = Buffer.from(text, 'utf8')))
  return bytes
}

/**
 * A page's bytes: its text, encoded, with every placeholder of slot i replaced by `slots[i]`.
 * @example pageBytes(`<p>${htmlSlot(0)}</p>`, [Buffer.from('<svg/>')]).toString() // '<p><svg/></p>'
 */
export function pageBytes(html: string, slots: readonly Uint8Array[] = []): Buffer {
  if (slots.length === 0) return Buffer.from(html, 'utf8')
  const found: { at: number; end: number; slot: number }[] = []
  slots.forEach((_, slot) => {
    const token = htmlSlot(slot)
    for (let at = html.indexOf(token); at >= 0; at = html.indexOf(token, at + token.length))
      found.push({ at, end: at + token.length, slot })
  })
  found.sort((a, b) => a.at - b.at)
  const parts: Uint8Array[] = []
  let from = 0
  for (const f of found) {
    parts.push(Buffer.from(html.slice(from, f.at), 'utf8'), slots[f.slot])
    from = f.end
  }
  parts.push(Buffer.from(html.slice(from), 'utf8'))
  return Buffer.concat(parts)
}
