/**
 * `npm run bench:spc`: throughput of the SPC engine.
 * For each scenario: the analysis in process (validation + computation + result objects), the
 * serialisation to JSON, and a floor (one bare pass summing the same values in a Float64Array),
 * as points/second and as a ratio to the floor; the rule-set (shift 8, trend 6) and median-chart
 * (i_m, i_mm) variants beside the default. Then heap growth for 100k vs 1M points, and the whole
 * `npm run --silent qi -- spc` command as a child process on the 1,000 × 100 batch and on one
 * 1,000,000-point series, each against its floor: a bare node process that JSON.parses the same
 * request and writes as many bytes as the command's result (issue 17's targets: the batch under
 * 0.3 s, the series within 2× of its floor), with the rule-set and i_m variants of the series, and
 * each also without npm in front (npm's own start-up is outside the project). Run it on a quiet
 * machine (`uptime` load under 1.5).
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import {
  analyse,
  analyseInput,
  computeInput,
  crossingsMinimum,
  serialiseComputationsToBytes,
} from '../src/spc/index.js'
import { random } from './lib.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

function isoDay(i: number): string {
  return new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)
}

function xmrSeries(size: number, seed: number, dates: boolean): { x: number | string; y: number }[] {
  const rnd = random(seed)
  const points = new Array<{ x: number | string; y: number }>(size)
  for (let i = 0; i < size; i++)
    points[i] = { x: dates ? isoDay(i) : i + 1, y: Math.round(100 + 20 * (rnd() + rnd() + rnd() - 1.5)) }
  return points
}

function pSeries(size: number, seed: number): { x: string; y: number; n: number }[] {
  const rnd = random(seed)
  return Array.from({ length: size }, (_, i) => {
    const n = 200 + Math.floor(rnd() * 100)
    return { x: isoDay(i), y: Math.floor(n * (0.1 + 0.05 * rnd())), n }
  })
}

interface Scenario {
  name: string
  points: number
  input: unknown
  values: Float64Array
}

function valuesOf(input: unknown): Float64Array {
  const requests = (input as { batch?: { points: { y: number }[] }[] }).batch ?? [
    input as { points: { y: number }[] },
  ]
  const total = requests.reduce((s, r) => s + r.points.length, 0)
  const out = new Float64Array(total)
  let k = 0
  for (const r of requests) for (const p of r.points) out[k++] = p.y
  return out
}

function scenario(name: string, input: unknown): Scenario {
  const values = valuesOf(input)
  return { name, points: values.length, input, values }
}

function timeBest<T>(runs: number, f: () => T): { ms: number; last: T } {
  let best = Infinity
  let last: T | undefined
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    last = f()
    best = Math.min(best, performance.now() - t0)
  }
  return { ms: best, last: last as T }
}

function floorPass(values: Float64Array): number {
  let s = 0
  for (let i = 0; i < values.length; i++) s += values[i]
  return s
}

function byteLength(chunks: Iterable<Uint8Array>): number {
  let length = 0
  for (const chunk of chunks) length += chunk.length
  return length
}

const rate = (points: number, ms: number): string =>
  `${(((points / ms) * 1000) / 1e6).toFixed(2).padStart(6)} M points/s`

const batchOf = (size: number, make: (i: number) => unknown): { batch: unknown[] } => ({
  batch: Array.from({ length: size }, (_, i) => make(i)),
})

/**
 * BENCH_SCALE (default 1) shrinks every size for a smoke run that only shows the benchmark works
 * (0.01: a batch of 10 requests, series of 10,000 points); the targets are for scale 1.
 */
