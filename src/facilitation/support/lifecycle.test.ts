import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ENDED_STATUSES, STATUS_NAMES, TRANSITIONS, canMove, refusal, staffDecisions } from './lifecycle.js'

describe('support request lifecycle', () => {
  test('follows DOMAIN.md: submitted → triage → declined | waitlisted | accepted → scoping → in delivery → closed', () => {
    const path = ['submitted', 'triage', 'accepted', 'scoping', 'in_delivery', 'closed'] as const
    for (let i = 1; i < path.length; i++)
      assert.ok(canMove(path[i - 1], path[i]), `${path[i - 1]} → ${path[i]}`)
    assert.ok(canMove('triage', 'declined'))
    assert.ok(canMove('triage', 'waitlisted'))
    assert.ok(canMove('waitlisted', 'accepted'))
  })

  test('a request can be withdrawn from every state that has not ended, and never from an ended one', () => {
    for (const s of STATUS_NAMES) assert.equal(canMove(s, 'withdrawn'), !ENDED_STATUSES.includes(s), s)
  })

  test('steps cannot be skipped: a submitted request is triaged before it is accepted', () => {
    assert.equal(canMove('submitted', 'accepted'), false)
    assert.equal(canMove('accepted', 'closed'), false)
    assert.equal(canMove('scoping', 'closed'), false)
  })

  test('ended requests go nowhere', () => {
    for (const s of ENDED_STATUSES) assert.deepEqual(TRANSITIONS[s], [])
  })

  test('the triage team never sees withdrawal among its decisions', () => {
    for (const s of STATUS_NAMES) assert.equal(staffDecisions(s).includes('withdrawn'), false)
  })

  test('refusals say why in plain words', () => {
    assert.equal(
      refusal('withdrawn', 'accepted'),
      'This request was withdrawn by the requester, so it cannot be accepted',
    )
    assert.equal(refusal('closed', 'scoping'), 'This request is closed, so it cannot be moved to scoping')
    assert.equal(refusal('submitted', 'accepted'), 'A request that is submitted cannot be accepted')
    assert.equal(refusal('triage', 'accepted'), null)
  })
})
