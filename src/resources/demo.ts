import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { newId } from '../core/ids.js'
import { SEED_GUIDES, SEED_LINKS } from './content.js'
import * as repo from './repository.js'

/**
 * The library's first edition: the guides and the seed's links (content.ts), each as version 1
 * by nobody in particular. A slug already present is left as the Steering Group has it.
 */
export async function loadResourceLibrary(trx: Transaction<DB>, nowIso: string): Promise<number> {
  let added = 0
  for (const [sort, g] of SEED_GUIDES.entries()) {
    if (await repo.slugTaken(trx, g.slug)) continue
    await repo.insertResource(trx, {
      id: newId(),
      slug: g.slug,
      sort,
      at: nowIso,
      by: null,
      kind: 'guide',
      title: g.title,
      summary: g.summary,
      body_md: g.body,
      url: null,
      publisher: '',
      checked_on: null,
      app_href: g.appHref,
      app_text: g.appText,
      qsir_stage: g.stage,
      audience: g.audience,
      tags: repo.tagsColumn(g.tags),
    })
    added++
  }
  for (const [sort, l] of SEED_LINKS.entries()) {
    if (await repo.slugTaken(trx, l.slug)) continue
    await repo.insertResource(trx, {
      id: newId(),
      slug: l.slug,
      sort,
      at: nowIso,
      by: null,
      kind: 'link',
      title: l.title,
      summary: l.summary,
      body_md: '',
      url: l.url,
      publisher: l.publisher,
      checked_on: null,
      app_href: null,
      app_text: '',
      qsir_stage: l.stage,
      audience: l.audience,
      tags: repo.tagsColumn(l.tags),
    })
    added++
  }
  return added
}
