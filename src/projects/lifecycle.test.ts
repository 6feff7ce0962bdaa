import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { parseMentions } from './comments.js'
import { availableActions, canTake, PROGRESS_SCORES, refusal } from './lifecycle.js'
import { composeAimStatement } from './service.js'

describe('the lifecycle table', () => {
  test('offers leads and coaches only their own moves', () => {
    assert.deepEqual(availableActions('submitted', { manage: true, approve: false }), ['abandon'])
    assert.deepEqual(availableActions('submitted', { manage: false, approve: true }), ['approve', 'return'])
    assert.deepEqual(availableActions('active', { manage: true, approve: true }), [
      'hold',
      'sustain',
      'abandon',
    ])
    assert.deepEqual(availableActions('archived', { manage: true, approve: true }), [])
  })

  test('nothing leaves the closed states', () => {
    for (const action of ['submit', 'resume', 'abandon', 'archive'] as const) {
      assert.equal(canTake(action, 'abandoned'), false)
      assert.equal(canTake(action, 'archived'), false)
    }
    assert.equal(
      refusal('abandon', 'completed'),
      'This project is completed, so you cannot abandon the project',
    )
    assert.equal(refusal('abandon', 'active'), null)
  })

  test('progress scores run from 0.5 to 5.0 in steps of 0.5', () => {
    assert.deepEqual(
      PROGRESS_SCORES.map((s) => s.value),
      [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5],
    )
  })
})

describe('the SMART aim statement', () => {
  test('reads as one sentence from its parts', () => {
    assert.equal(
      composeAimStatement({
        what: 'increase',
        measure: 'the percentage of patients discharged before noon',
        baseline: '15%',
        target: '40%',
        forWhom: 'patients on Ward 3',
        byWhen: '31 March 2027',
      }),
      'Increase the percentage of patients discharged before noon from 15% to 40% for patients on Ward 3 by 31 March 2027.',
    )
  })

  test('copes with no baseline and with words the user already typed', () => {
    assert.equal(
      composeAimStatement({
        what: 'Reduce',
        measure: 'falls.',
        baseline: '',
        target: '5 a month',
        forWhom: 'for people at home',
        byWhen: 'by June 2027.',
      }),
      'Reduce falls to reach 5 a month for people at home by June 2027.',
    )
  })
})

describe('mentions', () => {
  test('finds e-mail addresses and name phrases, not the middle of an address', () => {
    const m = parseMentions(
      'Hi @Ben Baseline, and @cara.cycle@example.invalid; mail me at ada@example.org. @Fay',
    )
    assert.deepEqual(m.emails, ['cara.cycle@example.invalid'])
    assert.deepEqual(m.names, [['Ben', 'Baseline'], ['Fay']])
  })

  test('takes at most four words after the @', () => {
    assert.deepEqual(parseMentions('@One Two Three Four Five').names, [['One', 'Two', 'Three', 'Four']])
  })
})
