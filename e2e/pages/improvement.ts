// Page objects for the Model-for-Improvement pages of a project: the driver diagram, PDSA cycles
// through plan, do, study and act, and the QI tools.
import type { DateBoxes, Member } from './member.js'

export class DriverDiagramPages {
  constructor(readonly member: Member) {}

  async open(projectPath: string): Promise<void> {
    await this.member.open(`${projectPath}/drivers`)
  }

  /** On the diagram page: adds a primary driver. */
  async addPrimary(title: string): Promise<void> {
    const m = this.member
    await m.follow('Add a primary driver')
    await m.fill('[name=title]', title)
    await m.press('Save driver')
  }

  /** Adds a secondary driver under each of the named primary drivers. */
  async addSecondary(title: string, under: string[]): Promise<void> {
    const m = this.member
    await m.follow('Add a secondary driver')
    await m.fill('[name=title]', title)
    for (const parent of under) await m.check(parent)
    await m.press('Save driver')
  }

  /** Adds a change idea (status "idea") linked to the named drivers. */
  async addChangeIdea(title: string, drivers: string[]): Promise<void> {
    const m = this.member
    await m.follow('Add a change idea')
    await m.fill('[name=title]', title)
    await m.page.check('input[name=status][value=idea]')
    for (const driver of drivers) await m.check(driver)
    await m.press('Save change idea')
  }

  /** The diagram picture (an SVG with a role of img). */
  picture() {
    return this.member.page.locator('svg.app-diagram[role=img]')
  }
}

export interface PdsaPlan {
  title: string
  changeIdea: string
  objective: string
  prediction?: string
  planned?: DateBoxes
  /** Measures to link, by their labels. */
  measures?: string[]
}

export class PdsaPages {
  constructor(readonly member: Member) {}

  /** From the project's PDSA list, plans a cycle; `status` 400 expects the form back with errors. */
  async plan(projectPath: string, plan: PdsaPlan, status = 200): Promise<void> {
    const m = this.member
    await m.open(`${projectPath}/pdsa`)
    await m.follow(/Plan a PDSA cycle/)
    await m.fill('[name=title]', plan.title)
    await m.page.selectOption('[name=changeIdeaId]', { label: plan.changeIdea })
    await this.fillPlan(plan, status)
  }

  /** Fills the rest of a plan form already open (a new cycle, or the next one after "adapt"). */
  async fillPlan(plan: Omit<PdsaPlan, 'title' | 'changeIdea'>, status = 200): Promise<void> {
    const m = this.member
    await m.fill('[name=objective]', plan.objective)
    if (plan.prediction) await m.fill('[name=prediction]', plan.prediction)
    if (plan.planned) await m.fillDate('planned', plan.planned)
    for (const measure of plan.measures ?? []) await m.check(measure)
    await m.press('Save the plan', status)
  }

  async doStep(start: DateBoxes, end: DateBoxes, notes: string): Promise<void> {
    const m = this.member
    await m.follow('Start the test (Do)')
    await m.fillDate('doStart', start)
    await m.fillDate('doEnd', end)
    await m.fill('[name=doNotes]', notes)
    await m.press('Start the test')
  }

  async study(findings: string, asPredicted: 'Yes' | 'No' | 'Partly'): Promise<void> {
    const m = this.member
    await m.follow('Study the results')
    await m.fill('[name=findings]', findings)
    await m.check(asPredicted, { exact: true })
    await m.press('Save the findings')
  }

  async act(decision: 'Adopt' | 'Adapt' | 'Abandon', reason: string): Promise<void> {
    const m = this.member
    await m.follow('Decide: adopt, adapt or abandon')
    await m.check(decision, { exact: true })
    await m.fill('[name=decisionReason]', reason)
    await m.press('Save the decision')
  }
}

export class ToolPages {
  constructor(readonly member: Member) {}

  /** Adds a QI tool of this kind (its label on the form) to the project. */
  async add(projectPath: string, kind: string, title: string): Promise<void> {
    const m = this.member
    await m.open(`${projectPath}/tools`)
    await m.follow('Add a QI tool')
    await m.check(kind)
    await m.fill('[name=title]', title)
    await m.press('Add the tool')
  }

  /** On a stakeholder analysis: adds one stakeholder with interest and influence from 1 to 5. */
  async addStakeholder(s: {
    name: string
    group: string
    interest: number
    influence: number
  }): Promise<void> {
    const m = this.member
    await m.follow('Add a stakeholder')
    await m.fill('[name=name]', s.name)
    await m.fill('[name=group]', s.group)
    await m.page.locator(`input[name=interest][value="${s.interest}"]`).check()
    await m.page.locator(`input[name=influence][value="${s.influence}"]`).check()
    await m.press('Save')
  }
}
