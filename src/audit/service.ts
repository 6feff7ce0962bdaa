import { sql, type Kysely, type Transaction } from 'kysely'
import { containsLike } from '../db/sql.js'
import { read } from '../db/database.js'
import type { DB } from '../db/schema.js'
import {
  AUDIT_KEY_SETTING,
  describeChange,
  structuredActorLabel,
  structuredEntityId,
  structuredValue,
} from './structured.js'

export interface AuditEntry {
  actorId: string | null
  actorLabel: string
  action: string
  entityType: string
  entityId?: string | null
  ip?: string | null
  before?: unknown
  after?: unknown
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'before' | 'after'>> {
  id: number
  at: string
  before: unknown
  after: unknown
  /** One line per changed field: "title changed (42 characters)", "status: draft → submitted". */
  changes: string[]
}

/** The key of the audit log's HMACs, created by a migration (several instances share it). */
export async function auditKey(db: Kysely<DB> | Transaction<DB>): Promise<string> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', AUDIT_KEY_SETTING)
    .executeTakeFirst()
  if (!row) throw new Error(`The ${AUDIT_KEY_SETTING} setting is missing: run the migrations`)
  return row.value
}

/**
 * Appends one entry to the audit log inside the caller's transaction, so the record
 * and the change it describes commit or roll back together. The table refuses
 * UPDATE and DELETE (database triggers). Free text never reaches it: `before`, `after`,
 * the target's id and an anonymous actor's label keep structured values only, and every
 * other string becomes its length and keyed hash (see structured.ts).
 */
export async function writeAudit(
  trx: Kysely<DB> | Transaction<DB>,
  at: string,
  entry: AuditEntry,
): Promise<void> {
  const key = await auditKey(trx)
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(structuredValue(key, value)))
  await trx
    .insertInto('audit_log')
    .values({
      at,
      actor_id: entry.actorId,
      actor_label: structuredActorLabel(key, entry.actorId, entry.actorLabel),
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: structuredEntityId(key, entry.entityId),
      ip: entry.ip ?? null,
      before: json(entry.before),
      after: json(entry.after),
    })
    .execute()
}

export interface AuditQuery {
  q?: string
  action?: string
  entityType?: string
  actorId?: string
  from?: string
  to?: string
  page?: number
  pageSize?: number
}

export class AuditService {
  constructor(private readonly db: Kysely<DB>) {}

  async search(
    query: AuditQuery,
  ): Promise<{ items: AuditRecord[]; total: number; page: number; pageSize: number }> {
    const pageSize = Math.min(Math.max(query.pageSize ?? 50, 1), 200)
    const page = Math.max(query.page ?? 1, 1)
    let base = this.db.selectFrom('audit_log')
    if (query.action) base = base.where('action', '=', query.action)
    if (query.entityType) base = base.where('entity_type', '=', query.entityType)
    if (query.actorId) base = base.where('actor_id', '=', query.actorId)
    if (query.from) base = base.where('at', '>=', query.from)
    if (query.to) base = base.where('at', '<', query.to)
    if (query.q) {
      const q = query.q
      base = base.where((eb) =>
        eb.or([
          containsLike(sql.ref('actor_label'), q),
          containsLike(sql.ref('action'), q),
          containsLike(sql.ref('entity_id'), q),
        ]),
      )
    }
    const [rows, count] = await Promise.all([
      base
        .selectAll()
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return {
      items: rows.map((r) => {
        const before = read.json<unknown>(r.before, null)
        const after = read.json<unknown>(r.after, null)
        return {
          id: Number(r.id),
          at: r.at,
          actorId: r.actor_id,
          actorLabel: r.actor_label,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          ip: r.ip,
          before,
          after,
          changes: describeChange(before, after),
        }
      }),
      total: read.num(count.n),
      page,
      pageSize,
    }
  }

  async actions(): Promise<string[]> {
    const rows = await this.db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()
    return rows.map((r) => r.action)
  }
}
