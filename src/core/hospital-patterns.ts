/**
 * Hospital-number patterns that an IG lead configures (stored in the database, managed on
 * /admin/screening). A pattern is either a **mask** (`AB123456`: every letter stands for any
 * letter, every digit for any digit, anything else for itself) or a **regular expression** in a
 * deliberately small language that cannot backtrack catastrophically:
 *
 * - literal letters, digits, spaces, `-` and `/`; `\d` (a digit); `\s` (a space);
 *   a character class such as `[A-Z]`, `[A-HJ-NP-Z]` or `[0-9]` (letters, digits and ranges only);
 * - each of these may be followed by one quantifier: `?`, `{n}` or `{n,m}` with m at most 20;
 * - no groups, no alternation (`|`), no `*` or `+`, no anchors, no back-references, no lookaround.
 *
 * With no nesting and no alternation a match costs at most (length of the text) × (pattern size),
 * so no pattern can freeze a request. A pattern must also be specific: it must always match at
 * least `MIN_FIXED_LENGTH` characters, contain a digit position, and leave ordinary text alone
 * (dates, years, counts, times). Matching ignores case and needs a word boundary either side.
 */

export interface HospitalPattern {
  /** The compiled expression (global flag set; lastIndex is reset by matchAll). */
  regex: RegExp
}

export type PatternKind = 'mask' | 'regex'

/** The shortest text any pattern may match: shorter ones would refuse ordinary numbers. */
export const MIN_FIXED_LENGTH = 6
export const MAX_PATTERN_LENGTH = 60

// Ordinary text that a hospital-number pattern must not match: if it does, the pattern is too broad.
const ORDINARY = [
  '2026',
  '12/03/2026',
  '2026-03-12',
  '09:30',
  '100',
  'Ward 3B',
  'week 12',
  'from 1 April to 30 June',
  '12345',
  'QI',
  'Board round by 10am',
]

type Result = { ok: true; source: string } | { ok: false; message: string }

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')

function maskToSource(mask: string): Result {
  if (!/^[A-Za-z0-9 /-]+$/.test(mask))
    return { ok: false, message: 'A mask can hold only letters, digits, spaces, hyphens and slashes' }
  let source = ''
  for (const c of mask)
    source += /[A-Za-z]/.test(c) ? '[A-Z]' : /\d/.test(c) ? '\\d' : c === ' ' ? ' ' : escape(c)
  return { ok: true, source }
}

interface Atom {
  source: string
  min: number
  digit: boolean
}

/** Parses the small regex language; returns its atoms or why it is refused. */
function parseRegex(pattern: string): { ok: true; atoms: Atom[] } | { ok: false; message: string } {
  const atoms: Atom[] = []
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i]
    let atom: Atom
    if (c === '\\') {
      const next = pattern[i + 1]
      if (next === 'd') atom = { source: '\\d', min: 1, digit: true }
      else if (next === 's') atom = { source: ' ', min: 1, digit: false }
      else if (next === '-' || next === '/') atom = { source: `\\${next}`, min: 1, digit: false }
      else return { ok: false, message: 'Use only \\d (a digit) or \\s (a space) after a backslash' }
      i += 2
    } else if (c === '[') {
      const end = pattern.indexOf(']', i)
      if (end < 0) return { ok: false, message: 'Close every [ with ]' }
      const body = pattern.slice(i + 1, end)
      if (!/^(?:[A-Za-z0-9](?:-[A-Za-z0-9])?)+$/.test(body))
        return { ok: false, message: 'A class in [ ] can hold only letters, digits and ranges such as A-Z' }
      atom = { source: `[${body}]`, min: 1, digit: /\d/.test(body) }
      i = end + 1
    } else if (/[A-Za-z0-9 ]/.test(c) || c === '-' || c === '/') {
      atom = { source: /[A-Za-z0-9 ]/.test(c) ? c : `\\${c}`, min: 1, digit: /\d/.test(c) }
      i += 1
    } else {
      return {
        ok: false,
        message: `The pattern cannot use "${c}": use letters, digits, \\d, [A-Z]-style classes and {n} or {n,m}`,
      }
    }
    const q = /^(?:\?|\{(\d{1,2})(?:,(\d{1,2}))?\})/.exec(pattern.slice(i))
    if (q) {
      if (q[0] === '?') atom = { ...atom, source: `${atom.source}?`, min: 0 }
      else {
        const n = Number(q[1])
        const m = q[2] === undefined ? n : Number(q[2])
        if (m > 20 || n > m || m === 0)
          return { ok: false, message: 'A repeat {n,m} must have n no more than m, and m from 1 to 20' }
        atom = { ...atom, source: `${atom.source}${q[0]}`, min: atom.min * n }
      }
      i += q[0].length
      if (/^[?{*+]/.test(pattern.slice(i)))
        return { ok: false, message: 'Put only one repeat after each part' }
    }
    atoms.push(atom)
  }
  return { ok: true, atoms }
}

function compile(source: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9])${source}(?![A-Za-z0-9])`, 'gi')
}

/**
 * Checks a pattern an IG lead typed; returns the regular-expression source to store, or why
 * it is refused.
 * @example checkPattern('mask', 'AB123456') // { ok: true, source: '[A-Z][A-Z]\\d\\d\\d\\d\\d\\d' }
 * @example checkPattern('regex', '(a+)+$').ok // false
 */
export function checkPattern(kind: PatternKind, pattern: string): Result {
  const text = pattern.trim()
  if (!text) return { ok: false, message: 'Enter the pattern' }
  if (text.length > MAX_PATTERN_LENGTH)
    return { ok: false, message: `The pattern must be ${MAX_PATTERN_LENGTH} characters or fewer` }
  let source: string
  let minLength: number
  let hasDigit: boolean
  if (kind === 'mask') {
    const result = maskToSource(text)
    if (!result.ok) return result
    source = result.source
    minLength = text.length
    hasDigit = /\d/.test(text)
  } else {
    const parsed = parseRegex(text)
    if (!parsed.ok) return parsed
    source = parsed.atoms.map((a) => a.source).join('')
    minLength = parsed.atoms.reduce((n, a) => n + a.min, 0)
    hasDigit = parsed.atoms.some((a) => a.digit && a.min > 0)
  }
  if (minLength < MIN_FIXED_LENGTH)
    return {
      ok: false,
      message: `The pattern must always match at least ${MIN_FIXED_LENGTH} characters, or it would refuse ordinary numbers`,
    }
  if (!hasDigit) return { ok: false, message: 'The pattern must include at least one digit' }
  const regex = compile(source)
  const broad = ORDINARY.find((t) => [...t.matchAll(regex)].length > 0)
  if (broad)
    return { ok: false, message: 'The pattern is too broad: it matches ordinary dates, times or counts' }
  return { ok: true, source }
}

/** A stored pattern, ready to screen with. Stored sources were checked when saved. */
export function compilePattern(source: string): HospitalPattern {
  return { regex: compile(source) }
}
