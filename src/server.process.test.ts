import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'

const root = path.resolve(import.meta.dirname, '..')

function qi(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/qi.ts', ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
  })
}

/** Starts `src/server.ts` as `npm start` does, waits until it listens, and returns its base URL. */
async function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 30_000)
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      const match = /running at (http:\/\/[^\s]+)/.exec(stderr)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code}: ${stderr}`))
    })
  })
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.removeAllListeners('exit')
      child.on('exit', (code) => resolve(code))
      child.kill('SIGTERM')
    })
  return { url, stop, stderr: () => stderr }
}

test('npm start on an empty data folder loads the demo content once, serves the site and shuts down cleanly on SIGTERM', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'qi-start-'))
  const first = await startServer({ DATA_DIR: dataDir })
  assert.match(first.stderr(), /Loaded demo content/)
  const health = await fetch(`${first.url}/healthz`)
  assert.equal(health.status, 200)
  const home = await fetch(`${first.url}/`)
  assert.match(await home.text(), /One Gloucestershire Improvement Community/)
  assert.equal(await first.stop(), 0)
  const second = await startServer({ DATA_DIR: dataDir })
  assert.doesNotMatch(second.stderr(), /Loaded demo content/)
  assert.equal(await second.stop(), 0)
  const db = new SQLite(path.join(dataDir, 'qi.sqlite'), { readonly: true })
  const users = db.prepare('select count(*) as n from users').get() as { n: number }
  const orgs = db.prepare('select count(*) as n from organisations').get() as { n: number }
  db.close()
  assert.equal(users.n, 9)
  assert.equal(orgs.n, 10)
  assert.ok(existsSync(path.join(dataDir, 'session-secret')))
})

test('a bad variable stops the start with a message naming it', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: 'abc', DATABASE_URL: 'mysql://nope' },
    encoding: 'utf8',
  })
  assert.equal(result.status, 1)
  assert.match(result.stderr, /PORT must be a whole number/)
  assert.match(result.stderr, /DATABASE_URL must start with postgres:/)
})

test('DEMO=0 starts empty; create-admin makes the first admin; demo loads once; backup copies the SQLite file', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'qi-cli-'))
  const env = { DATA_DIR: dataDir, DEMO: '0' }
  const migrate = qi(['migrate'], env)
  assert.equal(migrate.status, 0, migrate.stderr)
  assert.match(migrate.stdout, /applied 2026-11-26T0930-create-foundation/)
  const weak = qi(['create-admin', '--email', 'admin@example.org', '--name', 'First Admin'], {
    ...env,
    QI_ADMIN_PASSWORD: 'short',
  })
  assert.equal(weak.status, 2)
  const made = qi(['create-admin', '--email', 'admin@example.org', '--name', 'First Admin'], {
    ...env,
    QI_ADMIN_PASSWORD: 'a-long-admin-passphrase',
  })
  assert.equal(made.status, 0, made.stderr)
  const db = () => new SQLite(path.join(dataDir, 'qi.sqlite'), { readonly: true })
  let conn = db()
  assert.deepEqual(
    conn
      .prepare(
        "select u.email, g.role from users u join role_grants g on g.user_id = u.id where g.role = 'platform_admin'",
      )
      .all(),
    [{ email: 'admin@example.org', role: 'platform_admin' }],
  )
  assert.equal(
    (conn.prepare('select count(*) as n from organisations').get() as { n: number }).n,
    0,
    'DEMO=0 leaves the database empty',
  )
  conn.close()
  assert.equal(qi(['demo'], env).status, 0)
  const again = qi(['demo'], env)
  assert.match(again.stdout, /nothing added/)
  conn = db()
  assert.equal((conn.prepare('select count(*) as n from users').get() as { n: number }).n, 10)
  conn.close()
  const backupFile = path.join(dataDir, 'copy.sqlite')
  const backup = qi(['backup', '--to', backupFile], env)
  assert.equal(backup.status, 0, backup.stderr)
  const copy = new SQLite(backupFile, { readonly: true })
  assert.equal((copy.prepare('select count(*) as n from users').get() as { n: number }).n, 10)
  copy.close()
  const pgBackup = qi(['backup'], { ...env, DATABASE_URL: 'postgres://u:secret@127.0.0.1:5432/qi' })
  assert.match(pgBackup.stdout, /pg_dump/)
  assert.doesNotMatch(pgBackup.stdout, /secret/)
})
