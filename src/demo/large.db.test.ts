import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openTestDatabase, testDialects } from '../testing/databases.js'
import { loadDemoContent } from './load.js'
import {
  buildChunk,
  deleteLargeSet,
  generateLargeSet,
  largeSetExists,
  LARGE_BENCH_MEASURE,
  planFor,
} from './large.js'
import { syntheticPeriods, syntheticSeries } from '../measures/synthetic.js'

describe('the large synthetic set', () => {
  test('is planned at 10,000 projects and 100,000 measures, or a fraction of them', () => {
    assert.deepEqual(planFor(1), { projects: 10_000, measuresPerProject: 10 })
    assert.equal(planFor(0.1).projects, 1000)
    assert.equal(planFor(0.00001).projects, 1)
  })

  test('averages 50 points a measure, with 1,000 daily points on the benchmark measure, the same on every run', () => {
    const chunk = buildChunk(0, 20)
    const perMeasure = new Map<string, number>()
    for (const id of chunk.points.measureId) perMeasure.set(id, (perMeasure.get(id) ?? 0) + 1)
    assert.equal(perMeasure.get(LARGE_BENCH_MEASURE), 1000)
    const others = [...perMeasure.entries()].filter(([id]) => id !== LARGE_BENCH_MEASURE).map(([, n]) => n)
    assert.ok(Math.abs(others.reduce((a, b) => a + b) / others.length - 50) < 6)
    assert.deepEqual(buildChunk(3, 4), buildChunk(3, 4))
  })

  test('makes series with realistic shapes and valid numbers', () => {
    const periods = syntheticPeriods('2026-10-01', 40, 'month')
    assert.equal(periods[0], '2023-06-01')
    assert.equal(periods[39], '2026-09-01')
    const shapes = new Set<string>()
    for (let seed = 1; seed < 60; seed++) {
      const { shape, points } = syntheticSeries(seed, 'proportion', 40, periods)
      shapes.add(shape)
      for (const p of points) assert.ok(p.numerator! >= 0 && p.numerator! <= p.denominator!)
      for (const p of syntheticSeries(seed, 'count', 40, periods).points)
        assert.ok(Number.isInteger(p.value) && p.value! >= 0)
    }
    assert.deepEqual([...shapes].sort(), ['outliers', 'seasonal', 'shift', 'stable', 'trend'])
  })
})

for (const { dialect, skip } of await testDialects()) {
  describe(`generating the large set on ${dialect}`, { skip }, () => {
    test('writes projects, measures and points in batches, is found again and deleted', async () => {
      const { database, cleanup } = await openTestDatabase(dialect)
      try {
        await loadDemoContent(database.db, { password: 'x-password-for-tests' })
        assert.equal(await largeSetExists(database.db), false)
        const counts = await generateLargeSet(database, { scale: 0.0015, chunk: 7 })
        assert.equal(counts.projects, 15)
        assert.equal(counts.measures, 150)
        const points = await database.db
          .selectFrom('measure_data_points')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('measure_id', 'like', 'lg-m-%')
          .executeTakeFirstOrThrow()
        assert.equal(Number(points.n), counts.points)
        assert.equal(await largeSetExists(database.db), true)
        const bench = await database.db
          .selectFrom('projects')
          .select(['status', 'visibility', 'is_demo'])
          .where('id', '=', 'lg-p-00000')
          .executeTakeFirstOrThrow()
        assert.deepEqual(
          [bench.status, bench.visibility, Boolean(bench.is_demo)],
          ['active', 'community', true],
        )
        await deleteLargeSet(database.db)
        assert.equal(await largeSetExists(database.db), false)
        const left = await database.db
          .selectFrom('measure_data_points')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('measure_id', 'like', 'lg-m-%')
          .executeTakeFirstOrThrow()
        assert.equal(Number(left.n), 0)
      } finally {
        await cleanup()
      }
    })
  })
}
