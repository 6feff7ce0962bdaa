import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { ALWAYS_SENT, preferenceOf } from './kinds.js'

const src = path.resolve(import.meta.dirname, '..')
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return files(full)
    return name.endsWith('.ts') && !/\.test\.ts$|fixtures|demo/.test(name) ? [full] : []
  })
}

/** Every mail kind the source enqueues: `kind: '…'` (or a template's fixed start) just after a mail call. */
function mailKinds(): { kind: string; template: boolean; where: string }[] {
  const out: { kind: string; template: boolean; where: string }[] = []
  for (const file of files(src)) {
    const code = readFileSync(file, 'utf8')
    for (const call of code.matchAll(/mail\.enqueue\(|this\.send\(trx|mailLearner\(/g)) {
      const near = code.slice(call.index, call.index + 500)
      const m = /kind: '([a-z_]+)'|kind: `([a-z_]+)\$\{|, '(learning_[a-z_]+)'|, `(learning_)\$\{/.exec(near)
      if (!m) continue
      const where = path.relative(src, file)
      if (m[1] || m[3]) out.push({ kind: m[1] ?? m[3], template: false, where })
      else out.push({ kind: m[2] ?? m[4], template: true, where })
    }
  }
  return out
}

describe('every kind of e-mail the platform sends has a notification choice, or is always sent', () => {
  const found = mailKinds()
  test('the scan finds the mail calls', () => assert.ok(found.length >= 20, String(found.length)))
  for (const { kind, template, where } of found)
    test(`${kind}${template ? '…' : ''} (${where})`, () => {
      if (!template) return assert.notEqual(preferenceOf(kind), null, `add ${kind} to notifications/kinds.ts`)
      const expansions: Record<string, string[]> = {
        project_: ['project_approved', 'project_returned'],
        learning_: ['learning_enrolled', 'learning_waitlisted', 'learning_requested'],
        network_digest_: ['network_digest_daily', 'network_digest_weekly'],
        notification_digest_: Object.keys(ALWAYS_SENT).filter((k) => k.startsWith('notification_digest_')),
      }
      assert.ok(expansions[kind], `say what ${kind}… expands to in this test`)
      for (const k of expansions[kind]) assert.notEqual(preferenceOf(k), null, k)
    })
  test('security e-mail is always sent', () => {
    for (const k of ['verify_email', 'reset_password', 'join_existing'])
      assert.equal(preferenceOf(k), 'always')
  })
})
