#!/usr/bin/env node
// `npm test`: type check, lint, then every test file in one run of node's test runner
// (so its closing summary covers the whole suite). `npm test -- unit|db|e2e` narrows it.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const only = process.argv[2]
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')

function run(label, command, args, env = {}) {
  process.stdout.write(`\n▶ ${label}\n`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  if (result.status !== 0) {
    process.stdout.write(`\n✖ ${label} failed\n`)
    process.exit(result.status ?? 1)
  }
}

function findTests(dir) {
  const out = []
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) out.push(...findTests(full))
    else if (name.endsWith('.test.ts')) out.push(path.relative(root, full))
  }
  return out
}

const all = [...findTests(path.join(root, 'src')), ...findTests(path.join(root, 'e2e'))].sort()
const kind = (f) => (f.startsWith('e2e/') ? 'e2e' : f.endsWith('.db.test.ts') ? 'db' : 'unit')
const files = only ? all.filter((f) => kind(f) === only) : all

if (!only) {
  run('type check (tsc --noEmit)', 'npx', ['tsc', '--noEmit'])
  run('lint (eslint)', 'npx', ['eslint', '.'])
}
run(
  `tests (${files.length} files)`,
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
    '--test-timeout=900000',
    ...files,
  ],
  { NODE_ENV: 'test' },
)
