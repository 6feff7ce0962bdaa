import 'fastify'
import type { CurrentUser } from '../core/identity.js'
import type { ReadFrom } from '../db/database.js'

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null
    /** The token every form on this page carries. */
    csrfToken: string
    /**
     * Where this request's read-heavy lists read: `primary` for a browser that has just written
     * (web/read-your-writes.ts), `replica` (database.reader) otherwise.
     */
    readFrom: ReadFrom
  }
  interface FastifyReply {
    /**
     * Renders a page with the layout's shared context (user, CSRF token, CSP nonce, flash);
     * `slots` fill the page's `htmlSlot(i)` placeholders with bytes encoded once (web/html-bytes.ts).
     */
    page(
      template: string,
      context?: Record<string, unknown>,
      status?: number,
      options?: { slots?: readonly Uint8Array[] },
    ): Promise<FastifyReply>
    /** Shows a one-off message on the next page. */
    flash(text: string, type?: 'success' | 'info'): FastifyReply
  }
  interface FastifyInstance {
    /**
     * Renders a part of a page from its context alone (no user, no CSRF token) and remembers
     * the markup per context, for parts that many requests share: a list's filter form.
     */
    fragment(template: string, context: Record<string, unknown>): Promise<string>
  }
  interface FastifyContextConfig {
    /** Routes that authenticate by bearer token and take no cookies skip the CSRF check. */
    csrf?: boolean
    /** Static files: they keep their own Cache-Control, even for a signed-in person. */
    static?: boolean
    /**
     * A file or data answer (CSV, PNG, SVG, PDF, calendar, JSON): a refusal is a status code
     * and a short problem, never an HTML page or a redirect to sign in. Paths ending in a
     * file extension and /api/ count as downloads without it.
     */
    download?: boolean
    /**
     * One-time submission (web/once.ts): `'content'` on routes that create a record, so the same
     * content sent again from the same browser within half an hour is shown the first result (a
     * page re-fetched by Back gets a new key, but the browser restores what was typed); `false`
     * turns the key check off (sign-in, sign-out).
     */
    once?: 'content' | false
  }
}
