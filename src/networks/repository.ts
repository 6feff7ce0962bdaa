import { sql, type Kysely, type Transaction } from 'kysely'
import { read } from '../db/database.js'
import type { DB } from '../db/schema.js'
import type { Membership } from './policy.js'

type Db = Kysely<DB> | Transaction<DB>

export interface Network {
  id: string
  slug: string
  name: string
  purpose: string
  joinPolicy: string
  createdAt: string
}

export interface NetworkSummary extends Network {
  memberCount: number
  threadCount: number
  mine: Membership | null
}

export interface MemberRow {
  userId: string
  name: string
  email: string
  role: string
  status: string
  emailPref: string
  requestedAt: string
  joinedAt: string | null
}

export interface Thread {
  id: string
  networkId: string
  title: string
  createdBy: string | null
  authorName: string | null
  createdAt: string
  lastPostAt: string
  status: string
  replyCount: number
}

export interface Post {
  id: string
  threadId: string
  networkId: string
  authorId: string | null
  authorName: string | null
  body: string
  isOpening: boolean
  status: string
  createdAt: string
  editedAt: string | null
  removedAt: string | null
}

export interface Report {
  id: string
  postId: string
  networkId: string
  networkSlug: string
  networkName: string
  threadId: string
  reason: string
  routedTo: string
  status: string
  createdAt: string
  postBody: string
  postStatus: string
  postAuthorName: string | null
}

const toNetwork = (r: {
  id: string
  slug: string
  name: string
  purpose: string
  join_policy: string
  created_at: string
}): Network => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  purpose: r.purpose,
  joinPolicy: r.join_policy,
  createdAt: new Date(r.created_at).toISOString(),
})

const iso = (v: string | null) => (v === null ? null : new Date(v).toISOString())

export async function findNetworkBySlug(db: Db, slug: string): Promise<Network | null> {
  const r = await db.selectFrom('networks').selectAll().where('slug', '=', slug).executeTakeFirst()
  return r ? toNetwork(r) : null
}

export async function findNetworkById(db: Db, id: string): Promise<Network | null> {
  const r = await db.selectFrom('networks').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? toNetwork(r) : null
}

export async function slugTaken(db: Db, slug: string): Promise<boolean> {
  return Boolean(await db.selectFrom('networks').select('id').where('slug', '=', slug).executeTakeFirst())
}

export async function nameTaken(db: Db, name: string): Promise<boolean> {
  const r = await db
    .selectFrom('networks')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst()
  return Boolean(r)
}

export async function listNetworks(db: Db, userId: string | null): Promise<NetworkSummary[]> {
  const rows = await db
    .selectFrom('networks as n')
    .selectAll('n')
    .select((eb) => [
      eb
        .selectFrom('network_members as m')
        .select(eb.fn.countAll<number>().as('c'))
        .whereRef('m.network_id', '=', 'n.id')
        .where('m.status', '=', 'active')
        .as('member_count'),
      eb
        .selectFrom('network_threads as t')
        .select(eb.fn.countAll<number>().as('c'))
        .whereRef('t.network_id', '=', 'n.id')
        .where('t.status', '=', 'open')
        .as('thread_count'),
    ])
    .orderBy('n.name')
    .execute()
  const mine = userId
    ? await db.selectFrom('network_members').selectAll().where('user_id', '=', userId).execute()
    : []
  const byNetwork = new Map(mine.map((m) => [m.network_id, m]))
  return rows.map((r) => {
    const m = byNetwork.get(r.id)
    return {
      ...toNetwork(r),
      memberCount: read.num(r.member_count),
      threadCount: read.num(r.thread_count),
      mine: m ? { role: m.role, status: m.status, emailPref: m.email_pref } : null,
    }
  })
}

export async function insertNetwork(
  db: Db,
  n: {
    id: string
    slug: string
    name: string
    purpose: string
    joinPolicy: string
    createdBy: string
    now: string
  },
) {
  await db
    .insertInto('networks')
    .values({
      id: n.id,
      slug: n.slug,
      name: n.name,
      purpose: n.purpose,
      join_policy: n.joinPolicy,
      created_by: n.createdBy,
      created_at: n.now,
      updated_at: n.now,
    })
    .execute()
}

