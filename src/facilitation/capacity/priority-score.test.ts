import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { suggestedPriority } from './priority-score.js'

const today = '2026-12-01'

describe('suggested priority', () => {
  test('adds alignment, scale and urgency: the documented example scores 80', () => {
    assert.deepEqual(
      suggestedPriority({ priorityCount: 1, scale: 'system', startDate: '2026-12-10' }, today),
      { alignment: 20, scale: 30, urgency: 30, total: 80 },
    )
  })

  test('alignment counts at most two system priorities', () => {
    assert.equal(
      suggestedPriority({ priorityCount: 0, scale: 'team', startDate: '2027-12-01' }, today).alignment,
      0,
    )
    assert.equal(
      suggestedPriority({ priorityCount: 2, scale: 'team', startDate: '2027-12-01' }, today).alignment,
      40,
    )
    assert.equal(
      suggestedPriority({ priorityCount: 5, scale: 'team', startDate: '2027-12-01' }, today).alignment,
      40,
    )
  })

  test('urgency falls as the start date moves away: 28, 56 and 91 days are the edges', () => {
    const urgency = (startDate: string) =>
      suggestedPriority({ priorityCount: 0, scale: 'team', startDate }, today).urgency
    assert.equal(urgency('2026-11-20'), 30)
    assert.equal(urgency('2026-12-29'), 30)
    assert.equal(urgency('2026-12-30'), 20)
    assert.equal(urgency('2027-01-26'), 20)
    assert.equal(urgency('2027-01-27'), 10)
    assert.equal(urgency('2027-03-02'), 10)
    assert.equal(urgency('2027-03-03'), 5)
  })

  test('the lowest and highest possible scores are 10 and 100', () => {
    assert.equal(
      suggestedPriority({ priorityCount: 0, scale: 'team', startDate: '2028-01-01' }, today).total,
      10,
    )
    assert.equal(suggestedPriority({ priorityCount: 3, scale: 'system', startDate: today }, today).total, 100)
  })
})