const SCALE = Number(process.env.BENCH_SCALE ?? '1')
const REQUESTS = Math.max(1, Math.round(1000 * SCALE))
const MILLION = Math.max(100, Math.round(1_000_000 * SCALE))
const mdcBatch = batchOf(REQUESTS, (i) => ({
  method: 'mdc',
  chart: 'i',
  points: xmrSeries(100, i + 1, true),
  target: 90,
}))
// one million points, shared by the mdc variants (four copies would fill the heap and time the GC)
const million = xmrSeries(MILLION, 7, false)
const scenarios: Scenario[] = [
  scenario('mdc i, batch 1,000 × 100', mdcBatch),
  scenario('mdc i, 1 × 1,000,000', { method: 'mdc', chart: 'i', points: million }),
  scenario('mdc i shift 8 trend 6, 1M', {
    method: 'mdc',
    chart: 'i',
    shift_n: 8,
    trend_n: 6,
    points: million,
  }),
  scenario('mdc i_m, 1 × 1,000,000', { method: 'mdc', chart: 'i_m', points: million }),
  scenario('mdc i_mm, 1 × 1,000,000', {
    method: 'mdc',
    chart: 'i_mm',
    points: million,
  }),
  scenario(
    'mdc i_m, batch 1,000 × 100',
    batchOf(REQUESTS, (i) => ({
      method: 'mdc',
      chart: 'i_m',
      points: xmrSeries(100, i + 1, true),
      target: 90,
    })),
  ),
  scenario(
    'anhoej p, batch 1,000 × 100',
    batchOf(REQUESTS, (i) => ({ method: 'anhoej', chart: 'p', points: pSeries(100, i + 1) })),
  ),
  scenario('anhoej run, 1 × 1,000,000', {
    method: 'anhoej',
    chart: 'run',
    points: xmrSeries(MILLION, 11, false),
  }),
]

console.log(
  `SPC engine benchmark (Node ${process.version}; best of 5 runs each)${SCALE === 1 ? '' : `; BENCH_SCALE=${SCALE}: a smoke run, sizes shrunk (labels name the full sizes), targets do not apply`}`,
)
console.log(
  'analysis = validation + computation into typed-array columns (what `qi spc` does before writing);',
)
console.log('objects  = the same plus one plain object per point (analyse(), for library callers);')
console.log(
  'json     = writing the JSON bytes from the columns (as qi spc does); floor = one bare pass summing the values.\n',
)
const col = (s: string, w: number): string => s.padStart(w)
console.log(
  `${'scenario'.padEnd(28)} ${col('points', 9)} ${col('floor', 9)} ${col('analysis', 10)} ${col('rate', 18)} ${col('×floor', 7)} ${col('objects', 10)} ${col('json', 10)} ${col('json rate', 18)}`,
)
const analysisMs = new Map<string, number>()
for (const s of scenarios) {
  const floor = timeBest(5, () => floorPass(s.values))
  const analysis = timeBest(5, () => computeInput(s.input))
  analysisMs.set(s.name, analysis.ms)
  const objects = timeBest(3, () => analyseInput(s.input))
  const json = timeBest(3, () => byteLength(serialiseComputationsToBytes(analysis.last, { reuse: true })))
  console.log(
    `${s.name.padEnd(28)} ${col(String(s.points), 9)} ${col(floor.ms.toFixed(2), 6)} ms ${col(analysis.ms.toFixed(1), 7)} ms ${rate(s.points, analysis.ms)} ${col((analysis.ms / floor.ms).toFixed(0), 6)}× ${col(objects.ms.toFixed(1), 7)} ms ${col(json.ms.toFixed(1), 7)} ms ${rate(s.points, json.ms)}`,
  )
}

console.log(
  `\n1,000,000-point mdc analysis in process: ${(analysisMs.get('mdc i, 1 × 1,000,000') ?? NaN).toFixed(0)} ms (target < 150 ms); shift 8 trend 6: ${(analysisMs.get('mdc i shift 8 trend 6, 1M') ?? NaN).toFixed(0)} ms; i_m: ${(analysisMs.get('mdc i_m, 1 × 1,000,000') ?? NaN).toFixed(0)} ms`,
)

// The crossings limit alone (Anhøj's rule) for a million points: a few thousand binomial terms
// summed from a normal guess, so it should stay a few milliseconds.
{
  const n = 1_000_000
  const once = timeBest(1, () => crossingsMinimum(n))
  const best = timeBest(20, () => crossingsMinimum(n))
  console.log(
    `\ncrossings limit for ${n.toLocaleString('en-GB')} points (${best.last}): first call ${once.ms.toFixed(2)} ms, best of 20 ${best.ms.toFixed(3)} ms (target < 200 ms)`,
  )
}

// Memory: heap held by a result, for 100k and 1M points (should grow linearly)
console.log('\nheap held by one mdc i result (input excluded):')
for (const size of [MILLION / 10, MILLION]) {
  const request = { method: 'mdc', chart: 'i', points: xmrSeries(size, 3, false) }
  gc()
  const before = process.memoryUsage().heapUsed
  const result = analyse(request)
  gc()
  const after = process.memoryUsage().heapUsed
  const mb = (after - before) / 2 ** 20
  console.log(
    `  ${String(size).padStart(9)} points: ${mb.toFixed(1).padStart(6)} MiB (${((after - before) / size).toFixed(0)} bytes/point)${result.ok ? '' : ' error'}`,
  )
}

