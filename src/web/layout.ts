import { randomBytes } from 'node:crypto'
import type nunjucks from 'nunjucks'
import { escapeXml } from '../core/escape.js'
import { renderView } from './render.js'

/**
 * The site header and footer, which every page repeats. Rendering them through the NHS.UK
 * macros took about 2 ms of a bare page's 2.8 ms, so each is rendered once per variant and kept:
 * the footer once, the header once per (signed in or not, Admin link or not, current section),
 * with the two things that differ per person and per page left as placeholders and filled in
 * here, escaped: the person's name and the (freshly masked) CSRF token of the sign-out form.
 */

/** The header's sections: where each links and which paths it is the current section for. */
export const NAV_SECTIONS: readonly { href: string; text: string; current: (path: string) => boolean }[] = [
  { href: '/about', text: 'About us', current: (p) => p === '/about' },
  { href: '/what-is-qi', text: 'What is QI', current: (p) => p === '/what-is-qi' },
  { href: '/get-involved', text: 'Get involved', current: (p) => p === '/get-involved' },
  { href: '/projects', text: 'Projects', current: (p) => p.startsWith('/projects') },
  { href: '/people', text: 'People', current: (p) => p.startsWith('/people') },
  { href: '/networks', text: 'Networks', current: (p) => p.startsWith('/networks') },
  { href: '/learning', text: 'Learning', current: (p) => p.startsWith('/learning') },
  {
    href: '/facilitation',
    text: 'Facilitation',
    current: (p) =>
      ['/facilitation', '/programmes', '/support', '/events', '/priorities'].some((s) => p.startsWith(s)),
  },
  { href: '/contact', text: 'Contact', current: (p) => p === '/contact' },
]

/** Letters and digits only, so escaping leaves them as they are; unguessable, so no text can fake them. */
const NONCE = randomBytes(9).toString('hex')
const NAME = `qiname${NONCE}`
const CSRF = `qicsrf${NONCE}`

export interface HeaderFor {
  communityName: string
  /** The signed-in person's name, or null for a visitor. */
  userName: string | null
  showAdmin: boolean
  csrfToken: string
  /** The page's path, without its query. */
  path: string
}

export class LayoutFragments {
  private readonly headers = new Map<string, string>()
  private readonly footers = new Map<string, string>()

  constructor(private readonly env: nunjucks.Environment) {}

  async header(h: HeaderFor): Promise<string> {
    const signedIn = h.userName !== null
    const current = NAV_SECTIONS.findIndex((s) => s.current(h.path))
    const key = `${h.communityName}\u0000${signedIn}\u0000${signedIn && h.showAdmin}\u0000${current}`
    let html = this.headers.get(key)
    if (html === undefined) {
      html = await renderView(this.env, 'partials/header.njk', {
        communityName: h.communityName,
        signedIn,
        showAdmin: h.showAdmin,
        namePlaceholder: NAME,
        csrfPlaceholder: CSRF,
        navItems: NAV_SECTIONS.map((s, i) => ({ href: s.href, text: s.text, current: i === current })),
      })
      // A few dozen variants at most (sections × signed in × Admin); the bound is a guard only.
      if (this.headers.size < 200) this.headers.set(key, html)
    }
    if (!signedIn) return html
    return html.replaceAll(NAME, escapeXml(h.userName!)).replaceAll(CSRF, escapeXml(h.csrfToken))
  }

  async footerOf(communityName: string): Promise<string> {
    let html = this.footers.get(communityName)
    if (html === undefined) {
      html = await renderView(this.env, 'partials/footer.njk', { communityName })
      this.footers.set(communityName, html)
    }
    return html
  }
}
