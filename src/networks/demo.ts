import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { networkMemberRow, networkPostRow, networkRow, networkThreadRow } from '../db/rows.js'

/**
 * The demo's networks: the three the issue names, with members from the demo people and a
 * couple of DEMO discussions (no patient data). Loading twice adds nothing; a missing person
 * is skipped.
 */
interface DemoNetwork {
  id: string
  slug: string
  name: string
  purpose: string
  joinPolicy: 'open' | 'request'
  members: [email: string, role: 'owner' | 'moderator' | 'member', status?: 'active' | 'requested'][]
  threads: { id: string; title: string; posts: [email: string, body: string][] }[]
}

const at = (email: string) => `${email}@example.invalid`

export const DEMO_NETWORKS: DemoNetwork[] = [
  {
    id: 'demo-network-patient-safety',
    slug: 'patient-safety',
    name: 'Patient safety',
    purpose:
      'For everyone improving the safety of care across the system: share what you are testing, ask for help with measures, and learn from each other’s PDSA cycles.',
    joinPolicy: 'open',
    members: [
      [at('cara.cycle'), 'owner'],
      [at('ada.aimwell'), 'moderator'],
      [at('ben.baseline'), 'member'],
      [at('fay.feedback'), 'member'],
    ],
    threads: [
      {
        id: 'demo-thread-huddles',
        title: 'What makes a safety huddle stick? (DEMO)',
        posts: [
          [
            at('ada.aimwell'),
            'We started a **daily ten-minute huddle** on our ward last month. Attendance was good for two weeks and then dropped.\n\nWhat helped yours keep going? (DEMO post)',
          ],
          [
            at('ben.baseline'),
            'Two things helped us:\n\n- the same time every day, whoever is in charge leads it\n- one run chart on the wall that the huddle looks at\n\n@Ada Aimwell happy to share our huddle sheet. (DEMO post)',
          ],
        ],
      },
    ],
  },
  {
    id: 'demo-network-primary-care',
    slug: 'primary-care-qi',
    name: 'Primary care QI',
    purpose:
      'Improvement in general practice and community services: small tests of change that fit a busy practice, and measures that are quick to collect.',
    joinPolicy: 'open',
    members: [
      [at('leo.learner'), 'owner'],
      [at('ben.baseline'), 'member'],
      [at('cara.cycle'), 'member'],
    ],
    threads: [
      {
        id: 'demo-thread-referrals',
        title: 'Counting days to a routine referral (DEMO)',
        posts: [
          [
            at('leo.learner'),
            'How are other practices counting the days from decision to referral sent? We are trying a weekly count from the clinical system. (DEMO post)',
          ],
          [
            at('cara.cycle'),
            'A weekly median works well on a run chart. Keep the definition the same every week and note any change to the process on the chart. (DEMO post)',
          ],
        ],
      },
    ],
  },
  {
    id: 'demo-network-partners-forum',
    slug: 'improvement-partners-forum',
    name: 'Improvement partners’ forum',
    purpose:
      'A space for improvement partners, people who bring lived experience to projects, and the coaches who support them. Members join by request.',
    joinPolicy: 'request',
    members: [
      [at('cara.cycle'), 'owner'],
      [at('fay.feedback'), 'member'],
      [at('leo.learner'), 'member', 'requested'],
    ],
    threads: [
      {
        id: 'demo-thread-welcome',
        title: 'Welcome to the forum (DEMO)',
        posts: [
          [
            at('cara.cycle'),
            'Welcome! Use this forum to ask questions about taking part in projects, and to tell us what would make it easier. (DEMO post)',
          ],
        ],
      },
    ],
  },
]

export async function loadNetworksDemo(trx: Transaction<DB>, nowIso: string): Promise<number> {
  const users = await trx.selectFrom('users').select(['id', 'email']).execute()
  const idOf = new Map(users.map((u) => [u.email, u.id]))
  const start = Date.parse(nowIso) - 3 * 86_400_000
  let added = 0
  for (const n of DEMO_NETWORKS) {
    const exists = await trx.selectFrom('networks').select('id').where('id', '=', n.id).executeTakeFirst()
    if (exists) continue
    const owner = idOf.get(n.members[0][0]) ?? null
    await trx
      .insertInto('networks')
      .values(
        networkRow({
          id: n.id,
          slug: n.slug,
          name: n.name,
          purpose: n.purpose,
          join_policy: n.joinPolicy,
          created_by: owner,
          created_at: nowIso,
          is_demo: true,
        }),
      )
      .execute()
    for (const [email, role, status] of n.members) {
      const userId = idOf.get(email)
      if (!userId) continue
      await trx
        .insertInto('network_members')
        .values(
          networkMemberRow({
            network_id: n.id,
            user_id: userId,
            role,
            status: status ?? 'active',
            email_pref: role === 'owner' ? 'every' : 'weekly',
            requested_at: nowIso,
          }),
        )
        .execute()
    }
    let minute = 0
    for (const t of n.threads) {
      const first = new Date(start + minute * 60_000).toISOString()
      const last = new Date(start + (minute + (t.posts.length - 1) * 90) * 60_000).toISOString()
      await trx
        .insertInto('network_threads')
        .values(
          networkThreadRow({
            id: t.id,
            network_id: n.id,
            title: t.title,
            created_by: idOf.get(t.posts[0][0]) ?? null,
            created_at: first,
            last_post_at: last,
          }),
        )
        .execute()
      for (const [i, [email, body]] of t.posts.entries())
        await trx
          .insertInto('network_posts')
          .values(
            networkPostRow({
              id: `${t.id}-${i + 1}`,
              thread_id: t.id,
              network_id: n.id,
              author_id: idOf.get(email) ?? null,
              body,
              is_opening: i === 0,
              created_at: new Date(start + (minute + i * 90) * 60_000).toISOString(),
            }),
          )
          .execute()
      minute += 600
    }
    added++
  }
  return added
}
