/**
 * The library's first content: a guide in our own words for each QSIR stage and for each QI tool
 * and chart the platform has, each leading into that tool, and the seed's curated links
 * (../shared/data/seed-content.md §8) with their publishers. The Steering Group edits them from
 * here on; loading again adds only what is missing (by slug).
 */

export interface SeedGuide {
  slug: string
  title: string
  summary: string
  body: string
  stage: string | null
  audience: 'everyone' | 'staff' | 'partners' | 'leaders'
  tags: string[]
  appHref: string
  appText: string
}

export interface SeedLink {
  slug: string
  title: string
  summary: string
  url: string | null
  publisher: string
  stage: string | null
  audience: 'everyone' | 'staff' | 'partners' | 'leaders'
  tags: string[]
}

const MY_PROJECTS = '/projects?mine=1'

export const SEED_GUIDES: SeedGuide[] = [
  {
    slug: 'start-out',
    title: 'Start out: find the problem worth solving',
    summary: 'The first QSIR stage: agree what matters, who cares about it and whether now is the time.',
    stage: 'start_out',
    audience: 'everyone',
    tags: ['qsir', 'getting started'],
    appHref: '/projects/new',
    appText: 'Start a project',
    body: `Every improvement begins with a problem someone has noticed: a delay, a repeated complaint, a task that wastes time. At this stage you are not fixing anything yet.

- Write the problem down in a sentence or two, in plain words.
- Ask who else sees it: colleagues, patients, carers, other teams. Talk to them.
- Check whether anyone is already working on it (search the project list).
- Find a sponsor who can give you time and permission.

When you start a project here it begins as a private draft: only you see it until you choose to share it.`,
  },
  {
    slug: 'define-and-scope',
    title: 'Define and scope: set a clear aim',
    summary: 'Say what you will improve, by how much and by when, and where the project starts and stops.',
    stage: 'define_scope',
    audience: 'everyone',
    tags: ['qsir', 'aims'],
    appHref: MY_PROJECTS,
    appText: 'Write the aim of your project',
    body: `A good aim answers three questions: what will get better, by how much, and by when. "Reduce the time from referral to first appointment from 40 to 20 working days by March" is an aim; "improve referrals" is a hope.

- Agree the scope: where the process starts and ends, and what is out of bounds.
- Name the team and the people you will keep informed (a stakeholder analysis helps).
- A driver diagram links the aim to the things that drive it.

Open your project and write its aim: the platform keeps every version.`,
  },
  {
    slug: 'measure-and-understand',
    title: 'Measure and understand: see the system as it is',
    summary: 'Map the process, find the causes and collect a baseline before changing anything.',
    stage: 'measure_understand',
    audience: 'staff',
    tags: ['qsir', 'measures', 'charts'],
    appHref: MY_PROJECTS,
    appText: 'Add a measure to your project',
    body: `Before you change anything, understand how things work today and how much they vary.

- Map the process with the people who do it.
- Look for causes with a fishbone diagram or the 5 whys.
- Choose a small family of measures: one outcome, a few process measures and a balancing measure.
- Collect a baseline: 15 to 20 points on a run chart show how the process behaves now.

Variation is normal. A chart tells you whether a change is a real signal or just noise.`,
  },
  {
    slug: 'design-and-plan',
    title: 'Design and plan: choose changes to test',
    summary: 'Turn what you learned into change ideas and plan the first small tests.',
    stage: 'design_plan',
    audience: 'staff',
    tags: ['qsir', 'change ideas'],
    appHref: MY_PROJECTS,
    appText: 'Add change ideas to your driver diagram',
    body: `Work with the people affected to design changes. Ideas can come from your process map, from causes you found, from other teams and from the literature.

- Add each idea to the driver diagram under the driver it should move.
- Pick one to test first: small, quick and safe to try.
- Plan it as a PDSA cycle: what you expect to happen, and how you will know.`,
  },
  {
    slug: 'implement',
    title: 'Implement: test, learn and scale up',
    summary: 'Run PDSA cycles, watch the measures and build the changes that work into everyday practice.',
    stage: 'implement',
    audience: 'staff',
    tags: ['qsir', 'pdsa'],
    appHref: MY_PROJECTS,
    appText: 'Plan a PDSA cycle in your project',
    body: `Test changes on a small scale first: one clinic, one shift, one week. Each cycle teaches you something, even when the change does not work.

- Record each cycle's plan, what happened, what you learned and what you will do next.
- Keep adding data points: the chart shows whether the process has shifted.
- Adapt, adopt or abandon each idea, then test at a larger scale.`,
  },
  {
    slug: 'handover-and-sustain',
    title: 'Handover and sustain: make the gains last',
    summary: 'Hand the improved process to the people who run it, and keep checking it holds.',
    stage: 'handover_sustain',
    audience: 'leaders',
    tags: ['qsir', 'sustainability'],
    appHref: MY_PROJECTS,
    appText: 'Score sustainability in your project',
    body: `Improvements fade unless someone owns them. Plan the handover before the project ends.

- Agree who owns the process and who keeps watching its measures.
- Score the Sustainability Model as a team, and again a few months later.
- Share what you learned: a poster in the showcase spreads the idea to others.`,
  },
  {
    slug: 'driver-diagram',
    title: 'Driver diagrams',
    summary:
      'Link your aim to the primary and secondary drivers that influence it, and the changes that might move them.',
    stage: 'define_scope',
    audience: 'staff',
    tags: ['tools', 'driver diagram'],
    appHref: MY_PROJECTS,
    appText: 'Start a driver diagram in your project',
    body: `A driver diagram is a picture of your theory of change. The aim sits on the left; primary drivers are the big areas that affect it; secondary drivers are the specific parts of the system within them; change ideas on the right are what you might test.

Build it as a team and expect to change it as you learn. In your project, open **Driver diagram** to add drivers and change ideas.`,
  },
  {
    slug: 'pdsa-cycles',
    title: 'PDSA cycles',
    summary: 'Plan, Do, Study, Act: test a change on a small scale and learn from it.',
    stage: 'implement',
    audience: 'everyone',
    tags: ['tools', 'pdsa'],
    appHref: MY_PROJECTS,
    appText: 'Plan a PDSA cycle in your project',
    body: `**Plan** the test: what you will change, who, where and when, what you predict and what you will measure. **Do** it and note what happened. **Study** the results against your prediction. **Act**: adapt, adopt or abandon, and plan the next cycle.

Several linked cycles make a ramp. In your project, open **PDSA cycles** to plan one and link it to a change idea and a measure.`,
  },
  {
    slug: 'fishbone-diagram',
    title: 'Fishbone (cause and effect) diagrams',
    summary: 'Group the possible causes of a problem under headings such as people, processes and equipment.',
    stage: 'measure_understand',
    audience: 'everyone',
    tags: ['tools', 'causes'],
    appHref: MY_PROJECTS,
    appText: 'Draw a fishbone diagram in your project',
    body: `Write the problem at the head of the fish. Each bone is a category (people, processes, equipment, environment, materials, policies); along each, list the causes the team can think of. It helps a group think widely before settling on one explanation.

In your project, open **Tools** and choose the fishbone diagram.`,
  },
  {
    slug: 'five-whys',
    title: 'The 5 whys',
    summary: 'Ask "why?" up to five times to get from a problem to a root cause.',
    stage: 'measure_understand',
    audience: 'everyone',
    tags: ['tools', 'causes'],
    appHref: MY_PROJECTS,
    appText: 'Ask the 5 whys in your project',
    body: `Start with the problem and ask why it happens. Take the answer and ask why again. Stop when you reach something you can act on, often within five steps. Check each answer with the people who do the work: it should be a fact, not a guess.

In your project, open **Tools** and choose 5 whys.`,
  },
  {
    slug: 'process-map',
    title: 'Process maps',
    summary: 'Draw the steps of a process, its decisions and hand-offs, and which steps add value.',
    stage: 'measure_understand',
    audience: 'staff',
    tags: ['tools', 'process'],
    appHref: MY_PROJECTS,
    appText: 'Map a process in your project',
    body: `Walk the process with the people who do it and write each step in order, marking decisions, waits and hand-offs between teams. Then ask which steps add value for the patient and which are waste. Map the process as it is, not as the policy says it should be.

In your project, open **Tools** and choose the process map.`,
  },
  {
    slug: 'stakeholder-analysis',
    title: 'Stakeholder analysis',
    summary: 'Place the people and groups affected by your project by their interest and influence.',
    stage: 'start_out',
    audience: 'everyone',
    tags: ['tools', 'people'],
    appHref: MY_PROJECTS,
    appText: 'Start a stakeholder analysis in your project',
    body: `List everyone the project affects or needs: staff, patients and carers, managers, other teams. Place each by how interested they are and how much influence they have, then decide how you will involve them: keep closely involved, keep satisfied, keep informed or monitor.

In your project, open **Tools** and choose stakeholder analysis.`,
  },
  {
    slug: 'sustainability-model',
    title: 'The Sustainability Model',
    summary: 'Score the ten factors that predict whether a change will last, as a team and over time.',
    stage: 'handover_sustain',
    audience: 'leaders',
    tags: ['tools', 'sustainability'],
    appHref: MY_PROJECTS,
    appText: 'Score sustainability in your project',
    body: `The NHS Sustainability Model has ten factors in three groups: process, staff and organisation. Each member of the team scores each factor; the gaps show where to act before handover. Score again later to see whether the change is holding.

In your project, open **Tools** and choose Sustainability Model scoring.`,
  },
  {
    slug: 'family-of-measures',
    title: 'Outcome, process and balancing measures',
    summary: 'Choose a small family of measures that shows whether a change is an improvement.',
    stage: 'measure_understand',
    audience: 'staff',
    tags: ['measures'],
    appHref: MY_PROJECTS,
    appText: 'Add a measure to your project',
    body: `An **outcome** measure is the result you aim to change. **Process** measures show whether the changes are being done as planned. A **balancing** measure watches for harm or cost elsewhere in the system.

Define each one exactly: what is counted, how often and where the data comes from. In your project, open **Measures** to add one and enter its data.`,
  },
  {
    slug: 'run-chart',
    title: 'Run charts',
    summary: 'Plot data over time around its median and use the runs rules to spot non-random change.',
    stage: 'measure_understand',
    audience: 'everyone',
    tags: ['charts', 'measures'],
    appHref: MY_PROJECTS,
    appText: 'Draw a run chart of a measure in your project',
    body: `A run chart plots your measure in time order with a median line. A shift (several points in a row on one side of the median) or too few or too many crossings of the median suggest something has changed. It needs no statistics and suits a baseline of 10 or more points.

Choose "Run chart" for a measure in your project.`,
  },
  {
    slug: 'xmr-chart',
    title: 'XmR charts (Making Data Count)',
    summary: 'An SPC chart with process limits that separates common cause from special cause variation.',
    stage: 'implement',
    audience: 'staff',
    tags: ['charts', 'spc'],
    appHref: MY_PROJECTS,
    appText: 'Draw an XmR chart of a measure in your project',
    body: `The XmR (individuals) chart plots each value with its mean and process limits worked out from the moving range between points. A point outside the limits, a run of points on one side of the mean or a trend is a special cause: something has changed. The icons follow NHS England's Making Data Count.

Choose "XmR chart" for a measure in your project; recalculate the limits when a change has stuck.`,
  },
  {
    slug: 'p-chart',
    title: 'P charts for proportions',
    summary: 'An SPC chart for a numerator out of a denominator, with limits that follow each sample size.',
    stage: 'implement',
    audience: 'staff',
    tags: ['charts', 'spc'],
    appHref: MY_PROJECTS,
    appText: 'Draw a p chart of a measure in your project',
    body: `Use a p chart when each point is a proportion, such as patients seen within four hours out of all patients seen. The limits are wider when the denominator is small and narrower when it is large, so enter both numbers for each period.

Choose "P chart" for a proportion measure in your project.`,
  },
  {
    slug: 'u-chart',
    title: 'U charts for rates',
    summary: 'An SPC chart for events per unit of exposure, such as falls per 1,000 bed days.',
    stage: 'implement',
    audience: 'staff',
    tags: ['charts', 'spc'],
    appHref: MY_PROJECTS,
    appText: 'Draw a u chart of a measure in your project',
    body: `Use a u chart when you count events against an exposure that varies: falls per 1,000 bed days, errors per 100 prescriptions. Enter the count and the exposure for each period; the limits follow the exposure.

Choose "U chart" for a rate measure in your project.`,
  },
  {
    slug: 'c-chart',
    title: 'C charts for counts',
    summary: 'An SPC chart for counts of events when the opportunity is about the same each period.',
    stage: 'implement',
    audience: 'staff',
    tags: ['charts', 'spc'],
    appHref: MY_PROJECTS,
    appText: 'Draw a c chart of a measure in your project',
    body: `Use a c chart for a plain count of events (falls in the month, complaints in the week) when the area of opportunity stays roughly the same. If it changes a lot, use a u chart instead.

Choose "C chart" for a count measure in your project.`,
  },
]

