import type { Kysely } from 'kysely'
import { facultyRow, organisationRow, roleGrantRow, userRow } from '../db/rows.js'
import type { DB } from '../db/schema.js'
import { hashPassword } from '../auth/passwords.js'
import { newId } from '../core/ids.js'
import { writeAudit } from '../audit/service.js'
import { searchTextFor } from '../people/repository.js'
import { loadFacilitationDemo } from '../facilitation/demo.js'
import * as seed from './seed-data.js'
import { loadLearningDemo } from '../learning/demo.js'
import { loadProjectsDemo } from '../projects/demo.js'
import { loadMeasuresDemo } from '../measures/demo.js'
import { loadImprovementDemo } from '../improvement/demo.js'
import { loadGovernanceDemo } from '../governance/demo.js'
import { loadNetworksDemo } from '../networks/demo.js'
import { loadPartnersDemo } from '../partners/demo.js'
import { loadResourceLibrary } from '../resources/demo.js'

const slugOf = (id: string) => id.replace(/^(org|ext|fac|prog|res|poster|occ|coll)-/, '')

/**
 * Loads the community's content and the fictional demo users. Every row is keyed
 * by a fixed id and inserted only when missing, so loading twice adds nothing.
 * Returns how many rows were added.
 */
export async function loadDemoContent(
  db: Kysely<DB>,
  options: { password: string; clock?: () => Date },
): Promise<number> {
  const now = (options.clock ?? (() => new Date()))().toISOString()
  const passwordHash = await hashPassword(options.password)
  let added = 0
  const count = (r: { numInsertedOrUpdatedRows?: bigint } | undefined) => {
    added += Number(r?.numInsertedOrUpdatedRows ?? 0)
  }
  await db.transaction().execute(async (trx) => {
    for (const o of seed.organisations) {
      count(
        await trx
          .insertInto('organisations')
          .values(
            organisationRow({
              id: o.id,
              slug: slugOf(o.id),
              name: o.name,
              kind: o.kind,
              is_partner: o.isPartner,
              created_at: now,
            }),
          )
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst(),
      )
    }
    for (const [i, a] of seed.aims.entries()) {
      count(
        await trx
          .insertInto('aims')
          .values({ code: a.code, group_code: a.group, text: a.text, sort: i })
          .onConflict((oc) => oc.column('code').doNothing())
          .executeTakeFirst(),
      )
    }
    for (const f of seed.faculties) {
      count(
        await trx
          .insertInto('faculties')
          .values(
            facultyRow({
              id: f.id,
              slug: slugOf(f.id),
              name: f.name,
              host_organisation_id: f.host,
              eligibility: f.eligibility,
              offers: f.offers,
              contact: f.contact,
              level_names: f.levels ? JSON.stringify(f.levels) : null,
              notes: 'notes' in f ? f.notes : null,
              created_at: now,
            }),
          )
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst(),
      )
    }
    for (const p of seed.programmes) {
      count(
        await trx
          .insertInto('programmes')
          .values({
            id: p.id,
            slug: slugOf(p.id),
            name: p.name,
            support: p.support,
            participants: p.participants,
            organisation_id: p.org,
            created_at: now,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst(),
      )
    }
    for (const r of seed.resources) {
      count(
        await trx
          .insertInto('resources')
          .values({
            id: r.id,
            slug: slugOf(r.id),
            title: r.title,
            publisher_organisation_id: r.publisher,
            url: r.url,
            created_at: now,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst(),
      )
    }
    const occ = seed.showcaseOccasion
    count(
      await trx
        .insertInto('showcase_occasions')
        .values({
          id: occ.id,
          slug: slugOf(occ.id),
          title: occ.title,
          month: occ.month,
          kind: 'event',
          created_at: now,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst(),
    )
    for (const c of seed.showcaseCollections)
      count(
        await trx
          .insertInto('showcase_occasions')
          .values({
            id: c.id,
            slug: slugOf(c.id),
            title: c.title,
            month: null,
            kind: 'collection',
            created_at: now,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst(),
      )
    for (const p of seed.posters) {
      // Files and publication consent are still to be obtained: the items stay out of public view.
      count(
        await trx
          .insertInto('showcase_items')
          .values({
            id: p.id,
            slug: slugOf(p.id),
            title: p.title,
            occasion_id: occ.id,
            funder_organisation_id: 'funder' in p ? p.funder : null,
            scheme: 'scheme' in p ? p.scheme : null,
            funded_year: 'fundedYear' in p ? p.fundedYear : null,
            external_url: 'externalUrl' in p ? p.externalUrl : null,
            status: 'awaiting_files',
            visibility: 'community',
            year: Number(occ.month.slice(0, 4)),
            search_text: p.title.toLowerCase(),
            created_at: now,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst(),
      )
    }
    for (const [i, c] of seed.contactRoutes.entries()) {
      count(
        await trx
          .insertInto('contact_routes')
          .values({
            id: c.id,
            purpose: c.purpose,
            published_address: c.published,
            demo_address: c.demo,
            sort: i,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst(),
      )
    }
    for (const p of seed.pages) {
      const inserted = await trx
        .insertInto('pages')
        .values({
          slug: p.slug,
          title: p.title,
          summary: p.summary,
          body_md: p.body,
          version: 1,
          updated_at: now,
          updated_by: null,
        })
        .onConflict((oc) => oc.column('slug').doNothing())
        .executeTakeFirst()
      if (Number(inserted?.numInsertedOrUpdatedRows ?? 0) > 0) {
        added++
        await trx
          .insertInto('page_revisions')
          .values({
            slug: p.slug,
            version: 1,
            title: p.title,
            summary: p.summary,
            body_md: p.body,
            created_at: now,
            author_id: null,
          })
          .execute()
      }
    }
    const orgNames = new Map<string, string>(seed.organisations.map((o) => [o.id, o.name]))
    for (const u of seed.demoUsers) {
      const exists = await trx
        .selectFrom('users')
        .select('id')
        .where('email', '=', u.email)
        .executeTakeFirst()
      if (exists) continue
      const id = newId()
      const orgName = u.org ? (orgNames.get(u.org) ?? null) : null
      await trx
        .insertInto('users')
        .values(
          userRow({
            id,
            email: u.email,
            name: u.name,
            password_hash: passwordHash,
            organisation_id: u.org,
            affiliation: u.partner ? 'service_user' : u.org ? 'organisation' : 'independent',
            job_role: u.jobRole,
            bio: u.bio,
            skills: u.skills,
            qi_level: u.qiLevel,
            share_email: !u.partner,
            is_partner: Boolean(u.partner),
            is_demo: true,
            search_text: searchTextFor({
              name: u.name,
              organisationName: orgName,
              jobRole: u.jobRole,
              skills: u.skills,
              interests: '',
              share: { organisation: true, jobRole: true, skills: true },
            }),
            email_verified_at: now,
            org_verified_at: u.org ? now : null,
            created_at: now,
          }),
        )
        .execute()
      for (const r of u.roles) {
        await trx
          .insertInto('role_grants')
          .values(
            roleGrantRow({
              user_id: id,
              role: r.role,
              scope_type: scopeTypeOf(r.role),
              scope_id: r.scope ?? '',
              created_at: now,
            }),
          )
          .execute()
      }
      added++
    }
    added += await loadFacilitationDemo(trx, now)
    added += await loadLearningDemo(trx, now)
    added += await loadProjectsDemo(trx, now)
    added += await loadMeasuresDemo(trx, now)
    added += await loadImprovementDemo(trx, now)
    added += await loadGovernanceDemo(trx, now)
    added += await loadNetworksDemo(trx, now)
    added += await loadPartnersDemo(trx, now)
    added += await loadResourceLibrary(trx, now)
    if (added > 0)
      await writeAudit(trx, now, {
        actorId: null,
        actorLabel: 'system',
        action: 'demo.load',
        entityType: 'system',
        entityId: null,
        after: { added },
      })
    await trx
      .insertInto('settings')
      .values({ key: 'demo_loaded_at', value: now, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: now, updated_at: now }))
      .execute()
  })
  return added
}

function scopeTypeOf(role: string): string {
  return role === 'org_admin'
    ? 'organisation'
    : role === 'faculty_admin'
      ? 'faculty'
      : role === 'programme_lead'
        ? 'programme'
        : 'platform'
}

/** True when the database has never been set up with content (no organisations, no users). */
export async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  const [orgs, users] = await Promise.all([
    db.selectFrom('organisations').select('id').limit(1).execute(),
    db.selectFrom('users').select('id').limit(1).execute(),
  ])
  return orgs.length === 0 && users.length === 0
}
