const MAX_LENGTH = 2000
/** Printable ASCII but space: a path that needs anything else arrives percent-encoded. */
const PRINTABLE = /^[\x21-\x7e]+$/
const PROBE_ORIGIN = 'http://same-origin.invalid'

/**
 * A same-origin path to go to after signing in (`next`, `returnTo`), or `/`.
 *
 * Browsers drop tabs and line breaks from URLs and read `\` as `/`, so `/<TAB>/evil.example`
 * or `/\evil.example` leave the site; a line break also cannot go in a Location header.
 * The value must start with one `/`, hold only printable ASCII (no control characters, no
 * spaces), and neither it nor its percent-decoded forms may hold `//`, `\`, control
 * characters or a scheme. What parses against this origin must stay on it.
 *
 * @example safeNext('/projects?page=2') // '/projects?page=2'
 * @example safeNext('/%2F%2Fevil.example') // '/'
 */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > MAX_LENGTH) return fallback
  if (!PRINTABLE.test(next)) return fallback
  let form = next
  // Decode until stable (a few rounds): a double-encoded trick is still a trick.
  for (let round = 0; round < 4; round++) {
    if (!pathIsPlain(form)) return fallback
    let decoded: string
    try {
      decoded = decodeURIComponent(form)
    } catch {
      return fallback
    }
    if (decoded === form) break
    form = decoded
  }
  if (!pathIsPlain(form)) return fallback
  try {
    const url = new URL(next, PROBE_ORIGIN)
    if (url.origin !== PROBE_ORIGIN) return fallback
  } catch {
    return fallback
  }
  return next
}

function pathIsPlain(path: string): boolean {
  if (!path.startsWith('/')) return false
  if (path.includes('//') || path.includes('\\')) return false
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(path)) return false
  // A scheme-like prefix in the first segment (`/javascript:…` is a path, but `javascript:` was meant).
  if (/^\/*[a-z][a-z0-9+.-]*:/i.test(path.slice(1))) return false
  return true
}
