// Over 400 lines for a reason: one class holds the QI tools' use cases (create, edit the head,
// add, edit, move and delete items), each a short transaction with its audit and activity, over
// one JSON document per tool; splitting by use case would scatter the revision checks.
import type { Kysely, Transaction } from 'kysely'
import type { CurrentUser } from '../../core/identity.js'
import { newId } from '../../core/ids.js'
import type { DB } from '../../db/schema.js'
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js'
import { projectFor, quote, recordChange, type ProjectContext } from '../context.js'
import { renderFishboneSvg } from '../svg/fishbone.js'
import { renderFiveWhysSvg } from '../svg/five-whys.js'
import { renderProcessMapSvg } from '../svg/process-map.js'
import { renderStakeholderSvg } from '../svg/stakeholders.js'
import { renderSustainabilitySvg } from '../svg/sustainability.js'
import { pictureFile, type PictureFormat } from '../../charts/files.js'
import {
  countTools,
  deleteToolRow,
  findTool,
  insertTool,
  listTools,
  updateTool,
  type ProjectTool,
} from './repository.js'
import {
  ITEM_KINDS,
  ITEM_LABELS,
  LIMITS,
  TOOL_LABELS,
  initialData,
  type ItemKind,
  type ToolData,
  type ToolItem,
} from './definitions.js'
import { scoresOf, type HeadInput, type ItemInput, type NewToolInput } from './forms.js'
import {
  fishboneModel,
  fiveWhysModel,
  processMapModel,
  stakeholderModel,
  sustainabilityModel,
} from './model.js'

const CHANGED =
  'Someone else changed this after you opened it. Reload the page to see their changes, then make yours again.'

export interface ToolView extends ProjectContext {
  tool: ProjectTool
  label: string
  /** The tool's content arranged for its page (text alternative) and picture. */
  model: unknown
  svg: string
}

interface Mutation {
  data: ToolData
  title?: string
  summary: string
  before?: unknown
  after?: unknown
}

/** Renders a tool's picture and prepares its text alternative. */
export function presentTool(
  tool: ProjectTool,
  id = `tool-${tool.id.slice(0, 8)}`,
): { model: unknown; svg: string } {
  const title = `${TOOL_LABELS[tool.type]}: ${tool.title}`
  switch (tool.type) {
    case 'fishbone': {
      const model = fishboneModel(tool.data)
      return { model, svg: renderFishboneSvg(model, { id, title }) }
    }
    case 'five_whys': {
      const model = fiveWhysModel(tool.data)
      return { model, svg: renderFiveWhysSvg(model, { id, title }) }
    }
    case 'process_map': {
      const model = processMapModel(tool.data)
      return { model, svg: renderProcessMapSvg(model, { id, title }) }
    }
    case 'stakeholders': {
      const model = stakeholderModel(tool.data)
      return { model, svg: renderStakeholderSvg(model, { id, title }) }
    }
    case 'sustainability': {
      const model = sustainabilityModel(tool.data)
      return { model, svg: renderSustainabilitySvg(model, { id, title }) }
    }
  }
}

