import { createHmac, randomBytes } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { dialectOf, types } from '../schema-helpers.js'

// Frozen in time: imports nothing from features (the rules below are a copy, as they were on
// 2 December 2026, of audit/structured.ts).
// Issue 15: the audit log holds no free text. This migration
// 1. creates the key of the audit log's HMACs (settings 'audit.hmac_key', random, shared by every
//    instance through the database);
// 2. creates screening_patterns, the hospital-number patterns an IG lead configures;
// 3. converts every existing audit row: any string in before/after that is not a token, an id,
//    an ISO date or a plain URL becomes { changed, length, hash }; a free-text entity id becomes
//    'hmac:…'; an anonymous actor's typed label becomes 'anonymous #…'. The append-only triggers
//    are dropped for the UPDATE and created again at once, inside the migration's transaction.
// Down drops the table and the key; converted rows stay converted (the text is gone by design).

const KEY_SETTING = 'audit.hmac_key'
const TOKEN = /^[a-z0-9_.:-]{1,64}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/
const URL_SHAPE = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/[A-Za-z0-9._~/-]*)?$/
const KEY = /^[A-Za-z0-9_.:-]{1,64}$/
const POSTCODE = /(?<![A-Z0-9])[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}(?![A-Z0-9])/

function hasNhsNumber(text: string): boolean {
  for (const m of text.matchAll(/(?<![\d.,])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d]|[.,]\d)/g)) {
    const d = `${m[1]}${m[3]}${m[4]}`
    let sum = 0
    for (let i = 0; i < 9; i++) sum += Number(d[i]) * (10 - i)
    const check = 11 - (sum % 11)
    const expected = check === 11 ? 0 : check
    if (expected !== 10 && expected === Number(d[9])) return true
  }
  return false
}

const looksPersonal = (s: string) => hasNhsNumber(s) || POSTCODE.test(s.toUpperCase())

const hmac = (key: string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex')

function structured(s: string): boolean {
  const shaped = TOKEN.test(s) || UUID.test(s) || ISO.test(s) || (s.length <= 200 && URL_SHAPE.test(s))
  return shaped && !looksPersonal(s)
}

function isMarker(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const o = v as Record<string, unknown>
  return (
    Object.keys(o).length === 3 &&
    o.changed === true &&
    typeof o.length === 'number' &&
    typeof o.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(o.hash)
  )
}

function convert(key: string, v: unknown, depth = 0): unknown {
  if (v === null || v === undefined) return null
  if (typeof v === 'number' || typeof v === 'boolean') return v
  if (typeof v === 'string')
    return structured(v) ? v : { changed: true, length: [...v].length, hash: hmac(key, v) }
  if (depth > 8) return { changed: true, length: 0, hash: hmac(key, JSON.stringify(v)) }
  if (Array.isArray(v)) return v.map((x) => convert(key, x, depth + 1))
  if (typeof v === 'object') {
    if (isMarker(v)) return v
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const name = KEY.test(k) && !looksPersonal(k) ? k : `field_${hmac(key, k).slice(0, 12)}`
      out[name] = convert(key, x, depth + 1)
    }
    return out
  }
  return null
}

function parse(v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (typeof v !== 'string') return v
  try {
    return JSON.parse(v)
  } catch {
    return v
  }
}

async function dropTriggers(db: Kysely<any>, pg: boolean) {
  if (pg) await sql`DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log`.execute(db)
  else {
    await sql`DROP TRIGGER IF EXISTS audit_log_no_update`.execute(db)
    await sql`DROP TRIGGER IF EXISTS audit_log_no_delete`.execute(db)
  }
}

async function createTriggers(db: Kysely<any>, pg: boolean) {
  if (pg)
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db)
  else {
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db)
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db)
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = await dialectOf(db)
  const pg = dialect === 'postgres'
  const t = types(dialect)
  const now = new Date().toISOString()

  const existing = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', KEY_SETTING)
    .executeTakeFirst()
  const key: string = existing?.value ?? randomBytes(32).toString('hex')
  if (!existing)
    await db.insertInto('settings').values({ key: KEY_SETTING, value: key, updated_at: now }).execute()

  await db.schema
    .createTable('screening_patterns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('pattern', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute()

  await dropTriggers(db, pg)
  let after = 0
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .select(['id', 'actor_id', 'actor_label', 'entity_id', 'before', 'after'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(500)
      .execute()
    if (!rows.length) break
    for (const r of rows) {
      after = Number(r.id)
      const before = parse(r.before)
      const afterValue = parse(r.after)
      const newBefore = r.before === null ? null : JSON.stringify(convert(key, before))
      const newAfter = r.after === null ? null : JSON.stringify(convert(key, afterValue))
      const entityId: string | null =
        r.entity_id === null || /^[A-Za-z0-9_.:-]{1,100}$/.test(r.entity_id)
          ? r.entity_id
          : `hmac:${hmac(key, r.entity_id).slice(0, 16)}`
      const label = String(r.actor_label)
      const actorLabel =
        (r.actor_id !== null && !looksPersonal(label)) || /^[a-z][a-z -]{0,39}$/.test(label)
          ? label
          : `anonymous #${hmac(key, label).slice(0, 12)}`
      const same =
        newBefore === (r.before === null ? null : JSON.stringify(before)) &&
        newAfter === (r.after === null ? null : JSON.stringify(afterValue)) &&
        entityId === r.entity_id &&
        actorLabel === label
      if (same) continue
      await db
        .updateTable('audit_log')
        .set({ before: newBefore, after: newAfter, entity_id: entityId, actor_label: actorLabel })
        .where('id', '=', r.id)
        .execute()
    }
  }
  await createTriggers(db, pg)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('screening_patterns').ifExists().execute()
  await db.deleteFrom('settings').where('key', '=', KEY_SETTING).execute()
}
