import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { computeBytes, computeInput, readRequestBytes, serialiseComputations } from './index.js'

const encode = (text: string): Uint8Array => new TextEncoder().encode(text)

/** The JSON `qi spc` writes for a text: from the byte reader when it answers, else JSON.parse. */
function both(text: string): { fast: string | null; slow: string } {
  const read = computeBytes(encode(text))
  let slowInput: unknown
  try {
    slowInput = JSON.parse(text)
  } catch {
    slowInput = undefined
  }
  const slow =
    slowInput === undefined ? 'invalid' : [...serialiseComputations(computeInput(slowInput))].join('')
  return { fast: read === null ? null : [...serialiseComputations(read)].join(''), slow }
}

const value = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.constant(null),
)
const field = fc.record(
  {
    method: fc.constantFrom('mdc', 'anhoej', 'x'),
    chart: fc.constantFrom('i', 'i_m', 'run', 'p', 't', 'xbar', 'q'),
    target: fc.oneof(fc.integer(), fc.constant(null), fc.array(value, { maxLength: 4 })),
    shift_n: fc.integer({ min: 0, max: 22 }),
    screen_mr: fc.boolean(),
    rebase: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 2 }),
    annotations: fc.array(
      fc.record({ x: fc.integer({ min: 1, max: 6 }), label: fc.string({ maxLength: 8 }) }),
      {
        maxLength: 2,
      },
    ),
    trnd_n: fc.integer(),
  },
  { requiredKeys: ['method', 'chart'] },
)
const point = fc.record(
  {
    x: fc.oneof(fc.integer({ min: -3, max: 40 }), fc.constantFrom('2024-01-01', '2024-02-30', 'x', 1.5)),
    y: value,
    n: fc.oneof(fc.integer({ min: -2, max: 50 }), fc.constant(null)),
    z: fc.integer(),
  },
  { requiredKeys: [] },
)
const request = fc.tuple(field, fc.array(point, { maxLength: 8 }), fc.boolean()).map(([f, pts, sorted]) => {
  const points = sorted ? pts.map((p, i) => ('x' in p ? { ...p, x: i + 1 } : p)) : pts
  return { ...f, points }
})
/** Spacing the reader must not mind: JSON.stringify with an indent, or with spaces around every token. */
const layout = fc.constantFrom(
  (v: unknown) => JSON.stringify(v),
  (v: unknown) => JSON.stringify(v, null, 2),
  (v: unknown) => JSON.stringify(v).replace(/([{}[\],:])/g, ' $1 '),
)

test('the byte reader gives exactly what JSON.parse and the ordinary path give, errors included', () => {
  let answered = 0
  fc.assert(
    fc.property(
      fc.oneof(
        request,
        fc.array(request, { maxLength: 3 }).map((batch) => ({ batch })),
      ),
      layout,
      (input, write) => {
        const { fast, slow } = both(write(input))
        if (fast === null) return
        answered++
        assert.equal(fast, slow)
      },
    ),
    { numRuns: 600, seed: 20261202 },
  )
  assert.ok(answered > 50, `the reader answered ${answered} of 600`)
})

test('the byte reader declines what it does not know, so JSON.parse decides', () => {
  for (const text of [
    '{"method":"mdc","chart":"i","points":[{"x":1,"y":2}]} x',
    '{"method":"mdc","chart":"i","points":[{"x":1,"y":2,"values":[1]}]}',
    '{"method":"mdc","chart":"i","points":[{"x":1,"x":2}]}',
    '{"method":"mdc","chart":"i","points":[{"x":"\\u0032","y":2}]}',
    '{"method":"mdc","chart":"i","points":[{"x":1,"y":01}]}',
    '{"method":"mdc","chart":"i","points":[{"x":1,"y":1e999}]}',
    '{"method":"mdc","chart":"i","points":[]}',
    '{"method":"mdc","chart":"i","points":[{"x":1,"y":2}],"points":[]}',
    '{"batch":[1]}',
    '{"method":"mdc",',
  ])
    assert.equal(readRequestBytes(encode(text)), null, text)
  // a field that is not JSON inside a readable request: the reader answers, but computeBytes declines
  assert.equal(computeBytes(encode('{"method":mdc,"chart":"i","points":[{"x":1,"y":2}]}')), null)
  const read = readRequestBytes(encode('{ "method" : "mdc", "points" : [ {"y": -1.5e2, "x": 3}, {"x":4} ] }'))
  assert.deepEqual(read, {
    fieldsText: '{"method":"mdc"}',
    columns: { xs: [3, 4], y: Float64Array.of(-150, NaN), n: null },
  })
})