/** Networks whose discussions this person may read: every open one, and those they are a member of. */
export async function readableNetworkIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('networks as n')
    .leftJoin('network_members as m', (j) =>
      j.onRef('m.network_id', '=', 'n.id').on('m.user_id', '=', userId).on('m.status', '=', 'active'),
    )
    .select('n.id')
    .where((eb) => eb.or([eb('n.join_policy', '=', 'open'), eb('m.user_id', 'is not', null)]))
    .execute()
  return rows.map((r) => r.id)
}

/**
 * The same rule as `readableNetworkIds`, as a subquery (for the site search): the networks whose
 * discussions this person may read; none when signed out.
 */
export function readableNetworkIdsQuery(db: Db, userId: string | null) {
  const q = db.selectFrom('networks as rn').select('rn.id')
  if (!userId) return q.where(sql<boolean>`1 = 0`)
  return q.where((eb) =>
    eb.or([
      eb('rn.join_policy', '=', 'open'),
      eb.exists(
        eb
          .selectFrom('network_members as rm')
          .select('rm.user_id')
          .whereRef('rm.network_id', '=', 'rn.id')
          .where('rm.user_id', '=', userId)
          .where('rm.status', '=', 'active'),
      ),
    ]),
  )
}

/** Threads of the networks this person may read, as a subquery of ids. */
export function readableThreadIdsQuery(db: Db, userId: string | null) {
  return db
    .selectFrom('network_threads as rt')
    .select('rt.id')
    .where('rt.network_id', 'in', readableNetworkIdsQuery(db, userId))
}

/** Posts of the networks this person may read, as a subquery of ids. */
export function readablePostIdsQuery(db: Db, userId: string | null) {
  return db
    .selectFrom('network_posts as rp')
    .select('rp.id')
    .where('rp.network_id', 'in', readableNetworkIdsQuery(db, userId))
}

// ----- members -----

