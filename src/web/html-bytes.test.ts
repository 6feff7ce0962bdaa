import { test } from 'node:test'
import assert from 'node:assert/strict'
import { bytesKeptWith, htmlSlot, pageBytes } from './html-bytes.js'

test('pageBytes puts each slot’s bytes where its placeholders are and encodes the rest as UTF-8', () => {
  const svg = Buffer.from('<svg><text>Anhøj – 1,000 points</text></svg>')
  const html = `<p>é ${htmlSlot(1)} and ${htmlSlot(0)}, again ${htmlSlot(1)}</p>`
  const out = pageBytes(html, [svg, Buffer.from('<b>β</b>')])
  assert.equal(out.toString('utf8'), `<p>é <b>β</b> and ${svg.toString()}, again <b>β</b></p>`)
  assert.equal(pageBytes('<p>ü</p>').toString('utf8'), '<p>ü</p>')
  assert.equal(
    pageBytes(`<p>${htmlSlot(2)}</p>`, [svg]).toString(),
    `<p>${htmlSlot(2)}</p>`,
    'no bytes, no change',
  )
})

test('a slot placeholder cannot be guessed from another process, and bytes are encoded once per owner', () => {
  assert.match(htmlSlot(0), /^<!--qi-slot-[\w-]{16}-0-->$/)
  const owner = {}
  const a = bytesKeptWith(owner, '<svg>ø</svg>')
  assert.equal(bytesKeptWith(owner, '<svg>ø</svg>'), a, 'the same Buffer')
  assert.notEqual(bytesKeptWith({}, '<svg>ø</svg>'), a)
  assert.equal(a.toString('utf8'), '<svg>ø</svg>')
})
