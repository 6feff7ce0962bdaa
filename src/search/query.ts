/**
 * The search box's words. Whatever is typed (FTS syntax, SQL, markup, emoji, any script), only
 * runs of letters, marks and digits are kept, each becomes one quoted word, and they are all
 * required: `"`, `*`, `NEAR(`, `OR`, `-` and `'; DROP` are punctuation or plain words, never
 * operators. The words reach the database as bound parameters, never as SQL.
 */
export const MAX_QUERY_LENGTH = 200
export const MAX_TERMS = 8
const MAX_TERM_LENGTH = 40

export type ParsedQuery =
  | { kind: 'empty' }
  | { kind: 'too_long'; length: number }
  | { kind: 'no_words' }
  | { kind: 'words'; terms: string[] }

export function parseQuery(raw: string | undefined): ParsedQuery {
  const text = (raw ?? '').trim()
  if (!text) return { kind: 'empty' }
  if (text.length > MAX_QUERY_LENGTH) return { kind: 'too_long', length: text.length }
  const words =
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{M}\p{N}]+/gu) ?? []
  const terms = [...new Set(words.map((w) => w.slice(0, MAX_TERM_LENGTH)))].slice(0, MAX_TERMS)
  return terms.length ? { kind: 'words', terms } : { kind: 'no_words' }
}

/**
 * An FTS5 MATCH expression: every term a quoted string (terms hold no quotes), all required, in
 * the title or the body, or in the title only.
 */
export function ftsMatch(terms: string[], where: 'text' | 'title' = 'text'): string {
  const columns = where === 'title' ? '{title}' : '{title body}'
  return terms.map((t) => `${columns} : "${t.replaceAll('"', '')}"`).join(' AND ')
}

/** The characters the database puts around a match in a snippet; never shown as they are. */
export const MARK_START = '\uE000'
export const MARK_END = '\uE001'

const escapeHtml = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')

/**
 * A snippet from the database as safe HTML: the text escaped, and our own <mark> around each
 * matched stretch (only where the database put its markers, balanced).
 */
export function markSnippet(snippet: string): string {
  let html = ''
  let open = false
  for (const part of snippet.split(/([\uE000\uE001])/)) {
    if (part === MARK_START) {
      if (!open) html += '<mark>'
      open = true
    } else if (part === MARK_END) {
      if (open) html += '</mark>'
      open = false
    } else html += escapeHtml(part)
  }
  return open ? html + '</mark>' : html
}