export async function findMembership(db: Db, networkId: string, userId: string): Promise<Membership | null> {
  const r = await db
    .selectFrom('network_members')
    .select(['role', 'status', 'email_pref'])
    .where('network_id', '=', networkId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return r ? { role: r.role, status: r.status, emailPref: r.email_pref } : null
}

export async function insertMember(
  db: Db,
  m: { networkId: string; userId: string; role: string; status: string; emailPref: string; now: string },
) {
  await db
    .insertInto('network_members')
    .values({
      network_id: m.networkId,
      user_id: m.userId,
      role: m.role,
      status: m.status,
      email_pref: m.emailPref,
      requested_at: m.now,
      joined_at: m.status === 'active' ? m.now : null,
    })
    .execute()
}

export async function updateMember(
  db: Db,
  networkId: string,
  userId: string,
  set: Partial<{ role: string; status: string; email_pref: string; joined_at: string }>,
): Promise<number> {
  const r = await db
    .updateTable('network_members')
    .set(set)
    .where('network_id', '=', networkId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

export async function deleteMember(db: Db, networkId: string, userId: string) {
  await db
    .deleteFrom('network_members')
    .where('network_id', '=', networkId)
    .where('user_id', '=', userId)
    .execute()
}

export async function countOwners(db: Db, networkId: string): Promise<number> {
  const r = await db
    .selectFrom('network_members')
    .select((eb) => eb.fn.countAll<number>().as('c'))
    .where('network_id', '=', networkId)
    .where('role', '=', 'owner')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow()
  return read.num(r.c)
}

/** Active members and open requests. */
export async function countMembers(
  db: Db,
  networkId: string,
): Promise<{ active: number; requested: number }> {
  const rows = await db
    .selectFrom('network_members')
    .select((eb) => ['status', eb.fn.countAll<number>().as('c')])
    .where('network_id', '=', networkId)
    .groupBy('status')
    .execute()
  const of = (status: string) => read.num(rows.find((r) => r.status === status)?.c ?? 0)
  return { active: of('active'), requested: of('requested') }
}

export async function listMembers(
  db: Db,
  networkId: string,
  status?: string,
  limit = 100_000,
): Promise<MemberRow[]> {
  let q = db
    .selectFrom('network_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select([
      'm.user_id',
      'u.name',
      'u.email',
      'm.role',
      'm.status',
      'm.email_pref',
      'm.requested_at',
      'm.joined_at',
    ])
    .where('m.network_id', '=', networkId)
    .where('u.disabled_at', 'is', null)
  if (status) q = q.where('m.status', '=', status)
  const rows = await q.orderBy('u.name').orderBy('m.user_id').limit(limit).execute()
  return rows.map((r) => ({
    userId: r.user_id,
    name: r.name,
    email: r.email,
    role: r.role,
    status: r.status,
    emailPref: r.email_pref,
    requestedAt: new Date(r.requested_at).toISOString(),
    joinedAt: iso(r.joined_at),
  }))
}

// ----- threads and posts -----

const threadSelect = (db: Db) =>
  db
    .selectFrom('network_threads as t')
    .leftJoin('users as u', 'u.id', 't.created_by')
    .selectAll('t')
    .select((eb) => [
      'u.name as author_name',
      eb
        .selectFrom('network_posts as p')
        .select(eb.fn.countAll<number>().as('c'))
        .whereRef('p.thread_id', '=', 't.id')
        .where('p.is_opening', '=', false)
        .as('reply_count'),
    ])

type ThreadRow = Awaited<ReturnType<ReturnType<typeof threadSelect>['executeTakeFirstOrThrow']>>
const toThread = (r: ThreadRow): Thread => ({
  id: r.id,
  networkId: r.network_id,
  title: r.title,
  createdBy: r.created_by,
  authorName: r.author_name,
  createdAt: new Date(r.created_at).toISOString(),
  lastPostAt: new Date(r.last_post_at).toISOString(),
  status: r.status,
  replyCount: read.num(r.reply_count),
})

export async function listThreads(db: Db, networkId: string, limit = 50): Promise<Thread[]> {
  const rows = await threadSelect(db)
    .where('t.network_id', '=', networkId)
    .where('t.status', '=', 'open')
    .orderBy('t.last_post_at', 'desc')
    .limit(limit)
    .execute()
  return rows.map(toThread)
}

export async function findThread(db: Db, id: string): Promise<Thread | null> {
  const r = await threadSelect(db).where('t.id', '=', id).executeTakeFirst()
  return r ? toThread(r) : null
}

export async function insertThread(
  db: Db,
  t: { id: string; networkId: string; title: string; createdBy: string; now: string },
) {
  await db
    .insertInto('network_threads')
    .values({
      id: t.id,
      network_id: t.networkId,
      title: t.title,
      created_by: t.createdBy,
      created_at: t.now,
      last_post_at: t.now,
      status: 'open',
    })
    .execute()
}

export async function updateThread(
  db: Db,
  id: string,
  set: Partial<{
    title: string
    status: string
    last_post_at: string
    removed_at: string
    removed_by: string
  }>,
) {
  await db.updateTable('network_threads').set(set).where('id', '=', id).execute()
}

const postSelect = (db: Db) =>
  db
    .selectFrom('network_posts as p')
    .leftJoin('users as u', 'u.id', 'p.author_id')
    .selectAll('p')
    .select('u.name as author_name')

type PostRow = Awaited<ReturnType<ReturnType<typeof postSelect>['executeTakeFirstOrThrow']>>
const toPost = (r: PostRow): Post => ({
  id: r.id,
  threadId: r.thread_id,
  networkId: r.network_id,
  authorId: r.author_id,
  authorName: r.author_name,
  body: r.body,
  isOpening: read.bool(r.is_opening),
  status: r.status,
  createdAt: new Date(r.created_at).toISOString(),
  editedAt: iso(r.edited_at),
  removedAt: iso(r.removed_at),
})

export async function listPosts(db: Db, threadId: string): Promise<Post[]> {
  const rows = await postSelect(db)
    .where('p.thread_id', '=', threadId)
    .orderBy('p.created_at')
    .orderBy('p.id')
    .execute()
  return rows.map(toPost)
}

export async function findPost(db: Db, id: string): Promise<Post | null> {
  const r = await postSelect(db).where('p.id', '=', id).executeTakeFirst()
  return r ? toPost(r) : null
}

export async function insertPost(
  db: Db,
  p: {
    id: string
    threadId: string
    networkId: string
    authorId: string
    body: string
    isOpening: boolean
    now: string
  },
) {
  await db
    .insertInto('network_posts')
    .values({
      id: p.id,
      thread_id: p.threadId,
      network_id: p.networkId,
      author_id: p.authorId,
      body: p.body,
      is_opening: p.isOpening,
      status: 'visible',
      created_at: p.now,
    })
    .execute()
}

export async function updatePost(
  db: Db,
  id: string,
  set: Partial<{ body: string; status: string; edited_at: string; removed_at: string; removed_by: string }>,
) {
  await db.updateTable('network_posts').set(set).where('id', '=', id).execute()
}

/** Visible posts of these networks written in [from, to), oldest first, with their thread's title. */
export async function postsBetween(db: Db, networkIds: string[], from: string, to: string) {
  if (networkIds.length === 0) return []
  const rows = await db
    .selectFrom('network_posts as p')
    .innerJoin('network_threads as t', 't.id', 'p.thread_id')
    .leftJoin('users as u', 'u.id', 'p.author_id')
    .select([
      'p.id',
      'p.network_id',
      'p.thread_id',
      'p.author_id',
      'p.body',
      'p.created_at',
      't.title',
      'u.name',
    ])
    .where('p.network_id', 'in', networkIds)
    .where('p.status', '=', 'visible')
    .where('t.status', '=', 'open')
    .where('p.created_at', '>=', from)
    .where('p.created_at', '<', to)
    .orderBy('p.created_at')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    networkId: r.network_id,
    threadId: r.thread_id,
    authorId: r.author_id,
    body: r.body,
    title: r.title,
    authorName: r.name,
  }))
}

