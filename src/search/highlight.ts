import { MARK_END, MARK_START } from './query.js'

/**
 * Highlights and snippets for SQLite's results, made here from the page's 20 rows instead of by
 * FTS5's highlight() and snippet(): those need the row's MATCH cursor, and FTS5 reads every
 * match of the words to position one (46 ms for a three-word search over 100,000 posts).
 *
 * A word matches a search term as FTS5's `porter unicode61 remove_diacritics 2` tokenizer sees
 * it: runs of letters and digits, lower-cased, accents removed, then the Porter stem. The
 * output carries MARK_START/MARK_END around matches, as the database's did, for `markSnippet`.
 */

const WORD = /[\p{L}\p{N}\p{M}]+/gu

function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

/** A folded word's stem, as FTS5's porter tokenizer makes it (ASCII letters only; others as they are). */
export function porterStem(word: string): string {
  if (word.length < 3 || word.length > 64 || !/^[a-z]+$/.test(word)) return word
  return step5(step4(step3(step2(step1c(step1b(step1a(word)))))))
}

const isVowelAt = (w: string, i: number): boolean => {
  const c = w[i]
  if ('aeiou'.includes(c)) return true
  return c === 'y' && i > 0 && !isVowelAt(w, i - 1)
}

/** Porter's m: the number of vowel-consonant sequences in the stem. */
function measure(stem: string): number {
  let m = 0
  let i = 0
  while (i < stem.length && !isVowelAt(stem, i)) i++
  while (i < stem.length) {
    while (i < stem.length && isVowelAt(stem, i)) i++
    if (i >= stem.length) break
    m++
    while (i < stem.length && !isVowelAt(stem, i)) i++
  }
  return m
}

const hasVowel = (stem: string) => [...stem].some((_, i) => isVowelAt(stem, i))
const doubleConsonant = (w: string) =>
  w.length >= 2 && w[w.length - 1] === w[w.length - 2] && !isVowelAt(w, w.length - 1)
/** Ends consonant-vowel-consonant, the last not w, x or y. */
const cvc = (w: string) => {
  const n = w.length
  return (
    n >= 3 && !isVowelAt(w, n - 1) && isVowelAt(w, n - 2) && !isVowelAt(w, n - 3) && !'wxy'.includes(w[n - 1])
  )
}

/** The first rule whose suffix ends the word: replaced when the stem's measure passes. */
function replaceSuffix(w: string, rules: [string, string][], minMeasure: number): string {
  for (const [suffix, by] of rules) {
    if (!w.endsWith(suffix)) continue
    const stem = w.slice(0, -suffix.length)
    return measure(stem) > minMeasure ? stem + by : w
  }
  return w
}

function step1a(w: string): string {
  if (w.endsWith('sses')) return w.slice(0, -2)
  if (w.endsWith('ies')) return w.slice(0, -2)
  if (w.endsWith('ss')) return w
  if (w.endsWith('s')) return w.slice(0, -1)
  return w
}

function step1b(w: string): string {
  if (w.endsWith('eed')) return measure(w.slice(0, -3)) > 0 ? w.slice(0, -1) : w
  let stem: string | null = null
  if (w.endsWith('ed') && hasVowel(w.slice(0, -2))) stem = w.slice(0, -2)
  else if (w.endsWith('ing') && hasVowel(w.slice(0, -3))) stem = w.slice(0, -3)
  if (stem === null) return w
  if (stem.endsWith('at') || stem.endsWith('bl') || stem.endsWith('iz')) return stem + 'e'
  if (doubleConsonant(stem) && !'lsz'.includes(stem[stem.length - 1])) return stem.slice(0, -1)
  if (measure(stem) === 1 && cvc(stem)) return stem + 'e'
  return stem
}

function step1c(w: string): string {
  return w.endsWith('y') && hasVowel(w.slice(0, -1)) ? w.slice(0, -1) + 'i' : w
}

