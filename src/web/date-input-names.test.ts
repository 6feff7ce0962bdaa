import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { dateParts } from '../core/dates.js'

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? templates(path.join(dir, e.name))
      : e.name.endsWith('.njk')
        ? [path.join(dir, e.name)]
        : [],
  )
}

// The NHS.UK date input's `namePrefix` names its boxes `startsOn[Day]`; every form's server side
// reads `startsOnDay` (core/dates.ts `dateParts`), so a form built with it loses its dates in a
// browser while tests that post the server's names pass. Item names must be `<prefix>Day` etc.
test('no date input names its boxes with namePrefix', () => {
  const offenders = templates(src).filter((f) => /dateInput\(\{[^}]*namePrefix/.test(readFileSync(f, 'utf8')))
  assert.deepEqual(
    offenders.map((f) => path.relative(src, f)),
    [],
  )
  assert.deepEqual(dateParts({ startsOnDay: '3', startsOnMonth: '12', startsOnYear: '2026' }, 'startsOn'), {
    day: '3',
    month: '12',
    year: '2026',
  })
})