/** QI tools inside a project, each kept as structured JSON with an accessible picture. */
export class ToolService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: () => Date,
  ) {}

  async index(user: CurrentUser | null, projectId: string) {
    const context = await projectFor(this.db, user, projectId, 'view')
    const tools = await listTools(this.db, projectId)
    return {
      ...context,
      tools: tools.map((t) => ({ ...t, label: TOOL_LABELS[t.type], itemCount: t.data.items.length })),
    }
  }

  async context(
    user: CurrentUser | null,
    projectId: string,
    need: 'view' | 'edit' = 'edit',
  ): Promise<ProjectContext> {
    return projectFor(this.db, user, projectId, need)
  }

  async tool(
    user: CurrentUser | null,
    projectId: string,
    toolId: string,
    need: 'view' | 'edit' = 'view',
  ): Promise<ToolView> {
    const context = await projectFor(this.db, user, projectId, need)
    const tool = await findTool(this.db, projectId, toolId)
    if (!tool) throw new NotFoundError()
    return { ...context, tool, label: TOOL_LABELS[tool.type], ...presentTool(tool) }
  }
  /** A tool's picture as a file to download (SVG or PNG), for anyone who may see the tool. */
  async picture(user: CurrentUser | null, projectId: string, toolId: string, format: PictureFormat) {
    const view = await this.tool(user, projectId, toolId)
    return pictureFile(view.svg, `${view.label} ${view.tool.title}`, format, 'qi-tool')
  }

  /** One item of a tool, for its edit or delete page. */
  async item(user: CurrentUser | null, projectId: string, toolId: string, itemId: string) {
    const view = await this.tool(user, projectId, toolId, 'edit')
    const item = view.tool.data.items.find((i) => i.id === itemId)
    if (!item) throw new NotFoundError()
    const causes =
      item.kind === 'category'
        ? view.tool.data.items.filter((i) => i.kind === 'cause' && i.categoryId === item.id).length
        : 0
    return { ...view, item, causes }
  }

  async create(user: CurrentUser, projectId: string, input: NewToolInput, ip?: string): Promise<string> {
    await projectFor(this.db, user, projectId, 'edit')
    const now = this.clock().toISOString()
    const id = newId()
    await this.db.transaction().execute(async (trx) => {
      if ((await countTools(trx, projectId)) >= LIMITS.toolsPerProject)
        throw new ValidationError({ title: `A project can have up to ${LIMITS.toolsPerProject} tools.` })
      const data = initialData(input.type, newId)
      await insertTool(trx, {
        id,
        projectId,
        type: input.type,
        title: input.title,
        data,
        createdBy: user.id,
        now,
      })
      await recordChange(trx, now, user, {
        projectId,
        action: 'tool.added',
        entityType: 'project_tool',
        entityId: id,
        summary: `Added the ${TOOL_LABELS[input.type].toLowerCase()} ${quote(input.title)}`,
        after: { type: input.type, title: input.title },
        ip,
      })
    })
    return id
  }

  async editHead(
    user: CurrentUser,
    projectId: string,
    toolId: string,
    input: HeadInput,
    ip?: string,
  ): Promise<void> {
    await this.mutate(user, projectId, toolId, ip, (tool) => {
      if (tool.data.headRev !== input.version) throw new ConflictError(CHANGED)
      const head = { ...tool.data.head }
      if (tool.type === 'fishbone') head.problem = input.problem ?? ''
      if (tool.type === 'five_whys') {
        head.problem = input.problem ?? ''
        head.whys = [input.why1, input.why2, input.why3, input.why4, input.why5].map((w) => w ?? '')
        head.rootCause = input.rootCause ?? ''
      }
      if (tool.type === 'process_map') head.scope = input.scope ?? ''
      return {
        title: input.title,
        data: { ...tool.data, headRev: tool.data.headRev + 1, head },
        summary: `Updated the ${TOOL_LABELS[tool.type].toLowerCase()} ${quote(input.title)}`,
        before: { title: tool.title, head: tool.data.head },
        after: { title: input.title, head },
      }
    })
  }

  async deleteTool(
    user: CurrentUser,
    projectId: string,
    toolId: string,
    version: number,
    ip?: string,
  ): Promise<ProjectTool> {
    await projectFor(this.db, user, projectId, 'edit')
    const now = this.clock().toISOString()
    return this.db.transaction().execute(async (trx) => {
      const tool = await findTool(trx, projectId, toolId)
      if (!tool) throw new NotFoundError()
      if (tool.version !== version) throw new ConflictError(CHANGED)
      await deleteToolRow(trx, toolId)
      await recordChange(trx, now, user, {
        projectId,
        action: 'tool.deleted',
        entityType: 'project_tool',
        entityId: toolId,
        summary: `Deleted the ${TOOL_LABELS[tool.type].toLowerCase()} ${quote(tool.title)}`,
        before: { type: tool.type, title: tool.title, data: tool.data },
        ip,
      })
      return tool
    })
  }

  async addItem(
    user: CurrentUser,
    projectId: string,
    toolId: string,
    kind: ItemKind,
    input: ItemInput,
    ip?: string,
  ): Promise<void> {
    await this.mutate(user, projectId, toolId, ip, (tool) => {
      this.checkKind(tool, kind)
      const item = buildItem(kind, newId(), 1, input, user)
      this.checkItem(tool.data, item, null)
      return {
        data: { ...tool.data, items: [...tool.data.items, item] },
        summary: `Added the ${ITEM_LABELS[kind]} ${quote(itemName(item))} to ${quote(tool.title)}`,
        after: item,
      }
    })
  }

  async editItem(
    user: CurrentUser,
    projectId: string,
    toolId: string,
    itemId: string,
    input: ItemInput,
    ip?: string,
  ): Promise<void> {
    await this.mutate(user, projectId, toolId, ip, (tool) => {
      const before = tool.data.items.find((i) => i.id === itemId)
      if (!before) throw new NotFoundError()
      if (before.rev !== input.rev) throw new ConflictError(CHANGED)
      const item = buildItem(before.kind, before.id, before.rev + 1, input, user, before)
      this.checkItem(tool.data, item, before)
      return {
        data: { ...tool.data, items: tool.data.items.map((i) => (i.id === itemId ? item : i)) },
        summary: `Changed the ${ITEM_LABELS[item.kind]} ${quote(itemName(item))} in ${quote(tool.title)}`,
        before,
        after: item,
      }
    })
  }

  /** Removes an item; a fishbone category goes with its causes. */
  async deleteItem(
    user: CurrentUser,
    projectId: string,
    toolId: string,
    itemId: string,
    rev: number,
    ip?: string,
  ): Promise<ToolItem> {
    let removed: ToolItem | undefined
    await this.mutate(user, projectId, toolId, ip, (tool) => {
      const before = tool.data.items.find((i) => i.id === itemId)
      if (!before) throw new NotFoundError()
      if (before.rev !== rev) throw new ConflictError(CHANGED)
      removed = before
      const gone = tool.data.items.filter(
        (i) =>
          i.id === itemId || (before.kind === 'category' && i.kind === 'cause' && i.categoryId === itemId),
      )
      return {
        data: { ...tool.data, items: tool.data.items.filter((i) => !gone.includes(i)) },
        summary: `Removed the ${ITEM_LABELS[before.kind]} ${quote(itemName(before))} from ${quote(tool.title)}`,
        before: gone,
      }
    })
    return removed!
  }

  /** Moves a category, cause (within its category) or process step up or down. */
  async moveItem(
    user: CurrentUser,
    projectId: string,
    toolId: string,
    itemId: string,
    direction: 'up' | 'down',
    ip?: string,
  ): Promise<void> {
    await this.mutate(user, projectId, toolId, ip, (tool) => {
      const item = tool.data.items.find((i) => i.id === itemId)
      if (!item) throw new NotFoundError()
      const peers = tool.data.items.filter(
        (i) =>
          i.kind === item.kind &&
          (item.kind !== 'cause' || (i.kind === 'cause' && i.categoryId === item.categoryId)),
      )
      const at = peers.indexOf(item)
      const other = peers[direction === 'up' ? at - 1 : at + 1]
      const items = [...tool.data.items]
      if (other) {
        const a = items.indexOf(item)
        const b = items.indexOf(other)
        items[a] = other
        items[b] = item
      }
      return {
        data: { ...tool.data, items },
        summary: `Moved the ${ITEM_LABELS[item.kind]} ${quote(itemName(item))} ${direction} in ${quote(tool.title)}`,
      }
    })
  }

  private checkKind(tool: ProjectTool, kind: ItemKind): void {
    if (!ITEM_KINDS[tool.type].includes(kind)) throw new NotFoundError()
  }

  private checkItem(data: ToolData, item: ToolItem, before: ToolItem | null): void {
    const others = data.items.filter((i) => i.id !== item.id)
    const count = (kind: ItemKind) => others.filter((i) => i.kind === kind).length
    switch (item.kind) {
      case 'category':
        if (!before && count('category') >= LIMITS.categories)
          throw new ValidationError({ name: `A fishbone can have up to ${LIMITS.categories} categories.` })
        break
      case 'cause': {
        if (!others.some((i) => i.kind === 'category' && i.id === item.categoryId))
          throw new ValidationError({ categoryId: 'Select a category from the list' })
        const moved = !before || (before.kind === 'cause' && before.categoryId !== item.categoryId)
        if (
          moved &&
          others.filter((i) => i.kind === 'cause' && i.categoryId === item.categoryId).length >=
            LIMITS.causesPerCategory
        ) {
          throw new ValidationError({ text: `A category can have up to ${LIMITS.causesPerCategory} causes.` })
        }
        break
      }
      case 'step':
        if (!before && count('step') >= LIMITS.steps)
          throw new ValidationError({ label: `A process map can have up to ${LIMITS.steps} steps.` })
        break
      case 'stakeholder':
        if (!before && count('stakeholder') >= LIMITS.stakeholders)
          throw new ValidationError({
            name: `A stakeholder analysis can have up to ${LIMITS.stakeholders} stakeholders.`,
          })
        break
      case 'scoring':
        if (!before && count('scoring') >= LIMITS.scorings)
          throw new ValidationError({
            date: `Up to ${LIMITS.scorings} scorings can be kept. Remove an old one first.`,
          })
        break
    }
  }

  /**
   * Reads the tool, applies the change and saves it if no other save came in between
   * (the row's version); retries a few times when one did, so concurrent additions
   * to different parts of a tool both land. Stale item revisions are refused by `change`.
   */
  private async mutate(
    user: CurrentUser,
    projectId: string,
    toolId: string,
    ip: string | undefined,
    change: (tool: ProjectTool) => Mutation,
  ): Promise<void> {
    await projectFor(this.db, user, projectId, 'edit')
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.clock().toISOString()
      const saved = await this.db.transaction().execute(async (trx: Transaction<DB>) => {
        const tool = await findTool(trx, projectId, toolId)
        if (!tool) throw new NotFoundError()
        const m = change(tool)
        if (
          !(await updateTool(trx, toolId, tool.version, { title: m.title ?? tool.title, data: m.data }, now))
        )
          return false
        await recordChange(trx, now, user, {
          projectId,
          action: 'tool.updated',
          entityType: 'project_tool',
          entityId: toolId,
          summary: m.summary,
          before: m.before,
          after: m.after,
          ip,
        })
        return true
      })
      if (saved) return
    }
    throw new ConflictError(CHANGED)
  }
}

