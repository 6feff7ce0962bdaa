import type { FastifyInstance } from 'fastify'
import { escapeXml } from '../core/escape.js'

/** A page for search engines: a same-origin path and, when known, when it last changed. */
export interface SitemapEntry {
  path: string
  lastModified?: string | null
}

/** Each feature's public pages, read when the sitemap is asked for (never cached: visibility changes). */
export type SitemapSource = () => Promise<SitemapEntry[]>

/**
 * What robots may not index: signing in and joining, people's own and private areas, the
 * Steering Group's, the Board's and the administrators' pages, and the API. Everything else a
 * visitor can open is public by design (the showcase, the learning catalogue, public pages).
 */
export const ROBOTS_DISALLOW = [
  '/sign-in',
  '/sign-out',
  '/join',
  '/forgotten-password',
  '/reset-password',
  '/account',
  '/profile',
  '/admin',
  '/steering-group',
  '/board',
  '/api',
  '/showcase/mine',
  '/showcase/review',
  '/showcase/posters/new',
  '/learning/record',
  '/support',
  '/unsubscribe',
]

/** The sitemap holds at most this many addresses (the sitemaps.org limit for one file). */
const SITEMAP_LIMIT = 50_000

/** `/robots.txt` and `/sitemap.xml` (sitemaps.org 0.9), from the features' own lists of public pages. */
export async function sitemapRoutes(
  app: FastifyInstance,
  options: { baseUrl: string; sources: SitemapSource[] },
): Promise<void> {
  const origin = options.baseUrl.replace(/\/+$/, '')

  app.get('/robots.txt', async (_request, reply) => {
    const lines = [
      'User-agent: *',
      ...ROBOTS_DISALLOW.map((p) => `Disallow: ${p}`),
      '',
      `Sitemap: ${origin}/sitemap.xml`,
    ]
    return reply
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(`${lines.join('\n')}\n`)
  })

  app.get('/sitemap.xml', async (_request, reply) => {
    const seen = new Set<string>()
    const entries: SitemapEntry[] = []
    for (const source of options.sources)
      for (const entry of await source()) {
        if (!entry.path.startsWith('/') || entry.path.startsWith('//') || seen.has(entry.path)) continue
        if (ROBOTS_DISALLOW.some((p) => entry.path === p || entry.path.startsWith(`${p}/`))) continue
        seen.add(entry.path)
        entries.push(entry)
      }
    const urls = entries.slice(0, SITEMAP_LIMIT).map((e) => {
      const lastmod = e.lastModified ? `<lastmod>${escapeXml(e.lastModified.slice(0, 10))}</lastmod>` : ''
      return `  <url><loc>${escapeXml(origin + e.path)}</loc>${lastmod}</url>`
    })
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      ...urls,
      '</urlset>',
      '',
    ].join('\n')
    return reply
      .type('application/xml; charset=utf-8')
      .header('cache-control', 'public, max-age=600')
      .send(xml)
  })
}