/** The seed's resources (§8), with their publishers (§4). Addresses the seed does not give stay null. */
export const SEED_LINKS: SeedLink[] = [
  {
    slug: 'qsir-tools',
    title: 'QSIR tools library',
    summary: 'NHS England’s library of the tools taught on the QSIR programme.',
    url: 'https://www.england.nhs.uk/sustainableimprovement/qsir-programme/qsir-tools/',
    publisher: 'NHS England',
    stage: null,
    audience: 'staff',
    tags: ['qsir', 'tools'],
  },
  {
    slug: 'weahsn-qi-tools',
    title: 'Quality improvement tools',
    summary: 'The West of England Academic Health Science Network’s quality improvement toolkit.',
    url: 'https://www.weahsn.net/toolkits-and-resources/quality-improvement-tools-2/',
    publisher: 'West of England Academic Health Science Network',
    stage: null,
    audience: 'everyone',
    tags: ['tools'],
  },
  {
    slug: 'improvement-fundamentals',
    title: 'Improvement Fundamentals (online)',
    summary: 'NHS England’s online introduction to quality improvement.',
    url: 'https://www.england.nhs.uk/sustainableimprovement/improvement-fundamentals',
    publisher: 'NHS England',
    stage: 'start_out',
    audience: 'everyone',
    tags: ['learning', 'online'],
  },
  {
    slug: 'qi-made-simple',
    title: 'Quality improvement made simple',
    summary: 'The Health Foundation’s short guide to what quality improvement is.',
    url: 'https://www.health.org.uk/publications/quality-improvement-made-simple',
    publisher: 'The Health Foundation',
    stage: 'start_out',
    audience: 'everyone',
    tags: ['getting started'],
  },
  {
    slug: 'becoming-a-q',
    title: "Becoming a 'Q' (leaflet on joining the Q Community; membership free)",
    summary: 'A leaflet on joining the Q Community.',
    url: null,
    publisher: 'Q Community',
    stage: null,
    audience: 'everyone',
    tags: ['networks'],
  },
  {
    slug: 'strategic-approach',
    title: 'Improvement Community Strategic Approach',
    summary: 'Our community’s strategic approach.',
    url: null,
    publisher: 'One Gloucestershire Health and Care Partnership (Integrated Care System)',
    stage: null,
    audience: 'leaders',
    tags: ['strategy'],
  },
]
