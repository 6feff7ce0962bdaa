import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { checkPattern, compilePattern } from './hospital-patterns.js'

const matches = (source: string, text: string) => [...text.matchAll(compilePattern(source).regex)].length > 0

describe('hospital-number patterns', () => {
  test('a mask stands for letters and digits in the same places', () => {
    const result = checkPattern('mask', 'AB123456')
    assert.ok(result.ok)
    assert.equal(matches(result.source, 'seen as XY987654 today'), true)
    assert.equal(matches(result.source, 'seen as xy987654 today'), true, 'any case')
    assert.equal(matches(result.source, 'XY9876543'), false, 'not inside a longer number')
    assert.equal(matches(result.source, '12987654'), false)
  })

  test('a regular expression in the small language is accepted', () => {
    for (const p of ['RTE\\d{7}', '[A-Z]{3}\\d{6,8}', 'H-\\d{6}', '\\d{3}[A-HJ-NP-Z]\\d{4}'])
      assert.equal(checkPattern('regex', p).ok, true, p)
  })

  test('refuses catastrophic, unsupported or malformed expressions', () => {
    for (const p of [
      '(a+)+$',
      '(\\d+)*x',
      'a|b',
      '\\d+',
      '.*\\d{6}',
      '\\1',
      '(?=x)\\d{6}',
      '[^a]\\d{6}',
      '\\d{6',
      '[A-Z\\d{6}',
      '\\d{6}{2}',
      '\\d{1,99}',
    ])
      assert.equal(checkPattern('regex', p).ok, false, p)
  })

  test('refuses patterns too broad for ordinary text', () => {
    for (const [kind, p] of [
      ['regex', '\\d{4}'],
      ['regex', '\\d{1,6}'],
      ['regex', '[A-Z]{6}'],
      ['mask', '12/03/2026'],
      ['mask', 'ABCDEF'],
      ['mask', ''],
    ] as const)
      assert.equal(checkPattern(kind, p).ok, false, `${kind} ${p}`)
  })

  // The pattern language has no nesting, alternation or unbounded repeats (tested above), so a
  // hostile text cannot make it backtrack for long; this only checks it answers (no timing here:
  // a catastrophic pattern would hang the test until the runner's timeout).
  test('screens a long hostile text', () => {
    const result = checkPattern('regex', '[A-Z]{2,20}\\d{6,20}')
    assert.ok(result.ok)
    const text = 'A'.repeat(50_000) + '!'
    assert.equal(matches(result.source, text), false)
  })
})
