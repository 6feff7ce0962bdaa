import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type nunjucks from 'nunjucks'
import { addVary, chooseEncoding } from './compression.js'
import { nhsukDist, srcRoot } from './render.js'
import { paramOf } from './route-schemas.js'
import { StaticDirectory, parseHashedName } from './static-files.js'

/** A hashed name never changes content: browsers and proxies may keep it for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable'
/** Plain names (bookmarked, or an older page) still work, but are checked again soon. */
export const SHORT_CACHE = 'public, max-age=300'
/** NHS.UK's own files under their plain names change only with the package. */
const NHSUK_CACHE = 'public, max-age=604800'

const NHSUK_CSS = 'nhsuk-frontend.css'

/**
 * Static files from memory, compressed once: our `src/assets` under `/static/`, NHS.UK
 * frontend's scripts under `/nhsuk/` and its images under `/assets/`. Every file also answers
 * under a content-hashed name (`/static/app.3f2a1c9e0b.css`) with a one-year immutable
 * cache; the `asset('app.css')` template global writes those names.
 */
export function registerStaticFiles(app: FastifyInstance, env: nunjucks.Environment): void {
  const nhsuk = new StaticDirectory(path.join(nhsukDist, 'nhsuk'))
  const images = new StaticDirectory(path.join(nhsukDist, 'nhsuk', 'assets'))
  // Our scripts import NHS.UK's module by its hashed name, so a new package version reaches
  // browsers together with the script that uses it.
  const ours = new StaticDirectory(path.join(srcRoot, 'assets'), (name, body) =>
    name.endsWith('.js')
      ? Buffer.from(
          body
            .toString('utf8')
            .replace(
              /(['"])\/nhsuk\/([\w./-]+\.js)\1/g,
              (_m, quote: string, file: string) => `${quote}/nhsuk/${nhsuk.hashedName(file)}${quote}`,
            ),
        )
      : body,
  )
  // NHS.UK's stylesheet loads the Frutiger web font from assets.nhs.uk. Pages must not
  // reach other hosts (privacy, CSP, offline use), so it is served without @font-face and
  // falls back to Arial, as NHS.UK itself does when the font is unavailable.
  ours.put(
    NHSUK_CSS,
    Buffer.from(
      readFileSync(path.join(nhsukDist, 'nhsuk', 'nhsuk-frontend.min.css'), 'utf8').replace(
        /@font-face\{[^}]*\}/g,
        '',
      ),
    ),
  )

  env.addGlobal('asset', (name: string) => `/static/${ours.hashedName(name)}`)

  const serve = (
    directory: StaticDirectory,
    plainCache: string,
    nameOf = (request: FastifyRequest) => paramOf(request, '*'),
  ) =>
    async function (request: FastifyRequest, reply: FastifyReply) {
      const asked = nameOf(request)
      const hashed = parseHashedName(asked)
      const file = directory.get(asked) ?? (hashed ? directory.get(hashed.name) : null)
      if (!file) return reply.callNotFound()
      // An old hash (a page from before a deploy) gets today's file, but not for a year.
      const immutable = file.name !== asked && hashed?.hash === file.hash
      const etag = `"${file.hash}"`
      reply
        .header('cache-control', immutable ? IMMUTABLE : plainCache)
        .header('etag', etag)
        .header('x-content-type-options', 'nosniff')
        .type(file.type)
      if (file.compressible) addVary(reply, 'Accept-Encoding')
      if (request.headers['if-none-match'] === etag) return reply.code(304).send()
      const encoding = file.compressible ? chooseEncoding(request.headers['accept-encoding']) : null
      if (!encoding) return reply.send(file.body)
      return reply.header('content-encoding', encoding).send(await directory.encode(file, encoding))
    }

  const config = { config: { static: true } }
  app.get('/static/*', config, serve(ours, SHORT_CACHE))
  app.get('/nhsuk/*', config, serve(nhsuk, NHSUK_CACHE))
  app.get('/assets/*', config, serve(images, NHSUK_CACHE))
  // The stylesheet's address before it was served with the app's assets.
  app.get(
    '/nhsuk-frontend.css',
    config,
    serve(ours, SHORT_CACHE, () => NHSUK_CSS),
  )
}
