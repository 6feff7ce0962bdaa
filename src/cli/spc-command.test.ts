import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const fixtures = join(root, 'test', 'fixtures', 'spc')

/** Runs `qi <args>` with `input` on stdin; resolves with stdout (as bytes), stderr and the exit status. */
function qi(
  args: string[],
  input: string | Buffer,
): Promise<{ stdout: Buffer; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/qi.mjs', ...args], { cwd: root })
    const out: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr, code }))
    child.stdin.end(input)
  })
}

/** The rules of shared/spc/compare.py: every expected key present; numbers within rel 1e-6 or abs 1e-9. */
function compare(expected: unknown, actual: unknown, path: string, diffs: string[]): void {
  if (diffs.length >= 8) return
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      diffs.push(`${path}: expected ${expected.length} items`)
      return
    }
    expected.forEach((e, i) => compare(e, actual[i], `${path}[${i}]`, diffs))
  } else if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') {
      diffs.push(`${path}: expected an object`)
      return
    }
    const exp = expected as Record<string, unknown>
    const act = actual as Record<string, unknown>
    if (exp.ok === false) {
      if (act.ok !== false) diffs.push(`${path}.ok: expected false`)
      return
    }
    for (const [k, v] of Object.entries(exp)) {
      if (!(k in act)) diffs.push(`${path}.${k}: missing`)
      else compare(v, act[k], `${path}.${k}`, diffs)
    }
  } else if (typeof expected === 'number') {
    const ok =
      typeof actual === 'number' &&
      Number.isFinite(actual) &&
      (Math.abs(actual - expected) <= 1e-9 ||
        Math.abs(actual - expected) <= 1e-6 * Math.max(Math.abs(actual), Math.abs(expected)))
    if (!ok) diffs.push(`${path}: expected ${expected}, got ${JSON.stringify(actual)}`)
  } else if (actual !== expected) {
    diffs.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

const cases = readdirSync(fixtures)
  .filter((f) => f.endsWith('.request.json'))
  .map((f) => f.slice(0, -'.request.json'.length))

test('every worked case agrees with the reference packages through the command', async () => {
  assert.ok(cases.length >= 8, 'the worked cases are in test/fixtures/spc')
  const read = (name: string, kind: string): unknown =>
    JSON.parse(readFileSync(join(fixtures, `${name}.${kind}.json`), 'utf8')) as unknown
  // one process for all single requests (as one batch), one per batch case: keeps the suite fast
  const singles = cases.filter((name) => !('batch' in (read(name, 'request') as object)))
  const batches = cases.filter((name) => !singles.includes(name))
  const runs = await Promise.all([
    qi(['spc'], JSON.stringify({ batch: singles.map((name) => read(name, 'request')) })),
    ...batches.map((name) => qi(['spc'], readFileSync(join(fixtures, `${name}.request.json`)))),
  ])
  for (const run of runs) {
    assert.equal(run.code, 0)
    assert.ok(run.stdout.toString().endsWith('}\n'), 'one JSON object and a newline')
  }
  const combined = JSON.parse(runs[0].stdout.toString()) as { batch: unknown[] }
  singles.forEach((name, i) => {
    const diffs: string[] = []
    compare(read(name, 'expected'), combined.batch[i], '', diffs)
    assert.deepEqual(diffs, [], name)
  })
  batches.forEach((name, i) => {
    const diffs: string[] = []
    compare(read(name, 'expected'), JSON.parse(runs[i + 1].stdout.toString()), '', diffs)
    assert.deepEqual(diffs, [], name)
  })
})

test('malformed JSON and a request of the wrong shape give an error result and exit 0', async () => {
  const [bad, shape] = await Promise.all([qi(['spc'], '{"method": "mdc", '), qi(['spc'], '[1, 2, 3]')])
  for (const r of [bad, shape]) {
    assert.equal(r.code, 0)
    const result = JSON.parse(r.stdout.toString()) as { ok: boolean; error: string }
    assert.equal(result.ok, false)
    assert.match(result.error, /^request: /)
    assert.ok(!r.stdout.toString().includes('    at '), 'no stack trace')
  }
})

test('--svg writes the chart of a request instead of JSON', async () => {
  const request = readFileSync(join(fixtures, 'mdc_vignette_screened.request.json'))
  const { stdout, code } = await qi(['spc', '--svg'], request)
  assert.equal(code, 0)
  const svg = stdout.toString()
  assert.ok(svg.startsWith('<svg') && svg.trimEnd().endsWith('</svg>'))
  assert.ok(svg.includes('role="img"'))
})

test('qi chart writes PNG bytes with --png, and exits 2 for a request it cannot draw', async () => {
  const request = readFileSync(join(fixtures, 'anh_c_cdi_rebase.request.json'))
  const [png, bad] = await Promise.all([
    qi(['chart', '--png', '--title', 'CDI'], request),
    qi(['chart'], '{"method": "mdc"}'),
  ])
  assert.equal(png.code, 0)
  assert.deepEqual([...png.stdout.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  assert.equal(bad.code, 2)
  assert.equal(bad.stdout.length, 0)
  assert.match(bad.stderr, /chart:/)
})

test('the new options go through the command: rule set, signals, and errors naming the field', async () => {
  const points = [0, 1, 0, 1, 0, 1, 2, 3, 2, 3, 2].map((y, i) => ({
    x: `2024-01-${String(i + 1).padStart(2, '0')}`,
    y,
  }))
  const requests = [
    { method: 'mdc', chart: 'i', points, shift_n: 5, screen_mr: false },
    { method: 'mdc', chart: 'i_mm', points, target: points.map(() => -5) },
    { method: 'mdc', chart: 'i', points, trnd_n: 5 },
    { method: 'mdc', chart: 'i', points, annotations: [{ x: '2024-01-02', label: 'x'.repeat(10_000) }] },
    { method: 'anhoej', chart: 'run', points, shift_n: 8 },
  ]
  const run = await qi(['spc'], JSON.stringify({ batch: requests }))
  assert.equal(run.code, 0)
  const { batch } = JSON.parse(run.stdout.toString()) as {
    batch: {
      ok: boolean
      error?: string
      rule_set?: unknown
      assurance?: string
      points?: { signal: unknown }[]
    }[]
  }
  assert.deepEqual(batch[0].rule_set, { name: 'mdc', shift_n: 5, trend_n: 7 })
  assert.deepEqual(batch[0].points?.[8].signal, { rule: 'shift_above', from: 6, to: 10 })
  assert.equal(batch[1].assurance, 'consistent_pass')
  assert.match(batch[2].error ?? '', /^trnd_n: unknown field \(did you mean "trend_n"\?\)/)
  assert.match(batch[3].error ?? '', /^annotations\[0\]\.label: /)
  assert.match(batch[4].error ?? '', /^shift_n: /)
})

test('a request that arrives in pieces, with pauses, gives the same result as one written at once', async () => {
  const request = readFileSync(join(fixtures, 'mdc_vignette_screened.request.json'))
  const whole = await qi(['spc'], request)
  const pieces = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/qi.mjs', 'spc'], { cwd: root })
    const out: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.on('error', reject)
    child.on('close', () => resolve(Buffer.concat(out)))
    const half = Math.floor(request.length / 2)
    child.stdin.write(request.subarray(0, half))
    setTimeout(() => {
      child.stdin.write(request.subarray(half, half + 10))
      setTimeout(() => child.stdin.end(request.subarray(half + 10)), 100)
    }, 100)
  })
  assert.equal(whole.code, 0)
  assert.ok(whole.stdout.toString().startsWith('{"ok":true'))
  assert.equal(pieces.toString(), whole.stdout.toString())
})
