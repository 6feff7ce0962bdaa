import type { Kysely } from 'kysely'
import { writeAudit } from '../audit/service.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../core/errors.js'
import { actorLabel, type CurrentUser } from '../core/identity.js'
import { newId } from '../core/ids.js'
import type { DB } from '../db/schema.js'
import { renderMarkdown } from '../pages/markdown.js'
import { QSIR_STAGES } from '../projects/lifecycle.js'
import { tagList, type ResourceInput } from './forms.js'
import { AUDIENCES, canEditResources, RESOURCE_KINDS } from './policy.js'
import * as repo from './repository.js'
import type { Resource, ResourceFilters, ResourceValues } from './repository.js'

export type { Resource } from './repository.js'

/** A guide a project page suggests for its QSIR stage. */
export interface StageGuide {
  slug: string
  title: string
  summary: string
  href: string
  appHref: string | null
  appText: string
}

export const stageLabel = (stage: string | null) =>
  stage ? (QSIR_STAGES[stage as keyof typeof QSIR_STAGES] ?? stage) : 'Every stage'
export const audienceLabel = (a: string) => AUDIENCES[a as keyof typeof AUDIENCES] ?? a
export const kindLabel = (k: string) => RESOURCE_KINDS[k as keyof typeof RESOURCE_KINDS] ?? k

function slugify(title: string): string {
  const s = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return s || 'resource'
}

function valuesOf(input: ResourceInput): ResourceValues {
  const link = input.kind === 'link'
  return {
    kind: input.kind,
    title: input.title,
    summary: input.summary,
    body_md: input.body,
    url: link && input.url ? input.url : null,
    publisher: link ? input.publisher : '',
    checked_on: link ? input.checkedOn : null,
    app_href: input.appHref || null,
    app_text: input.appHref ? input.appText : '',
    qsir_stage: input.stage || null,
    audience: input.audience,
    tags: repo.tagsColumn(tagList(input.tags)),
  }
}

/** The resources library: reading and filtering for everyone, writing for the Steering Group. */
export class ResourceService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  canEdit(user: CurrentUser | null | undefined): boolean {
    return canEditResources(user)
  }

  async list(filters: ResourceFilters): Promise<Resource[]> {
    return repo.listResources(this.db, filters)
  }

  async tags(): Promise<string[]> {
    return repo.allTags(this.db)
  }

  /** A resource with its guide rendered to sanitised HTML. */
  async page(slug: string): Promise<Resource & { html: string }> {
    const resource = await repo.findBySlug(this.db, slug)
    if (!resource) throw new NotFoundError()
    return { ...resource, html: resource.markdown ? renderMarkdown(resource.markdown) : '' }
  }

  /** The guides for a QSIR stage, for the project page ("Guides for this stage"). */
  async forStage(stage: string, limit = 6): Promise<StageGuide[]> {
    if (!Object.hasOwn(QSIR_STAGES, stage)) return []
    return repo.guidesForStage(this.db, stage, limit)
  }

  async create(user: CurrentUser, input: ResourceInput, ip?: string): Promise<string> {
    if (!canEditResources(user)) throw new ForbiddenError('Only the Steering Group can change the library')
    const id = newId()
    const at = this.clock().toISOString()
    const values = valuesOf(input)
    return this.db.transaction().execute(async (trx) => {
      const base = slugify(input.title)
      let slug = base
      for (let n = 2; await repo.slugTaken(trx, slug); n++) slug = `${base}-${n}`
      await repo.insertResource(trx, { id, slug, at, by: user.id, ...values })
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'resource.create',
        entityType: 'resource',
        entityId: id,
        ip,
        after: { slug, kind: values.kind, title: values.title, version: 1, url: values.url },
      })
      return slug
    })
  }

  /** Saves a new version; `input.version` is the one the editor loaded, so a stale edit is refused. */
  async update(user: CurrentUser, slug: string, input: ResourceInput, ip?: string): Promise<void> {
    if (!canEditResources(user)) throw new ForbiddenError('Only the Steering Group can change the library')
    const at = this.clock().toISOString()
    const values = valuesOf(input)
    await this.db.transaction().execute(async (trx) => {
      const before = await repo.findBySlug(trx, slug)
      if (!before) throw new NotFoundError()
      const stale = () =>
        new ConflictError(
          'Someone else changed this resource after you opened it. Your changes have not been saved: copy them, reload the page and try again.',
          'body',
        )
      if (before.version !== input.version) throw stale()
      if (!(await repo.updateResource(trx, before.id, before.version, { ...values, at, by: user.id })))
        throw stale()
      await writeAudit(trx, at, {
        actorId: user.id,
        actorLabel: actorLabel(user),
        action: 'resource.edit',
        entityType: 'resource',
        entityId: before.id,
        ip,
        before: { title: before.title, version: before.version, body: before.markdown, url: before.url },
        after: { title: values.title, version: before.version + 1, body: values.body_md, url: values.url },
      })
    })
  }

  async revisions(user: CurrentUser, slug: string) {
    if (!canEditResources(user)) throw new ForbiddenError('Only the Steering Group can see earlier versions')
    const resource = await repo.findBySlug(this.db, slug)
    if (!resource) throw new NotFoundError()
    return { resource, revisions: await repo.listRevisions(this.db, resource.id) }
  }

  async revision(user: CurrentUser, slug: string, version: number) {
    if (!canEditResources(user)) throw new ForbiddenError('Only the Steering Group can see earlier versions')
    const resource = await repo.findBySlug(this.db, slug)
    if (!resource) throw new NotFoundError()
    const revision = await repo.findRevision(this.db, resource.id, version)
    if (!revision) throw new NotFoundError()
    return {
      resource,
      revision: { ...revision, html: revision.markdown ? renderMarkdown(revision.markdown) : '' },
    }
  }
}
