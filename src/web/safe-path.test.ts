import { test } from 'node:test'
import assert from 'node:assert/strict'
import { safeNext } from './safe-path.js'

/** Each trick, as it arrives after the query or form parser has decoded it once. */
const TRICKS: [string, unknown][] = [
  ['a tab after the first slash', '/\t/evil.example'],
  ['a line feed after the first slash', '/\n/evil.example'],
  ['a carriage return', '/\r/evil.example'],
  ['a tab later in the path', '/projects\t'],
  ['a NUL', '/projects\u0000'],
  ['DEL', '/projects\u007f'],
  ['a C1 control character', '/projects\u0085x'],
  ['a space', '/ /evil.example'],
  ['a non-ASCII character a Location header cannot carry', '/projects/\u2028'],
  ['an encoded tab', '/%09/evil.example'],
  ['an encoded line feed', '/%0a/evil.example'],
  ['an encoded carriage return and line feed', '/%0d%0aSet-Cookie:x=1'],
  ['a double-encoded tab', '/%2509/evil.example'],
  ['a backslash', '/\\evil.example'],
  ['a backslash later on', '/projects\\..\\\\evil.example'],
  ['an encoded backslash', '/%5Cevil.example'],
  ['encoded slashes', '/%2F%2Fevil.example'],
  ['one encoded slash', '/%2Fevil.example'],
  ['a protocol-relative URL', '//evil.example'],
  ['three slashes', '///evil.example'],
  ['a double slash later on', '/projects//evil'],
  ['an absolute URL', 'https://evil.example/'],
  ['an absolute URL in upper case', 'HTTPS://evil.example/'],
  ['a javascript: URL', 'javascript:alert(1)'],
  ['a javascript: URL behind a slash', '/javascript:alert(1)'],
  ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
  ['a relative path', 'projects'],
  ['a malformed escape', '/%E0%A4%A'],
  ['an empty string', ''],
  ['an array (a repeated form field)', ['/a', '/b']],
  ['a number', 42],
  ['nothing', undefined],
  ['a very long path', '/' + 'a'.repeat(2001)],
]

for (const [name, next] of TRICKS)
  test(`safeNext refuses ${name}`, () => {
    assert.equal(safeNext(next), '/')
  })

test('safeNext keeps a path on this site, with its query and fragment', () => {
  for (const ok of [
    '/',
    '/people',
    '/projects?page=2&status=active',
    '/projects/p-1#comments',
    '/people?q=%C5%81ucja',
    '/measures/m-1/data.csv',
  ])
    assert.equal(safeNext(ok), ok)
})

test('safeNext falls back to the address it is given', () => {
  assert.equal(safeNext('//evil.example', '/projects/p-1'), '/projects/p-1')
})
