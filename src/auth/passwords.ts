import { hash, verify } from '@node-rs/argon2'

// OWASP's argon2id baseline (19 MiB, 2 iterations, 1 lane): ~50 ms a hash here.
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export const PASSWORD_RULE =
  'Your password must be at least 12 characters, and must not be your e-mail address or a commonly used password'

const COMMON = new Set([
  'password1234',
  'password12345',
  'passwordpassword',
  '123456789012',
  'qwertyuiopas',
  'letmein12345',
  'welcome12345',
  'iloveyou1234',
  'nhspassword1',
  'changeme1234',
  'aaaaaaaaaaaa',
])

/** Returns the reason a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < 12) return PASSWORD_RULE
  if (password.length > 200) return 'Your password must be 200 characters or fewer'
  const lower = password.toLowerCase()
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) return PASSWORD_RULE
  if (email && lower === email.toLowerCase()) return PASSWORD_RULE
  return null
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

export async function verifyPassword(hashed: string | null, password: string): Promise<boolean> {
  if (!hashed) {
    // Spend the same time as a real check so timing does not reveal missing accounts.
    await hash(password, OPTIONS)
    return false
  }
  try {
    return await verify(hashed, password)
  } catch {
    return false
  }
}
