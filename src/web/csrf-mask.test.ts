import { test } from 'node:test'
import assert from 'node:assert/strict'
import { hmac } from '../core/ids.js'
import { maskToken, matchesToken } from './csrf-mask.js'

const token = hmac('x'.repeat(40), 'csrf:cookie:session')

test('a masked token is different on every page and still matches', () => {
  const a = maskToken(token)
  const b = maskToken(token)
  assert.notEqual(a, b)
  assert.ok(!a.includes(token) && !b.includes(token), 'the secret never appears as it is')
  assert.ok(matchesToken(a, token))
  assert.ok(matchesToken(b, token))
})

test('the unmasked token matches; anything else does not', () => {
  assert.ok(matchesToken(token, token))
  const other = hmac('x'.repeat(40), 'csrf:other:session')
  assert.ok(!matchesToken(maskToken(other), token))
  const [mask, masked] = maskToken(token).split('.')
  assert.ok(!matchesToken(`${mask}.${masked.slice(0, -2)}AA`, token), 'a changed byte')
  assert.ok(!matchesToken(`${mask}.`, token))
  assert.ok(!matchesToken('.', token))
  assert.ok(!matchesToken('', token))
  assert.ok(!matchesToken(`${mask}x.${masked}`, token), 'mask and value of different lengths')
})
