/**
 * Synthetic, verified members for benchmarks: realistic names, the seed's organisations,
 * QI skills and sharing choices, written in batches inside one transaction. Deterministic
 * (the same seed gives the same people) apart from their random ids.
 */
import { randomUUID } from 'node:crypto'
import type { Insertable, Kysely } from 'kysely'
import { roleGrantRow, userRow } from '../src/db/rows.js'
import type { DB } from '../src/db/schema.js'
import { organisations } from '../src/demo/seed-data.js'
import { searchTextFor } from '../src/people/repository.js'
import { QI_LEVELS } from '../src/people/profile-options.js'
import type { RoleGrantsTable, UsersTable } from '../src/db/tables/people.js'
import { random } from './lib.js'

// prettier-ignore
const FIRST_NAMES = [
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Grace', 'Sophia', 'Lily', 'Freya', 'Emily', 'Ella', 'Poppy',
  'Charlotte', 'Evie', 'Sienna', 'Priya', 'Aisha', 'Fatima', 'Zara', 'Hannah', 'Sarah', 'Rachel', 'Claire',
  'Joanne', 'Helen', 'Karen', 'Julie', 'Nicola', 'Emma', 'Laura', 'Oliver', 'George', 'Noah', 'Arthur',
  'Harry', 'Leo', 'Jack', 'Charlie', 'Oscar', 'Jacob', 'Thomas', 'James', 'William', 'Muhammad', 'Arjun',
  'Daniel', 'David', 'Paul', 'Mark', 'Andrew', 'Richard', 'Simon', 'Stephen', 'Michael', 'Christopher',
  'Matthew', 'Gareth', 'Rhys', 'Owen', 'Kwame', 'Tomasz', 'Ana', 'Maria', 'Chiara', 'Siobhan', 'Niamh',
]
// prettier-ignore
const SURNAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson',
  'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke',
  'Jackson', 'Wood', 'Harris', 'Edwards', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Hughes', 'Moore',
  'Clark', 'King', 'Harrison', 'Lewis', 'Baker', 'Lee', 'Allen', 'Morris', 'Khan', 'Scott', 'Watson',
  'Davis', 'Parker', 'James', 'Bennett', 'Young', 'Phillips', 'Richardson', 'Mitchell', 'Bailey', 'Carter',
  'Cook', 'Singh', 'Shaw', 'Bell', 'Collins', 'Morgan', 'Kelly', 'Begum', 'Ali', 'Nowak', 'Okafor', 'Murphy',
]
// prettier-ignore
const JOB_ROLES = [
  'Staff nurse', 'Ward manager', 'Healthcare assistant', 'Community nurse', 'Physiotherapist',
  'Occupational therapist', 'Paramedic', 'Pharmacist', 'GP', 'Practice manager', 'Consultant physician',
  'Junior doctor', 'Midwife', 'Health visitor', 'Mental health practitioner', 'Social worker',
  'Operational manager', 'Service improvement lead', 'Data analyst', 'Patient experience lead',
  'Quality and safety lead', 'Administrator', 'Dietitian', 'Speech and language therapist',
]
// prettier-ignore
const SKILLS = [
  'PDSA cycles', 'run charts', 'SPC charts', 'process mapping', 'driver diagrams', 'measurement',
  'co-design', 'facilitation', 'coaching', 'data analysis', 'stakeholder engagement', 'QSIR',
  'human factors', 'demand and capacity', 'SMART aims', 'fishbone diagrams', 'patient experience',
  'project management', 'teaching', 'lean',
]
// prettier-ignore
const INTERESTS = [
  'frailty', 'maternity', 'virtual wards', 'mental health', 'end of life care', 'discharge', 'falls',
  'sepsis', 'diabetes', 'children and young people', 'anticipatory care', 'health inequalities',
  'medicines safety', 'pressure ulcers', 'staff wellbeing',
]
const LEVELS = Object.keys(QI_LEVELS)

export interface SeedResult {
  inserted: number
  ms: number
}

/** Inserts `count` verified members (and their member role) in batches, in one transaction. */
export async function seedMembers(
  db: Kysely<DB>,
  options: { count: number; seed?: number; batchSize?: number; now?: Date },
): Promise<SeedResult> {
  const started = performance.now()
  const rnd = random(options.seed ?? 2026)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]
  const chance = (p: number) => rnd() < p
  const partnerOrgs = organisations.filter((o) => o.isPartner)
  const now = (options.now ?? new Date()).toISOString()
  const batchSize = options.batchSize ?? 500

  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < options.count; start += batchSize) {
      const users: Insertable<UsersTable>[] = []
      const grants: Insertable<RoleGrantsTable>[] = []
      for (let i = start; i < Math.min(start + batchSize, options.count); i++) {
        const first = pick(FIRST_NAMES)
        const last = pick(SURNAMES)
        const name = `${first} ${last}`
        const isPartner = chance(0.03)
        const org = isPartner || chance(0.06) ? null : pick(partnerOrgs)
        const jobRole = isPartner ? 'Service user' : pick(JOB_ROLES)
        const skills = [
          ...new Set(Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(SKILLS))),
        ].join(', ')
        const interests = chance(0.6) ? [...new Set([pick(INTERESTS), pick(INTERESTS)])].join(', ') : ''
        const share = {
          email: !isPartner && chance(0.3),
          organisation: chance(0.95),
          jobRole: chance(0.9),
          bio: chance(0.8),
          skills: chance(0.85),
        }
        const id = randomUUID()
        users.push(
          userRow({
            id,
            email: `${first}.${last}.${i}@example.invalid`.toLowerCase(),
            name,
            password_hash: null,
            organisation_id: org?.id ?? null,
            affiliation: isPartner ? 'service_user' : org ? 'organisation' : 'independent',
            job_role: jobRole,
            interests,
            bio: `${jobRole} with an interest in ${interests || 'quality improvement'}.`,
            skills,
            qi_level: pick(LEVELS),
            in_directory: chance(0.92),
            share_email: share.email,
            share_organisation: share.organisation,
            share_job_role: share.jobRole,
            share_bio: share.bio,
            share_skills: share.skills,
            is_partner: isPartner,
            is_demo: true,
            search_text: searchTextFor({
              name,
              organisationName: org?.name ?? null,
              jobRole,
              skills,
              interests,
              share,
            }),
            email_verified_at: now,
            org_verified_at: org && chance(0.8) ? now : null,
            created_at: now,
          }),
        )
        grants.push(roleGrantRow({ id: randomUUID(), user_id: id, role: 'member', created_at: now }))
        if (isPartner)
          grants.push(
            roleGrantRow({ id: randomUUID(), user_id: id, role: 'improvement_partner', created_at: now }),
          )
      }
      await trx.insertInto('users').values(users).execute()
      await trx.insertInto('role_grants').values(grants).execute()
    }
  })
  return { inserted: options.count, ms: performance.now() - started }
}
