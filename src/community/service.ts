import type { Kysely } from 'kysely'
import { read } from '../db/database.js'
import type { DB } from '../db/schema.js'

export interface Organisation {
  id: string
  slug: string
  name: string
  kind: string
  isPartner: boolean
}

export interface AimGroup {
  code: string
  items: { code: string; text: string }[]
}

/**
 * The community's reference content: organisations, aims, faculties, programmes, showcase, contact
 * routes. The seed's resource links are in the resources library now (resources/, /resources).
 */
export class CommunityService {
  constructor(private readonly db: Kysely<DB>) {}

  async listOrganisations(options: { partnersOnly?: boolean } = {}): Promise<Organisation[]> {
    let q = this.db
      .selectFrom('organisations')
      .select(['id', 'slug', 'name', 'kind', 'is_partner'])
      .orderBy('name')
    if (options.partnersOnly) q = q.where('is_partner', '=', true)
    const rows = await q.execute()
    return rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      kind: r.kind,
      isPartner: read.bool(r.is_partner),
    }))
  }

  async findOrganisation(id: string): Promise<Organisation | null> {
    const r = await this.db
      .selectFrom('organisations')
      .select(['id', 'slug', 'name', 'kind', 'is_partner'])
      .where('id', '=', id)
      .executeTakeFirst()
    return r
      ? { id: r.id, slug: r.slug, name: r.name, kind: r.kind, isPartner: read.bool(r.is_partner) }
      : null
  }

  async aims(): Promise<AimGroup[]> {
    const rows = await this.db.selectFrom('aims').selectAll().orderBy('sort').execute()
    const groups: AimGroup[] = []
    for (const r of rows) {
      let group = groups.find((g) => g.code === r.group_code)
      if (!group) groups.push((group = { code: r.group_code, items: [] }))
      group.items.push({ code: r.code, text: r.text })
    }
    return groups
  }

  async faculties() {
    return this.db
      .selectFrom('faculties')
      .leftJoin('organisations', 'organisations.id', 'faculties.host_organisation_id')
      .select([
        'faculties.id',
        'faculties.slug',
        'faculties.name',
        'faculties.eligibility',
        'faculties.offers',
        'organisations.name as host',
      ])
      .orderBy('faculties.name')
      .execute()
  }

  async programmes() {
    return this.db
      .selectFrom('programmes')
      .select(['id', 'slug', 'name', 'support', 'participants'])
      .orderBy('name')
      .execute()
  }

  async showcase() {
    return this.db
      .selectFrom('showcase_items')
      .leftJoin('showcase_occasions', 'showcase_occasions.id', 'showcase_items.occasion_id')
      .select([
        'showcase_items.id',
        'showcase_items.title',
        'showcase_items.status',
        'showcase_items.external_url',
        'showcase_items.scheme',
        'showcase_items.funded_year',
        'showcase_occasions.title as occasion',
        'showcase_occasions.month',
      ])
      .where('showcase_items.visibility', '=', 'public')
      .orderBy('showcase_items.title')
      .execute()
  }

  async contactRoutes() {
    return this.db.selectFrom('contact_routes').selectAll().orderBy('sort').execute()
  }
}
