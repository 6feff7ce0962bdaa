import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ConfigError, DEFAULT_DEMO_PASSWORD, loadConfig } from './config.js'

test('defaults give a demo instance on port 3000 with SQLite', () => {
  const config = loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'qi-config-')) })
  assert.equal(config.port, 3000)
  assert.equal(config.databaseUrl, null)
  assert.equal(config.demo, true)
  assert.equal(config.demoPassword, DEFAULT_DEMO_PASSWORD)
  assert.equal(config.baseUrl, 'http://localhost:3000')
  assert.equal(config.mailGuard, true)
})

test('a missing SESSION_SECRET is generated once and kept in DATA_DIR', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'qi-config-'))
  const first = loadConfig({ DATA_DIR: dir })
  const second = loadConfig({ DATA_DIR: dir })
  assert.equal(first.sessionSecret, second.sessionSecret)
  assert.equal(readFileSync(path.join(dir, 'session-secret'), 'utf8').trim(), first.sessionSecret)
  assert.ok(first.sessionSecret.length >= 32)
})

test('every bad variable is named in one error', () => {
  assert.throws(
    () =>
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        SMTP_URL: 'not a url',
        DEMO: 'maybe',
        OIDC_ISSUER: 'https://login.example.org',
        SESSION_SECRET: 'short',
        BASE_URL: 'ftp://x',
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      const text = error.message
      for (const name of [
        'PORT',
        'DATABASE_URL',
        'SMTP_URL',
        'DEMO',
        'OIDC_CLIENT_ID',
        'SESSION_SECRET',
        'BASE_URL',
      ])
        assert.match(text, new RegExp(name))
      return true
    },
  )
})

test('production without demo data lifts the demo mail guard', () => {
  const config = loadConfig({ NODE_ENV: 'production', DEMO: '0', SESSION_SECRET: 'y'.repeat(40) })
  assert.equal(config.mailGuard, false)
  assert.equal(
    loadConfig({ NODE_ENV: 'production', DEMO: '1', SESSION_SECRET: 'y'.repeat(40) }).mailGuard,
    true,
  )
})

test('PostgreSQL, SMTP and single sign-on are read when given', () => {
  const config = loadConfig({
    DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/qi',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    OIDC_ISSUER: 'https://login.example.org/tenant/v2.0',
    OIDC_CLIENT_ID: 'client',
    OIDC_CLIENT_SECRET: 'secret',
    SESSION_SECRET: 'z'.repeat(40),
    BASE_URL: 'https://improve.example.org/',
  })
  assert.equal(config.databaseUrl, 'postgres://u:p@127.0.0.1:5432/qi')
  assert.equal(config.smtpUrl, 'smtp://127.0.0.1:2525')
  assert.equal(config.oidc?.clientId, 'client')
  assert.equal(config.baseUrl, 'https://improve.example.org')
})

test('DATABASE_READ_URL names a read replica of the PostgreSQL primary, and needs DATABASE_URL', () => {
  const config = loadConfig({
    DATABASE_URL: 'postgres://u:p@primary.internal:5432/qi',
    DATABASE_READ_URL: 'postgres://u:p@replica.internal:5432/qi',
    SESSION_SECRET: 'z'.repeat(40),
  })
  assert.equal(config.databaseReadUrl, 'postgres://u:p@replica.internal:5432/qi')
  assert.equal(loadConfig({ SESSION_SECRET: 'z'.repeat(40) }).databaseReadUrl, null)
  assert.throws(
    () =>
      loadConfig({
        DATABASE_READ_URL: 'postgres://u:p@replica.internal:5432/qi',
        SESSION_SECRET: 'z'.repeat(40),
      }),
    (error: unknown) =>
      error instanceof ConfigError && /DATABASE_READ_URL needs DATABASE_URL/.test(error.message),
  )
  assert.throws(
    () =>
      loadConfig({
        DATABASE_URL: 'postgres://u:p@primary.internal:5432/qi',
        DATABASE_READ_URL: 'mysql://replica.internal/qi',
        SESSION_SECRET: 'z'.repeat(40),
      }),
    (error: unknown) =>
      error instanceof ConfigError && /DATABASE_READ_URL must start with postgres:/.test(error.message),
  )
})