const STEP2: [string, string][] = [
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['izer', 'ize'],
  ['bli', 'ble'],
  ['alli', 'al'],
  ['entli', 'ent'],
  ['eli', 'e'],
  ['ousli', 'ous'],
  ['ization', 'ize'],
  ['ation', 'ate'],
  ['ator', 'ate'],
  ['alism', 'al'],
  ['iveness', 'ive'],
  ['fulness', 'ful'],
  ['ousness', 'ous'],
  ['aliti', 'al'],
  ['iviti', 'ive'],
  ['biliti', 'ble'],
  ['logi', 'log'],
]
// Longest first, so that "ational" is tried before "tional" and "ization" before "ation".
STEP2.sort((a, b) => b[0].length - a[0].length)
const step2 = (w: string) => replaceSuffix(w, STEP2, 0)

const STEP3: [string, string][] = [
  ['icate', 'ic'],
  ['ative', ''],
  ['alize', 'al'],
  ['iciti', 'ic'],
  ['ical', 'ic'],
  ['ful', ''],
  ['ness', ''],
]
const step3 = (w: string) => replaceSuffix(w, STEP3, 0)

const STEP4 = [
  'ement',
  'ance',
  'ence',
  'able',
  'ible',
  'ment',
  'ant',
  'ent',
  'ism',
  'ate',
  'iti',
  'ous',
  'ive',
  'ize',
  'ion',
  'al',
  'er',
  'ic',
  'ou',
]
function step4(w: string): string {
  for (const suffix of STEP4) {
    if (!w.endsWith(suffix)) continue
    const stem = w.slice(0, -suffix.length)
    if (suffix === 'ion' && !(stem.endsWith('s') || stem.endsWith('t'))) return w
    return measure(stem) > 1 ? stem : w
  }
  return w
}

function step5(w: string): string {
  if (w.endsWith('e')) {
    const stem = w.slice(0, -1)
    const m = measure(stem)
    if (m > 1 || (m === 1 && !cvc(stem))) w = stem
  }
  if (w.endsWith('ll') && measure(w) > 1) w = w.slice(0, -1)
  return w
}

interface Token {
  start: number
  end: number
  match: boolean
}

function tokens(text: string, stems: Set<string>): Token[] {
  return [...text.matchAll(WORD)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    match: stems.has(porterStem(fold(m[0]))),
  }))
}

const stemsOf = (terms: string[]) => new Set(terms.map((t) => porterStem(fold(t))))

function marked(text: string, list: Token[]): string {
  let out = ''
  let at = 0
  for (const t of list) {
    if (!t.match) continue
    out += text.slice(at, t.start) + MARK_START + text.slice(t.start, t.end) + MARK_END
    at = t.end
  }
  return out + text.slice(at)
}

/** The whole text with every matching word marked (a title). */
export function highlightText(text: string, terms: string[]): string {
  return marked(text, tokens(text, stemsOf(terms)))
}

/**
 * About `size` words of the text around its best stretch (the window holding the most matching
 * words, the earliest of equals), with matches marked and "…" where the text was cut.
 */
export function snippetText(text: string, terms: string[], size = 24): string {
  const list = tokens(text, stemsOf(terms))
  if (!list.length) return ''
  let best = 0
  let bestCount = -1
  let count = 0
  for (let i = 0; i < list.length; i++) {
    if (list[i].match) count++
    if (i >= size && list[i - size].match) count--
    const from = Math.max(0, i - size + 1)
    if (count > bestCount) {
      bestCount = count
      best = from
    }
  }
  // Start a little before the first match of the window, so it reads in context.
  const firstMatch = list.findIndex((t, i) => i >= best && t.match)
  const from = firstMatch >= 0 ? Math.max(0, firstMatch - 3) : 0
  const to = Math.min(list.length, from + size)
  const window = list.slice(from, to)
  const start = window[0].start
  const end = window[window.length - 1].end
  const body = marked(text.slice(0, end), window).slice(start)
  return `${from > 0 ? '…' : ''}${body}${to < list.length ? '…' : ''}`
}