// The whole command as a child process (npm, node, the bundle, stdin, analysis, stdout), and its
// floor: a bare node process that JSON.parses the same request and writes as many bytes.
const FLOOR_SCRIPT = `
const chunks = []
process.stdin.on('data', (d) => chunks.push(d))
process.stdin.on('end', () => {
  JSON.parse(Buffer.concat(chunks).toString('utf8'))
  const size = Number(process.argv[1])
  const block = Buffer.alloc(1 << 20, 32)
  const { writeSync } = require('node:fs')
  for (let left = size; left > 0; left -= block.length) writeSync(1, block, 0, Math.min(left, block.length))
})`

async function timeProcess(
  command: string,
  args: string[],
  input: string,
): Promise<{ ms: number; bytes: number; code: number | null }> {
  const t0 = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] })
    let bytes = 0
    child.stdout.on('data', (d: Buffer) => (bytes += d.length))
    child.on('error', reject)
    child.on('close', (code) => resolve({ ms: performance.now() - t0, bytes, code }))
    child.stdin.end(input)
  })
}

async function bestOf(
  runs: number,
  f: () => Promise<{ ms: number; bytes: number; code: number | null }>,
): Promise<{ best: number; median: number; bytes: number; code: number | null }> {
  const times: number[] = []
  let last = { ms: 0, bytes: 0, code: 0 as number | null }
  for (let i = 0; i < runs; i++) {
    last = await f()
    times.push(last.ms)
  }
  times.sort((a, b) => a - b)
  return { best: times[0], median: times[Math.floor(times.length / 2)], bytes: last.bytes, code: last.code }
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1)
// the qi script as package.json runs it (its node flags), for the command without npm in front
const qiScript = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>
  }
).scripts.qi
  .split(' ')
  .slice(1)
const NPM_QI = ['run', '--silent', 'qi', '--', 'spc']
console.log('\nnpm run --silent qi -- spc, end to end (best and median of 5), against its floor:')
{
  const empty = await bestOf(5, () => timeProcess('npm', NPM_QI, '{}'))
  const direct = await bestOf(5, () => timeProcess(process.execPath, [...qiScript, 'spc'], '{}'))
  const bare = await bestOf(5, () => timeProcess(process.execPath, ['-e', '0'], ''))
  console.log(
    `  start-up alone (a one-line request): through npm ${empty.best.toFixed(0)} ms; \`node ${qiScript.join(' ')} spc\` ${direct.best.toFixed(0)} ms; node -e 0 ${bare.best.toFixed(0)} ms; npm's own share ${(empty.best - direct.best).toFixed(0)} ms (outside the project)`,
  )
}
const e2e: [string, unknown, number][] = [
  ['batch 1,000 × 100', mdcBatch, 300],
  ['1 × 1,000,000', scenarios[1].input, NaN],
  ['shift 8 trend 6, 1M', scenarios[2].input, NaN],
  ['i_m, 1 × 1,000,000', scenarios[3].input, NaN],
]
for (const [name, input, targetMs] of e2e) {
  const text = JSON.stringify(input)
  const cli = await bestOf(5, () => timeProcess('npm', NPM_QI, text))
  const direct = await bestOf(5, () => timeProcess(process.execPath, [...qiScript, 'spc'], text))
  const floor = await bestOf(5, () =>
    timeProcess(process.execPath, ['-e', FLOOR_SCRIPT, String(cli.bytes)], text),
  )
  const ratio = cli.best / floor.best
  const target = Number.isNaN(targetMs)
    ? 'target ≤ 2× floor'
    : `${(cli.best / targetMs).toFixed(2)}× the ${targetMs} ms target; target ≤ 1× it and ≤ 2× floor`
  console.log(
    `  ${name.padEnd(20)} ${mib(text.length).padStart(6)} MiB in, ${mib(cli.bytes).padStart(6)} MiB out, exit ${cli.code}: ` +
      `best ${cli.best.toFixed(0)} ms (median ${cli.median.toFixed(0)}), without npm ${direct.best.toFixed(0)} ms; ` +
      `floor ${floor.best.toFixed(0)} ms; ${ratio.toFixed(2)}× floor (${target})`,
  )
}
