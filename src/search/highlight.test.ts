import { test } from 'node:test'
import assert from 'node:assert/strict'
import { highlightText, porterStem, snippetText } from './highlight.js'
import { markSnippet } from './query.js'

test('Porter stems agree with the algorithm’s published examples (as FTS5’s porter tokenizer stems)', () => {
  const cases: [string, string][] = [
    ['caresses', 'caress'],
    ['ponies', 'poni'],
    ['cats', 'cat'],
    ['feed', 'feed'],
    ['agreed', 'agre'],
    ['plastered', 'plaster'],
    ['motoring', 'motor'],
    ['sing', 'sing'],
    ['conflated', 'conflat'],
    ['hopping', 'hop'],
    ['falling', 'fall'],
    ['filing', 'file'],
    ['happy', 'happi'],
    ['relational', 'relat'],
    ['conditional', 'condit'],
    ['generalization', 'gener'],
    ['hopefulness', 'hope'],
    ['triplicate', 'triplic'],
    ['electrical', 'electr'],
    ['adjustment', 'adjust'],
    ['adoption', 'adopt'],
    ['controlling', 'control'],
    ['discharge', 'discharg'],
    ['discharges', 'discharg'],
    ['reducing', 'reduc'],
    ['patients', 'patient'],
  ]
  for (const [word, stem] of cases) assert.equal(porterStem(word), stem, word)
  assert.equal(porterStem('ab'), 'ab', 'short words as they are')
  assert.equal(porterStem('ward2'), 'ward2', 'words with digits as they are')
})

test('a title is marked where its words stem like the search terms, accents and case folded', () => {
  assert.equal(
    markSnippet(
      highlightText('Reducing discharges <b>today</b>, Café DISCHARGE', ['reduce', 'discharge', 'cafe']),
    ),
    '<mark>Reducing</mark> <mark>discharges</mark> &lt;b&gt;today&lt;/b&gt;, <mark>Café</mark> <mark>DISCHARGE</mark>',
  )
  assert.equal(highlightText('No match here', ['falls']), 'No match here')
})

test('a snippet is about 24 words around the stretch with most matches, cut with an ellipsis', () => {
  const words = Array.from({ length: 100 }, (_, i) => `w${i}`)
  words[60] = 'falls'
  words[62] = 'falling'
  const snippet = markSnippet(snippetText(words.join(' '), ['falls']))
  assert.ok(snippet.startsWith('…w57 w58 w59 <mark>falls</mark> w61 <mark>falling</mark>'), snippet)
  assert.ok(snippet.endsWith('…'))
  assert.equal(snippet.replaceAll('…', '').split(' ').length, 24)
  assert.equal(snippetText('Short text', ['absent']), 'Short text', 'a short text whole, unmarked')
  assert.equal(snippetText('', ['x']), '')
})
