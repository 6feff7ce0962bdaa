import { generateKeyPairSync, randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
// @ts-expect-error oidc-provider ships no type declarations; the little used here is typed below.
import Provider from 'oidc-provider'

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void

/**
 * An HTTP server on 127.0.0.1 and a free port whose handler is set later. Its address
 * is known before the app behind it is built, so a config can name its own URL
 * (BASE_URL, or an OpenID provider's issuer).
 */
export interface LateServer {
  url: string
  port: number
  setHandler(handler: Handler): void
  close(): Promise<void>
}

export async function startLateServer(): Promise<LateServer> {
  let handler: Handler = (_request, response) => {
    response.statusCode = 503
    response.end('not ready')
  }
  const server = http.createServer((request, response) => handler(request, response))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setHandler(h) {
      handler = h
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A port on 127.0.0.1 that nothing listens on (for "the provider is down"). */
export async function closedPort(): Promise<number> {
  const probe = await startLateServer()
  await probe.close()
  return probe.port
}

export interface TestAccount {
  /** What the person types in the provider's login box; also the `sub` claim. */
  login: string
  email: string
  name: string
  emailVerified?: boolean
}

export interface TestOidcProvider {
  issuer: string
  clientId: string
  clientSecret: string
  /** Env for `testConfig`/`startTestApp`: OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME. */
  env: Record<string, string>
  close(): Promise<void>
}

interface ProviderInstance {
  callback(): Handler
}

/**
 * A real OpenID Connect provider (oidc-provider) on 127.0.0.1: in-memory storage, one
 * confidential client for `redirectUri`, the development login and consent pages
 * (any password; the login names an account), and scope-based claims, so e-mail and
 * name come from the userinfo endpoint as with most real providers, not the ID token.
 */
export async function startOidcProvider(options: {
  redirectUri: string
  accounts: TestAccount[]
  name?: string
}): Promise<TestOidcProvider> {
  const server = await startLateServer()
  const clientId = 'qi-community-test'
  const clientSecret = randomBytes(24).toString('base64url')
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })
  const accounts = new Map(options.accounts.map((a) => [a.login, a]))
  const ProviderClass = Provider as new (
    issuer: string,
    configuration: Record<string, unknown>,
  ) => ProviderInstance
  const provider = new ProviderClass(server.url, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        // openid-client sends a string secret in the form body by default.
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: [randomBytes(24).toString('base64url')] },
    jwks: { keys: [{ ...signingKey, kid: 'test-signing-key', use: 'sig', alg: 'RS256' }] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    findAccount: (_ctx: unknown, id: string) => {
      const account = accounts.get(id)
      if (!account) return undefined
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          email: account.email,
          email_verified: account.emailVerified ?? true,
          name: account.name,
        }),
      }
    },
  })
  server.setHandler(provider.callback())
  return {
    issuer: server.url,
    clientId,
    clientSecret,
    env: {
      OIDC_ISSUER: server.url,
      OIDC_CLIENT_ID: clientId,
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_NAME: options.name ?? 'Test NHSmail',
    },
    close: () => server.close(),
  }
}
