/** One section of a digest: a heading, a line saying how many, and up to ten items with links. */
export interface DigestSection {
  key: 'signals' | 'stalled' | 'support' | 'courses' | 'posters'
  title: string
  summary: string
  items: { text: string; href: string }[]
}

export const SECTION_LIMIT = 10

/** "3 projects" / "1 project". */
export const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** A section, or null when it has nothing in it (empty sections are left out of the digest). */
export function section(
  key: DigestSection['key'],
  title: string,
  summary: string,
  items: DigestSection['items'],
  total = items.length,
): DigestSection | null {
  return total === 0 ? null : { key, title, summary, items: items.slice(0, SECTION_LIMIT) }
}

/** The digest's plain text (the outbox makes its HTML part from it). */
export function digestText(
  opening: string,
  sections: DigestSection[],
  baseUrl: string,
  links: { settings: string; unsubscribe: string },
): string {
  const parts = [opening]
  for (const s of sections) {
    const lines = s.items.map((i) => `• ${i.text}\n  ${baseUrl}${i.href}`)
    parts.push([s.title.toUpperCase(), s.summary, ...lines].join('\n'))
  }
  parts.push(
    `Choose whether you get this digest: ${baseUrl}${links.settings}\nStop this digest: ${links.unsubscribe}`,
  )
  return parts.join('\n\n')
}
