#!/usr/bin/env node
// `npm test`: type check, formatting, lint, the import rules, then every test file in one run of node's test runner
// (so its closing summary covers the whole suite). `npm test -- unit|db|e2e` runs one group only:
//   unit  src/**/*.test.ts that are neither *.db.test.ts nor *.process.test.ts
//   db    src/**/*.db.test.ts (each file loops over SQLite and PostgreSQL)
//   e2e   e2e/**/*.test.ts (Chromium) and src/**/*.process.test.ts (tests that start the server
//         as `npm start` does, or sign in through an OpenID provider in Chromium)
// The patterns are node's own test globs, quoted so that node, not the shell, expands them.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const groups = {
  unit: ['src/**/!(*.db|*.process).test.ts'],
  db: ['src/**/*.db.test.ts'],
  e2e: ['e2e/**/*.test.ts', 'src/**/*.process.test.ts'],
}
const only = process.argv[2]
if (only && !Object.hasOwn(groups, only)) {
  process.stderr.write(`usage: npm test [-- ${Object.keys(groups).join('|')}]\n`)
  process.exit(2)
}
const patterns = only ? groups[only] : ['src/**/*.test.ts', 'e2e/**/*.test.ts']

function run(label, command, args, env = {}) {
  process.stdout.write(`\n▶ ${label}\n`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  if (result.status !== 0) {
    process.stdout.write(`\n✖ ${label} failed\n`)
    process.exit(result.status ?? 1)
  }
}

if (!only) {
  run('type check (tsc --noEmit)', 'npx', ['tsc', '--noEmit'])
  run('formatting (prettier --check)', 'npx', ['prettier', '--check', '--log-level=warn', '.'])
  run('lint (eslint --max-warnings 0)', 'npx', ['eslint', '--max-warnings', '0', '.'])
  run('import rules (docs/architecture.md)', process.execPath, ['scripts/check-architecture.mjs'])
}
run(
  `tests (${patterns.join(' ')})`,
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
    '--test-timeout=900000',
    ...patterns,
  ],
  { NODE_ENV: 'test' },
)
