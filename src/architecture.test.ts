import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

// The import rules of docs/architecture.md, through the checker `npm test` runs.
const checker = path.resolve(import.meta.dirname, '../scripts/check-architecture.mjs')

function run(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'qi-arch-'))
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
      writeFileSync(path.join(dir, name), text)
    }
    const r = spawnSync(process.execPath, [checker, '--src', dir], { encoding: 'utf8' })
    return { status: r.status, out: r.stdout + r.stderr }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test('this tree follows the rules', () => {
  const r = spawnSync(process.execPath, [checker], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stdout + r.stderr)
})

test('an import into a higher layer fails, type-only ones too', () => {
  const r = run({
    'core/ids.ts': "import type { Project } from '../projects/service.js'\nexport const x = 1\n",
    'projects/service.ts': 'export interface Project { id: string }\n',
  })
  assert.equal(r.status, 1)
  assert.match(r.out, /core \(pure\) may not import projects \(features\)/)
})

test('a cycle between two features fails, and so does a longer one', () => {
  const two = run({
    'events/routes.ts': "import { f } from '../facilitation/index.js'\nexport const e = f\n",
    'facilitation/index.ts': "import { e } from '../events/routes.js'\nexport const f = e\n",
  })
  assert.equal(two.status, 1)
  assert.match(two.out, /a cycle between events, facilitation/)
  const three = run({
    'projects/a.ts': "export { b } from '../measures/b.js'\n",
    'measures/b.ts': "export { c } from '../learning/c.js'\n",
    'learning/c.ts': "export const c = await import('../projects/a.js')\n",
  })
  assert.equal(three.status, 1)
  assert.match(three.out, /a cycle between learning, measures, projects/)
})

test("a feature reading another room's repository fails; tests may import anything", () => {
  const r = run({
    'auth/service.ts': "import { findPerson } from '../people/repository.js'\nexport const s = findPerson\n",
    'people/repository.ts': 'export const findPerson = 1\n',
    'people/people.test.ts': "import '../auth/service.js'\nimport '../app.js'\n",
  })
  assert.equal(r.status, 1)
  assert.match(r.out, /src\/auth\/service\.ts imports \.\.\/people\/repository\.js|auth\/service\.ts imports/)
  assert.doesNotMatch(r.out, /people\.test/)
})

test('a new folder must be given its layer', () => {
  const r = run({
    'noticeboard/routes.ts': "import { x } from '../core/ids.js'\nexport const y = x\n",
    'core/ids.ts': 'export const x = 1\n',
  })
  assert.equal(r.status, 1)
  assert.match(r.out, /src\/noticeboard: a room not in the LAYERS table/)
})
