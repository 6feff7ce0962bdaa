/**
 * The NHS IMPACT self-assessment (issue 12 point 6): five components, each with question areas
 * and a five-level maturity scale per area, written in our own words (not NHS England's matrix).
 * Pure content: no I/O. Area ids are stored with each rating, so never rename one; add new ones.
 */

export interface ImpactArea {
  id: string
  /** The question the area asks, in a line. */
  question: string
  /** Levels 1 to 5, one line each: what the organisation looks like at that level. */
  levels: readonly [string, string, string, string, string]
}

export interface ImpactComponent {
  id: string
  name: string
  summary: string
  areas: readonly ImpactArea[]
}

export const LEVEL_NAMES = ['Starting', 'Emerging', 'Developing', 'Established', 'Leading'] as const

export const IMPACT_COMPONENTS: readonly ImpactComponent[] = [
  {
    id: 'purpose',
    name: 'Shared purpose and vision',
    summary: 'Why we improve, and whether everyone can say so in their own words.',
    areas: [
      {
        id: 'purpose-story',
        question:
          'Is there a clear, written reason for improving that links to what patients and staff need?',
        levels: [
          'No shared statement of why we improve.',
          'A statement exists but few people have seen it.',
          'The statement is used in some teams’ plans and meetings.',
          'Most teams can explain it and use it to choose their work.',
          'Staff, patients and partners shaped it and refresh it together.',
        ],
      },
      {
        id: 'purpose-priorities',
        question: 'Do a few system priorities guide which improvement work starts and stops?',
        levels: [
          'Work starts wherever someone has energy; no priorities.',
          'Priorities are named but do not steer the work.',
          'New projects are checked against the priorities.',
          'The portfolio is reviewed against the priorities and rebalanced.',
          'Priorities are set from data and reviewed with partners each year.',
        ],
      },
      {
        id: 'purpose-voice',
        question: 'Do patients, carers and communities help decide what we improve?',
        levels: [
          'They are not asked.',
          'They are asked now and then, after decisions are made.',
          'Some projects involve partners from the start.',
          'Partners are involved in most projects and in choosing priorities.',
          'Partners co-lead work and hold us to account for it.',
        ],
      },
    ],
  },
  {
    id: 'people',
    name: 'People and culture',
    summary: 'Whether people feel safe, able and encouraged to change how they work.',
    areas: [
      {
        id: 'people-safety',
        question: 'Can people raise problems and try ideas without fear of blame?',
        levels: [
          'Problems are hidden; failure is punished.',
          'Some teams feel safe to speak up; many do not.',
          'Speaking up is encouraged and usually answered.',
          'Testing ideas that do not work is treated as learning.',
          'Openness is normal everywhere and is measured and acted on.',
        ],
      },
      {
        id: 'people-time',
        question: 'Do staff have time and permission to take part in improvement?',
        levels: [
          'Improvement happens only in people’s own time.',
          'Time is given case by case, when someone asks.',
          'Some roles have protected time for improvement.',
          'Protected time is planned in rotas and job plans.',
          'Everyone’s role includes improving their work, and it is planned for.',
        ],
      },
      {
        id: 'people-recognition',
        question: 'Is improvement work noticed, shared and celebrated?',
        levels: [
          'It goes unnoticed.',
          'A few successes are mentioned informally.',
          'There are regular ways to share and celebrate work.',
          'Learning from work that did not succeed is shared too.',
          'Sharing across organisations is routine and valued.',
        ],
      },
      {
        id: 'people-inclusion',
        question: 'Can everyone take part, whatever their role, band or background?',
        levels: [
          'Improvement is for a few specialists.',
          'Some staff groups are invited; others are not.',
          'Opportunities are open to all staff groups.',
          'Who takes part is tracked, and gaps are closed.',
          'Teams taking part reflect the whole workforce and community.',
        ],
      },
    ],
  },
  {
    id: 'leadership',
    name: 'Leadership behaviours',
    summary: 'What leaders at every level do, day to day, to support improvement.',
    areas: [
      {
        id: 'leadership-board',
        question: 'Does the Board spend time on improvement and learn from data over time?',
        levels: [
          'The Board rarely discusses improvement.',
          'Improvement is reported to the Board as an occasional item.',
          'The Board reviews improvement regularly using charts over time.',
          'Board members ask about variation and support teams to act.',
          'The Board leads by example and improves its own work.',
        ],
      },
      {
        id: 'leadership-visible',
        question: 'Do leaders go where the work happens and listen to frontline teams?',
        levels: [
          'Leaders are seldom seen where the work is done.',
          'Visits happen, mostly to announce decisions.',
          'Leaders visit regularly to ask and to listen.',
          'Leaders remove obstacles that teams raise, and say what they did.',
          'Frontline teams say leaders help them improve.',
        ],
      },
      {
        id: 'leadership-coaching',
        question: 'Do managers coach rather than direct when teams improve their work?',
        levels: [
          'Managers tell teams what to do.',
          'A few managers use a coaching approach.',
          'Managers are trained in coaching and some use it.',
          'Most managers coach and ask good questions.',
          'Coaching is how the organisation develops its leaders.',
        ],
      },
    ],
  },
  {
    id: 'capability',
    name: 'Improvement capability and capacity',
    summary: 'Whether enough people have the skills, support and tools to improve.',
    areas: [
      {
        id: 'capability-training',
        question: 'Do people at every level learn a shared improvement method?',
        levels: [
          'No training in an improvement method.',
          'Training is available to a few, on request.',
          'A training offer from awareness to practitioner exists.',
          'Training is planned against targets for each staff group.',
          'Most staff are trained, and training is refreshed by practice.',
        ],
      },
      {
        id: 'capability-support',
        question: 'Can teams get expert coaching and facilitation when they need it?',
        levels: [
          'There is no improvement support.',
          'Support depends on finding the right person.',
          'A small team offers support with a clear way to ask.',
          'Support is matched to priorities and capacity is planned.',
          'Support is enough for demand and reaches every part of the system.',
        ],
      },
      {
        id: 'capability-data',
        question: 'Do teams have the data and tools to see whether change is an improvement?',
        levels: [
          'Data are hard to get and rarely used for improvement.',
          'Some teams collect their own data by hand.',
          'Teams use run and SPC charts for their measures.',
          'Data for improvement are easy to get and widely used.',
          'Data are shared across the system and drive decisions.',
        ],
      },
    ],
  },
  {
    id: 'systems',
    name: 'Embedding improvement into management systems',
    summary: 'Whether improvement is how the organisation is run, not an extra.',
    areas: [
      {
        id: 'systems-planning',
        question: 'Do plans and budgets connect the organisation’s goals to teams’ improvement work?',
        levels: [
          'Plans and improvement work are separate.',
          'Some improvement work is named in plans.',
          'Goals are broken down so teams can see their part.',
          'Teams’ improvement goals are reviewed with their plans.',
          'Goals, plans and improvement work are one system from Board to ward.',
        ],
      },
      {
        id: 'systems-review',
        question: 'Do regular performance meetings look at variation and learning, not only targets?',
        levels: [
          'Meetings look at single numbers against targets.',
          'Charts over time appear in some meetings.',
          'Most meetings use charts over time and ask about variation.',
          'Meetings agree actions from what the data show and follow them up.',
          'The same way of reviewing is used at every level of the system.',
        ],
      },
      {
        id: 'systems-spread',
        question: 'Is what works adopted, adapted or stopped, and spread to others?',
        levels: [
          'Projects end and are forgotten.',
          'Successes are written up but rarely spread.',
          'Decisions to adopt, adapt or abandon are recorded.',
          'Successful changes are spread with support and measured.',
          'Spread across organisations is planned and routine.',
        ],
      },
      {
        id: 'systems-standard',
        question: 'Are improved ways of working written down, kept up and checked?',
        levels: [
          'Improved ways of working are not written down.',
          'Some are written down but drift back.',
          'Standard work is written and kept in most teams that improve.',
          'Standards are checked and improved on a regular cycle.',
          'Standard work and its review are how every service runs.',
        ],
      },
    ],
  },
]

/** Every area with its component, in order. */
export const IMPACT_AREAS = IMPACT_COMPONENTS.flatMap((c) =>
  c.areas.map((a) => ({ ...a, componentId: c.id, componentName: c.name })),
)

const AREA_IDS = new Set(IMPACT_AREAS.map((a) => a.id))

export function isArea(id: string): boolean {
  return AREA_IDS.has(id)
}

export function areaById(id: string) {
  return IMPACT_AREAS.find((a) => a.id === id) ?? null
}

/**
 * The mean level per component over the areas assessed (null when none was), to one decimal.
 * @example componentMeans({ 'purpose-story': 2, 'purpose-priorities': 3 }).purpose // 2.5
 */
export function componentMeans(levels: Record<string, number | null>): Record<string, number | null> {
  const out: Record<string, number | null> = {}
  for (const c of IMPACT_COMPONENTS) {
    const rated = c.areas.map((a) => levels[a.id]).filter((l): l is number => typeof l === 'number')
    out[c.id] = rated.length ? Math.round((10 * rated.reduce((n, l) => n + l, 0)) / rated.length) / 10 : null
  }
  return out
}
