import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'

/** Everything the platform reads from its environment, parsed once and typed. */
export interface Config {
  env: 'production' | 'development' | 'test'
  port: number
  host: string
  baseUrl: string
  dataDir: string
  databaseUrl: string | null
  /** A PostgreSQL read replica for the read-heavy lists (database.reader); only with databaseUrl. */
  databaseReadUrl: string | null
  sessionSecret: string
  smtpUrl: string | null
  mailFrom: string
  oidc: { issuer: string; clientId: string; clientSecret: string; name: string } | null
  demo: boolean
  demoPassword: string
  /** Refuse mail to real domains (demo and test runs). */
  mailGuard: boolean
  trustProxy: boolean
  log: boolean | { level: string }
  /** Start the background mail/job worker in this process. */
  worker: boolean
}

export const DEFAULT_DEMO_PASSWORD = 'improve-together-2026'

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

type Env = Record<string, string | undefined>

function flag(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false
  problems.push(`${name} must be 1 or 0 (got "${raw}")`)
  return fallback
}

function url(env: Env, name: string, protocols: string[], problems: string[]): string | null {
  const raw = env[name]
  if (!raw) return null
  try {
    const parsed = new URL(raw)
    if (!protocols.includes(parsed.protocol)) {
      problems.push(
        `${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')} (got "${parsed.protocol}")`,
      )
      return null
    }
    return raw
  } catch {
    problems.push(`${name} is not a valid URL`)
    return null
  }
}

/**
 * Reads the environment once. Every bad variable is listed in one ConfigError.
 * SESSION_SECRET, when absent, is generated and kept in DATA_DIR so that restarts
 * (and several instances sharing DATA_DIR) keep sessions valid.
 */
export function loadConfig(env: Env = process.env, options: { persistSecret?: boolean } = {}): Config {
  const problems: string[] = []
  const nodeEnv =
    env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development'

  let port = 3000
  if (env.PORT !== undefined && env.PORT !== '') {
    const n = Number(env.PORT)
    if (!Number.isInteger(n) || n < 0 || n > 65535)
      problems.push(`PORT must be a whole number from 0 to 65535 (got "${env.PORT}")`)
    else port = n
  }
  const host = env.HOST || '0.0.0.0'
  const baseUrlRaw = url(env, 'BASE_URL', ['http:', 'https:'], problems)
  const baseUrl = (baseUrlRaw ?? `http://localhost:${port}`).replace(/\/+$/, '')
  const dataDir = path.resolve(env.DATA_DIR || './data')
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], problems)
  const databaseReadUrl = url(env, 'DATABASE_READ_URL', ['postgres:', 'postgresql:'], problems)
  if (env.DATABASE_READ_URL && !env.DATABASE_URL)
    problems.push('DATABASE_READ_URL needs DATABASE_URL: a read replica is of a PostgreSQL primary')
  const smtpUrl = url(env, 'SMTP_URL', ['smtp:', 'smtps:'], problems)
  const mailFrom = env.MAIL_FROM || 'One Gloucestershire Improvement Community <no-reply@example.invalid>'
  if (!/^[^<>]*<?[^\s@<>]+@[^\s@<>]+>?$/.test(mailFrom))
    problems.push(`MAIL_FROM must be an e-mail address (got "${mailFrom}")`)

  let oidc: Config['oidc'] = null
  const oidcVars = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const
  const present = oidcVars.filter((v) => env[v])
  if (present.length > 0 && present.length < 3) {
    problems.push(
      `single sign-on needs all of ${oidcVars.join(', ')} (missing ${oidcVars.filter((v) => !env[v]).join(', ')})`,
    )
  } else if (present.length === 3) {
    const issuer = url(env, 'OIDC_ISSUER', ['http:', 'https:'], problems)
    if (issuer)
      oidc = {
        issuer,
        clientId: env.OIDC_CLIENT_ID!,
        clientSecret: env.OIDC_CLIENT_SECRET!,
        name: env.OIDC_NAME || 'NHSmail / Microsoft',
      }
  }

  const demo = flag(env, 'DEMO', true, problems)
  const demoPassword = env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD
  if (demoPassword.length < 10) problems.push('DEMO_PASSWORD must be at least 10 characters')
  const trustProxy = flag(env, 'TRUST_PROXY', false, problems)
  const worker = flag(env, 'WORKER', true, problems)
  const logLevel = env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info')
  if (!['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'].includes(logLevel))
    problems.push(
      `LOG_LEVEL must be one of silent, fatal, error, warn, info, debug, trace (got "${logLevel}")`,
    )

  let sessionSecret = env.SESSION_SECRET ?? ''
  if (sessionSecret && sessionSecret.length < 32)
    problems.push('SESSION_SECRET must be at least 32 characters')
  if (problems.length) throw new ConfigError(problems)

  if (!sessionSecret) {
    if (options.persistSecret === false) sessionSecret = randomBytes(32).toString('hex')
    else sessionSecret = readOrCreateSecret(dataDir)
  }

  return {
    env: nodeEnv,
    port,
    host,
    baseUrl,
    dataDir,
    databaseUrl,
    databaseReadUrl,
    sessionSecret,
    smtpUrl,
    mailFrom,
    oidc,
    demo,
    demoPassword,
    mailGuard: demo || nodeEnv !== 'production',
    trustProxy,
    log: logLevel === 'silent' ? false : { level: logLevel },
    worker,
  }
}

function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(32).toString('hex')
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' })
  return secret
}
