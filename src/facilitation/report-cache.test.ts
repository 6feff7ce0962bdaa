import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ReportCache } from './report-cache.js'

describe('report cache', () => {
  test('reuses a result within its lifetime and recomputes after it', async () => {
    let now = 0
    let computed = 0
    const cache = new ReportCache(5000, () => now)
    const compute = async () => ++computed
    assert.equal(await cache.get('k', compute), 1)
    now = 4999
    assert.equal(await cache.get('k', compute), 1)
    now = 5000
    assert.equal(await cache.get('k', compute), 2)
  })

  test('a write drops every result at once', async () => {
    let computed = 0
    const cache = new ReportCache(5000, () => 0)
    await cache.get('a', async () => ++computed)
    cache.invalidate()
    assert.equal(await cache.get('a', async () => ++computed), 2)
  })

  test('concurrent misses share one computation, and a failure is not kept', async () => {
    let computed = 0
    const cache = new ReportCache(5000, () => 0)
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++computed), 10))
    assert.deepEqual(await Promise.all([cache.get('k', slow), cache.get('k', slow)]), [1, 1])
    await assert.rejects(cache.get('bad', () => Promise.reject(new Error('down'))))
    assert.equal(await cache.get('bad', async () => 'recovered'), 'recovered')
  })
})
