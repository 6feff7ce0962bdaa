/** Domains that demo and test builds may send to: reserved for documentation and testing (RFC 2606). */
export const SAFE_MAIL_DOMAINS = ['example.invalid', 'example.org', 'example.com', 'localhost'] as const

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@')
  return at < 0
    ? ''
    : address
        .slice(at + 1)
        .toLowerCase()
        .replace(/\.$/, '')
}

/** True when a demo or test build may send to this address. */
export function isSafeRecipient(address: string): boolean {
  const domain = domainOf(address)
  return SAFE_MAIL_DOMAINS.some((safe) => domain === safe || domain.endsWith('.' + safe))
}