function buildItem(
  kind: ItemKind,
  id: string,
  rev: number,
  input: ItemInput,
  user: CurrentUser,
  before?: ToolItem,
): ToolItem {
  const s = (k: string) => {
    const v = input[k]
    return typeof v === 'string' ? v : ''
  }
  switch (kind) {
    case 'category':
      return { id, rev, kind, name: s('name') }
    case 'cause':
      return { id, rev, kind, categoryId: s('categoryId'), text: s('text') }
    case 'step':
      return {
        id,
        rev,
        kind,
        label: s('label'),
        stepKind: input.stepKind as 'step',
        value: input.value as 'value',
        lane: s('lane'),
      }
    case 'stakeholder':
      return {
        id,
        rev,
        kind,
        name: s('name'),
        group: s('group'),
        interest: Number(input.interest),
        influence: Number(input.influence),
        notes: s('notes'),
      }
    case 'scoring':
      return {
        id,
        rev,
        kind,
        date: s('date'),
        scores: scoresOf(input),
        note: s('note'),
        scoredBy: s('scoredBy') || (before?.kind === 'scoring' ? before.scoredBy : user.name),
      }
  }
}

function itemName(item: ToolItem): string {
  switch (item.kind) {
    case 'category':
      return item.name
    case 'cause':
      return item.text
    case 'step':
      return item.label
    case 'stakeholder':
      return item.name
    case 'scoring':
      return `scoring of ${item.date}`
  }
}
