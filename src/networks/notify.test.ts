import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { digestWindows, mentionedMembers } from './notify.js'

describe('network e-mail rules', () => {
  const members = [{ name: 'Ada Aimwell (DEMO)' }, { name: 'Ben Baseline' }, { name: 'Al' }]

  test('a mention is @ and the member’s name, not a longer word, in any case', () => {
    assert.deepEqual(mentionedMembers('Thanks @ada aimwell!', members), [members[0]])
    assert.deepEqual(mentionedMembers('@Ben Baselines is not Ben', members), [])
    assert.deepEqual(mentionedMembers('@Ben Baselines and @Ben Baseline.', members), [members[1]])
    assert.deepEqual(mentionedMembers('ada aimwell without an at sign', members), [])
    assert.deepEqual(mentionedMembers('@Al', members), [members[2]])
  })

  test('the daily digest covers the London day and runs at 07:00 the next; the weekly one from Monday', () => {
    // Wednesday 2 December 2026, 23:30 in London (GMT).
    const w = digestWindows(new Date('2026-12-02T23:30:00Z'))
    assert.equal(w.daily.key, 'daily:2026-12-02')
    assert.equal(w.daily.from, '2026-12-02T00:00:00.000Z')
    assert.equal(w.daily.to, '2026-12-03T00:00:00.000Z')
    assert.equal(w.daily.runAt, '2026-12-03T07:00:00.000Z')
    assert.equal(w.weekly.key, 'weekly:2026-11-30')
    assert.equal(w.weekly.runAt, '2026-12-07T07:00:00.000Z')
    // 23:30 UTC on 30 June is already 1 July in London (BST).
    const summer = digestWindows(new Date('2026-06-30T23:30:00Z'))
    assert.equal(summer.daily.key, 'daily:2026-07-01')
    assert.equal(summer.daily.from, '2026-06-30T23:00:00.000Z')
    assert.equal(summer.weekly.key, 'weekly:2026-06-29')
  })
})