/** Active members of any network whose e-mail preference is this one. */
export async function subscribers(db: Db, pref: string) {
  return db
    .selectFrom('network_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('networks as n', 'n.id', 'm.network_id')
    .select(['m.network_id', 'm.user_id', 'u.email', 'u.name', 'n.name as network_name', 'n.slug'])
    .where('m.status', '=', 'active')
    .where('m.email_pref', '=', pref)
    .where('u.disabled_at', 'is', null)
    .orderBy('m.network_id')
    .execute()
}

// ----- reports -----

export async function insertReport(
  db: Db,
  r: {
    id: string
    postId: string
    networkId: string
    reporterId: string
    reason: string
    routedTo: string
    now: string
  },
) {
  await db
    .insertInto('network_reports')
    .values({
      id: r.id,
      post_id: r.postId,
      network_id: r.networkId,
      reporter_id: r.reporterId,
      reason: r.reason,
      routed_to: r.routedTo,
      status: 'open',
      created_at: r.now,
    })
    .execute()
}

const reportSelect = (db: Db) =>
  db
    .selectFrom('network_reports as r')
    .innerJoin('network_posts as p', 'p.id', 'r.post_id')
    .innerJoin('networks as n', 'n.id', 'r.network_id')
    .leftJoin('users as u', 'u.id', 'p.author_id')
    .select([
      'r.id',
      'r.post_id',
      'r.network_id',
      'n.slug',
      'n.name as network_name',
      'p.thread_id',
      'r.reason',
      'r.routed_to',
      'r.status',
      'r.created_at',
      'p.body',
      'p.status as post_status',
      'u.name as author_name',
    ])

type ReportRow = Awaited<ReturnType<ReturnType<typeof reportSelect>['executeTakeFirstOrThrow']>>
const toReport = (r: ReportRow): Report => ({
  id: r.id,
  postId: r.post_id,
  networkId: r.network_id,
  networkSlug: r.slug,
  networkName: r.network_name,
  threadId: r.thread_id,
  reason: r.reason,
  routedTo: r.routed_to,
  status: r.status,
  createdAt: new Date(r.created_at).toISOString(),
  postBody: r.body,
  postStatus: r.post_status,
  postAuthorName: r.author_name,
})

export async function findReport(db: Db, id: string): Promise<Report | null> {
  const r = await reportSelect(db).where('r.id', '=', id).executeTakeFirst()
  return r ? toReport(r) : null
}

export async function openReports(
  db: Db,
  where: { networkId?: string; routedTo: string },
): Promise<Report[]> {
  let q = reportSelect(db).where('r.status', '=', 'open').where('r.routed_to', '=', where.routedTo)
  if (where.networkId) q = q.where('r.network_id', '=', where.networkId)
  return (await q.orderBy('r.created_at').limit(200).execute()).map(toReport)
}

/** Closes every open report of a post (it was removed, restored or dismissed). */
export async function closeReports(
  db: Db,
  postId: string,
  status: string,
  by: string,
  now: string,
  routedTo?: string,
): Promise<number> {
  let q = db
    .updateTable('network_reports')
    .set({ status, handled_by: by, handled_at: now })
    .where('post_id', '=', postId)
    .where('status', '=', 'open')
  if (routedTo) q = q.where('routed_to', '=', routedTo)
  const r = await q.executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Addresses of the people who handle patient-data reports: IG leads, else platform admins. */
export async function igLeadAddresses(db: Db): Promise<{ email: string; name: string }[]> {
  const byRole = (role: string) =>
    db
      .selectFrom('role_grants as g')
      .innerJoin('users as u', 'u.id', 'g.user_id')
      .select(['u.email', 'u.name'])
      .distinct()
      .where('g.role', '=', role)
      .where('u.disabled_at', 'is', null)
      .execute()
  const leads = await byRole('ig_lead')
  return leads.length ? leads : byRole('platform_admin')
}

// ----- mentions, and replies to a person's threads -----

/** Who a post mentions (by the notifier, in the post's transaction); a repeat is kept once. */
export async function insertMentions(
  db: Db,
  m: { postId: string; authorId: string; userIds: string[]; now: string },
) {
  if (m.userIds.length === 0) return
  await db
    .insertInto('network_mentions')
    .values(
      m.userIds.map((id) => ({
        post_id: m.postId,
        mentioned_id: id,
        author_id: m.authorId,
        created_at: m.now,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute()
}

export interface ActivityRow {
  kind: 'mention' | 'reply'
  postId: string
  threadId: string
  threadTitle: string
  slug: string
  networkName: string
  authorName: string | null
  createdAt: string
}

/**
 * Posts since `since` that mention the person, and replies by others in threads the person
 * posted in before them; only in networks the person is still an active member of, only posts
 * still shown in open threads. Newest first, `limit` of each.
 */
export async function activityFor(
  db: Db,
  userId: string,
  since: string,
  limit: number,
): Promise<ActivityRow[]> {
  const shown = (q: ReturnType<typeof postsIn>) =>
    q
      .where('p.status', '=', 'visible')
      .where('t.status', '=', 'open')
      .where('p.created_at', '>=', since)
      .orderBy('p.created_at', 'desc')
      .limit(limit)
  function postsIn() {
    return db
      .selectFrom('network_posts as p')
      .innerJoin('network_threads as t', 't.id', 'p.thread_id')
      .innerJoin('networks as n', 'n.id', 'p.network_id')
      .innerJoin('network_members as mem', (j) =>
        j
          .onRef('mem.network_id', '=', 'p.network_id')
          .on('mem.user_id', '=', userId)
          .on('mem.status', '=', 'active'),
      )
      .leftJoin('users as a', 'a.id', 'p.author_id')
      .select(['p.id', 'p.thread_id', 't.title', 'n.slug', 'n.name', 'a.name as author_name', 'p.created_at'])
  }
  const [mentions, replies] = await Promise.all([
    shown(
      postsIn().innerJoin('network_mentions as m', (j) =>
        j.onRef('m.post_id', '=', 'p.id').on('m.mentioned_id', '=', userId),
      ),
    ).execute(),
    shown(
      postsIn()
        .where('p.author_id', '!=', userId)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('network_posts as mine')
              .select('mine.id')
              .whereRef('mine.thread_id', '=', 'p.thread_id')
              .where('mine.author_id', '=', userId)
              .whereRef('mine.created_at', '<', 'p.created_at'),
          ),
        ),
    ).execute(),
  ])
  const row =
    (kind: ActivityRow['kind']) =>
    (r: (typeof mentions)[number]): ActivityRow => ({
      kind,
      postId: r.id,
      threadId: r.thread_id,
      threadTitle: r.title,
      slug: r.slug,
      networkName: r.name,
      authorName: r.author_name,
      createdAt: iso(r.created_at) ?? '',
    })
  return [...mentions.map(row('mention')), ...replies.map(row('reply'))]
}
