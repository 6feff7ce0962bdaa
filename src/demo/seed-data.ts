/**
 * The One Gloucestershire Improvement Community's published content, turned into
 * the platform's own seed data (from the community's extranet page as supplied to
 * the project). Real contact addresses are display facts only and are never used
 * as mail recipients; demo users are fictional and flagged is_demo.
 *
 * Over 400 lines on purpose: it is data (the community's pages, organisations, faculties,
 * programmes, posters and resources), kept together so it can be checked against seed-content.md.
 */

export const organisations = [
  {
    id: 'org-og',
    name: 'One Gloucestershire Health and Care Partnership (Integrated Care System)',
    kind: 'system partnership',
    isPartner: true,
  },
  { id: 'org-icb', name: 'NHS Gloucestershire (Integrated Care Board)', kind: 'ICB', isPartner: true },
  { id: 'org-ghft', name: 'Gloucestershire Hospitals NHS Foundation Trust', kind: 'trust', isPartner: true },
  {
    id: 'org-ghc',
    name: 'Gloucestershire Health and Care NHS Foundation Trust',
    kind: 'trust',
    isPartner: true,
  },
  {
    id: 'org-primary-care',
    name: 'Primary care / general practice in Gloucestershire',
    kind: 'primary care',
    isPartner: true,
  },
  {
    id: 'org-lmns',
    name: 'Gloucestershire Local Maternity & Neonatal System',
    kind: 'system partnership',
    isPartner: true,
  },
  { id: 'ext-nhse', name: 'NHS England', kind: 'national', isPartner: false },
  {
    id: 'ext-weahsn',
    name: 'West of England Academic Health Science Network',
    kind: 'external',
    isPartner: false,
  },
  { id: 'ext-thf', name: 'The Health Foundation', kind: 'external', isPartner: false },
  { id: 'ext-q', name: 'Q Community', kind: 'external', isPartner: false },
] as const

export const aims = [
  {
    code: 'E1',
    group: 'ENERGISE',
    text: 'Bring people together with a common language of improvement, integrating QI into our working practice.',
  },
  {
    code: 'E2',
    group: 'ENERGISE',
    text: 'Connect colleagues through strong and inclusive networks of working relationships.',
  },
  { code: 'E3', group: 'ENERGISE', text: 'Encourage the spread of new ideas and celebrate success' },
  { code: 'L1', group: 'LEAD', text: 'Work with service users and communities as improvement partners.' },
  {
    code: 'L2',
    group: 'LEAD',
    text: "Build our teams' agency to lead improvement projects, and share lessons learnt.",
  },
  {
    code: 'L3',
    group: 'LEAD',
    text: 'Support with sustained leadership commitment to improvement across our organisations and system.',
  },
  {
    code: 'F1',
    group: 'FOCUS',
    text: 'Make a radical shift to place-based and population health led improvement.',
  },
  { code: 'F2', group: 'FOCUS', text: 'Fasten dedicated support to the biggest challenges in our system' },
  {
    code: 'F3',
    group: 'FOCUS',
    text: 'Strike a balance as we manage to both direct our improvement efforts towards measurable system priorities, and creating an environment where staff closest to our service users can initiate change.',
  },
] as const

export const faculties = [
  {
    id: 'fac-gsqia',
    name: 'Gloucestershire Safety and Quality Improvement Academy (GSQIA)',
    host: 'org-ghft',
    eligibility: 'people who work for Gloucestershire Hospitals',
    offers: 'training, support for improvement projects',
    contact: null,
    levels: ['Bronze', 'Silver', 'Gold'],
  },
  {
    id: 'fac-ghc-qihub',
    name: 'QI Hub (Gloucestershire Health and Care NHS Foundation Trust)',
    host: 'org-ghc',
    eligibility: 'across the Trust and in the community',
    offers: 'teaching, support for improvement projects',
    contact: 'contact-ghc-qihub',
    levels: null,
  },
  {
    id: 'fac-pgp-quickstart',
    name: 'Productive General Practice Quick Start',
    host: 'ext-nhse',
    eligibility: 'primary care colleagues',
    offers: 'training',
    contact: null,
    levels: null,
    notes: 'National improvement programme; many primary care colleagues have taken part',
  },
  {
    id: 'fac-qsir',
    name: 'Quality, Service Improvement and Redesign (QSIR) faculty',
    host: null,
    eligibility: 'anyone who works across the One Gloucestershire Integrated Care System',
    offers:
      'training, support for projects of all sizes, convening colleagues across the system for system transformation work',
    contact: null,
    levels: null,
  },
] as const

export const programmes = [
  {
    id: 'prog-virtual-ward',
    name: 'Virtual Ward Programme',
    support:
      'co-designing and facilitating in-person and virtual stakeholder engagement and design workshops',
    participants: 'nearly 200',
    org: null,
  },
  {
    id: 'prog-peol',
    name: 'Palliative and End of Life Programme',
    support: 'in-depth collective system improvement support to enable refresh of programme strategy',
    participants: null,
    org: null,
  },
  {
    id: 'prog-anticipatory-care',
    name: 'Anticipatory Care Programme',
    support:
      'facilitation of a large-scale stakeholder launch event and planning for place-based improvement collaboratives',
    participants: null,
    org: null,
  },
  {
    id: 'prog-lmns',
    name: 'Gloucestershire Local Maternity & Neonatal Care',
    support: 'partnering in building system-wide QI capability',
    participants: null,
    org: 'org-lmns',
  },
] as const

export const showcaseOccasion = {
  id: 'occ-nhs-impact-sw-2024',
  title: 'South West launch of NHS Impact',
  month: '2024-05',
}

/** "QSIR posters": a separate link on the page for more Gloucestershire improvement work (seed §7). */
export const showcaseCollections = [{ id: 'coll-qsir-posters', title: 'QSIR posters' }] as const

export const posters = [
  { id: 'poster-ari-hubs', title: 'Acute Respiratory Infection (ARI) hubs' },
  { id: 'poster-co-diagnosing-dementia', title: 'Co-diagnosing dementia' },
  { id: 'poster-d2a', title: 'The discharge to assess pathway' },
  { id: 'poster-huntingtons', title: "Supporting patients with Huntington's disease" },
  { id: 'poster-smoking-inner-city', title: 'Smoking cessation in Inner City Gloucestershire' },
  {
    id: 'poster-we-wait-well',
    title: 'We Wait Well',
    funder: 'ext-thf',
    scheme: 'Q Exchange',
    fundedYear: 2023,
    externalUrl:
      'https://q.health.org.uk/idea/2023/we-wait-well-collaboration-to-improve-wellbeing-while-we-wait/',
  },
] as const

export const resources = [
  {
    id: 'res-qsir-tools',
    title: 'QSIR tools library',
    publisher: 'ext-nhse',
    url: 'https://www.england.nhs.uk/sustainableimprovement/qsir-programme/qsir-tools/',
  },
  {
    id: 'res-weahsn-qi',
    title: 'Quality improvement tools',
    publisher: 'ext-weahsn',
    url: 'https://www.weahsn.net/toolkits-and-resources/quality-improvement-tools-2/',
  },
  {
    id: 'res-improvement-fundamentals',
    title: 'Improvement Fundamentals (online)',
    publisher: 'ext-nhse',
    url: 'https://www.england.nhs.uk/sustainableimprovement/improvement-fundamentals',
  },
  {
    id: 'res-qi-made-simple',
    title: 'Quality improvement made simple',
    publisher: 'ext-thf',
    url: 'https://www.health.org.uk/publications/quality-improvement-made-simple',
  },
  {
    id: 'res-becoming-a-q',
    title: "Becoming a 'Q' (leaflet on joining the Q Community; membership free)",
    publisher: 'ext-q',
    url: null,
  },
  {
    id: 'res-strategic-approach',
    title: 'Improvement Community Strategic Approach',
    publisher: 'org-og',
    url: null,
  },
] as const

/** Published addresses are display facts only; mail goes to the demo replacement. */
export const contactRoutes = [
  {
    id: 'contact-community',
    purpose: 'Join the community or get more information; ask for facilitation help',
    published: 'glicb.improvement-community@nhs.net',
    demo: 'community@example.invalid',
  },
  {
    id: 'contact-ghc-qihub',
    purpose: 'Information about the Gloucestershire Health and Care QI Hub',
    published: 'QI@ghc.nhs.uk',
    demo: 'qihub@example.invalid',
  },
  {
    id: 'contact-associate-director',
    purpose: 'Discuss the programme with the Associate Director, One Gloucestershire Improvement Community',
    published: null,
    demo: 'director@example.invalid',
  },
] as const

type DemoRole = { role: string; scope?: string }
export const demoUsers: {
  name: string
  email: string
  org: string | null
  roles: DemoRole[]
  partner?: boolean
  jobRole: string
  skills: string
  bio: string
  qiLevel: string
}[] = [
  {
    name: 'Ada Aimwell (DEMO)',
    email: 'ada.aimwell@example.invalid',
    org: 'org-ghft',
    roles: [{ role: 'member' }],
    jobRole: 'Ward manager and project lead',
    skills: 'SMART aims, driver diagrams, PDSA cycles',
    bio: 'Leads a demo project on timely discharge.',
    qiLevel: 'foundation',
  },
  {
    name: 'Ben Baseline (DEMO)',
    email: 'ben.baseline@example.invalid',
    org: 'org-ghc',
    roles: [{ role: 'member' }],
    jobRole: 'Community physiotherapist',
    skills: 'measurement, run charts, data collection',
    bio: 'Project team member who looks after the measures.',
    qiLevel: 'awareness',
  },
  {
    name: 'Cara Cycle (DEMO)',
    email: 'cara.cycle@example.invalid',
    org: 'org-icb',
    roles: [{ role: 'member' }, { role: 'coach' }, { role: 'steering_group' }],
    jobRole: 'QI specialist',
    skills: 'coaching, SPC charts, QSIR, facilitation',
    bio: 'QI specialist and coach on the Steering Group.',
    qiLevel: 'expert',
  },
  {
    name: 'Dev Driver (DEMO)',
    email: 'dev.driver@example.invalid',
    org: 'org-icb',
    roles: [{ role: 'member' }, { role: 'faculty_admin', scope: 'fac-qsir' }],
    jobRole: 'QSIR faculty administrator',
    skills: 'course design, teaching',
    bio: 'Runs the QSIR faculty’s courses.',
    qiLevel: 'coach',
  },
  {
    name: 'Esme Exec (DEMO)',
    email: 'esme.exec@example.invalid',
    org: 'org-og',
    roles: [{ role: 'member' }, { role: 'board' }],
    jobRole: 'Executive director',
    skills: 'leadership, strategy',
    bio: 'Member of the Improvement Community Board.',
    qiLevel: 'awareness',
  },
  {
    name: 'Fay Feedback (DEMO)',
    email: 'fay.feedback@example.invalid',
    org: null,
    partner: true,
    roles: [{ role: 'member' }, { role: 'improvement_partner' }],
    jobRole: 'Service user',
    skills: 'lived experience, co-design',
    bio: 'Improvement partner bringing the service user voice.',
    qiLevel: 'awareness',
  },
  {
    name: 'Gus Gateway (DEMO)',
    email: 'gus.gateway@example.invalid',
    org: 'org-icb',
    roles: [{ role: 'member' }, { role: 'programme_lead', scope: 'prog-virtual-ward' }],
    jobRole: 'Programme lead, Virtual Ward',
    skills: 'programme management, stakeholder engagement',
    bio: 'Leads the Virtual Ward Programme.',
    qiLevel: 'practitioner',
  },
  {
    name: 'Leo Learner (DEMO)',
    email: 'leo.learner@example.invalid',
    org: 'org-primary-care',
    roles: [{ role: 'member' }],
    jobRole: 'Practice nurse',
    skills: 'process mapping',
    bio: 'Learning QI through the community’s courses.',
    qiLevel: 'none',
  },
  {
    name: 'Ivy Infogov (DEMO)',
    email: 'ivy.infogov@example.invalid',
    org: 'org-icb',
    roles: [{ role: 'member' }, { role: 'org_admin', scope: 'org-icb' }, { role: 'platform_admin' }],
    jobRole: 'Information governance lead',
    skills: 'information governance, data protection',
    bio: 'Organisation admin and IG lead; platform admin.',
    qiLevel: 'awareness',
  },
]

export const pages: { slug: string; title: string; summary: string; body: string }[] = [
  {
    slug: 'home',
    title: 'Home',
    summary: 'Everyone is an improver, and there are lots of ways to get involved.',
    body: `The One Gloucestershire Improvement Community is open and inclusive: anyone committed to improving health and care in Gloucestershire can join. We believe that everyone is an improver and there are lots of ways to get involved.

**Our vision:** To nurture a thriving Improvement Culture across the One Gloucestershire Health and Care Partnership.

**Our purpose:** to extend our collective improvement capability and capacity, and to develop fresh approaches to our shared practice for system improvement, through to 2028, as part of One Gloucestershire's Five Year Forward Plan.`,
  },
  {
    slug: 'about',
    title: 'About us',
    summary: 'Who we are, how we are led, and what we are trying to achieve.',
    body: `## Who we are

The One Gloucestershire Improvement Community is open and inclusive: anyone committed to improving health and care in Gloucestershire. We believe that everyone is an improver and there are lots of ways to get involved.

We work for patients, service users, families, carers, communities and staff, at a time of service recovery pressure, increasing demand, a stretched workforce, financial constraints and interdependent services. Our direction is greater integration, new models of care, a place-based focus, and leading change with service users and communities.

## Our vision

To nurture a thriving Improvement Culture across the One Gloucestershire Health and Care Partnership.

## Our purpose

To extend our collective improvement capability and capacity, and to develop fresh approaches to our shared practice for system improvement, through to 2028, as part of One Gloucestershire's Five Year Forward Plan.

## The Steering Group

A small core of QI specialists across Gloucestershire leading programmes within partner organisations. The Steering Group meets regularly to coordinate system improvement work.

## The Improvement Community Board

Executive directors providing leadership commitment to embedding an improvement approach across the health and care partnership.`,
  },
  {
    slug: 'what-is-qi',
    title: 'What is quality improvement?',
    summary: 'The principles we share and the Model for Improvement.',
    body: `Quality improvement (QI) means giving the people closest to issues affecting care quality the time, permission, skills and resources they need to solve them (adapted from The Health Foundation, *Quality improvement made simple*).

## The principles we share

- Explore issues to be address from different perspectives.
- Clearly set aims to cohere our improvement teams' effort.
- Define measurable benefits so we know when a change is an improvement.
- Work together to design solutions.
- Progress through cycles of change to develop our new models of working.
- Ensure benefits and further improvement are sustained over time.

QI needs a mindset that is open, curious, and co-operative, and both technical and relational skills.

## The Model for Improvement

The Model for Improvement asks three questions:

1. What are we trying to accomplish? (a SMART aim: how much, for whom, by when)
2. How will we know that a change is an improvement? (outcome, process and balancing measures, shown on run and SPC charts)
3. What changes can we make that will result in improvement? (change ideas, often organised in a driver diagram)

Each change idea is tested in small **Plan, Do, Study, Act (PDSA)** cycles: plan the test and predict what will happen, do it, study the results against the prediction, then act: adopt, adapt or abandon the idea.

> "Improving quality in the English NHS: A strategy for action", Chris Ham, Don Berwick and Jennifer Dixon (2016)`,
  },
  {
    slug: 'get-involved',
    title: 'Get involved',
    summary: 'Join, learn, ask for facilitation or share your work.',
    body: `There are lots of ways to get involved:

- **Join the community** to find colleagues, join networks and share your improvement work.
- **Learn** with one of our QI faculties: the Gloucestershire Safety and Quality Improvement Academy, the QI Hub of Gloucestershire Health and Care, Productive General Practice Quick Start and the QSIR faculty. Most people benefit from in-person QI programmes that build local connections; some online programmes exist.
- **Ask for facilitation**: we offer a range of system facilitation approaches, with expert input from one or a small team of our QI partners. Our capacity is finite, and we align it with key system challenges.
- **Share and celebrate** your work through posters and the showcase.
- **Become an improvement partner** if you use services or care for someone who does: we work with service users and communities as improvement partners.`,
  },
  {
    slug: 'contact',
    title: 'Contact us',
    summary: '',
    body: 'Use the form on the Get involved page to join the community, get more information, or ask for facilitation help. We reply by e-mail.',
  },
  {
    slug: 'privacy',
    title: 'Privacy notice',
    summary: '',
    body: `This notice explains how the community platform uses personal data about staff, partners and members.

## What we hold

Your name, e-mail address, organisation, job role and what you choose to add to your profile; your role in the community; the sign-in and audit records needed to keep the platform secure.

## What we never hold

Patient-identifiable data. Improvement measures are aggregate counts and rates only, and uploads are screened for NHS numbers, dates of birth and postcodes.

## Your choices and rights

You choose what other members can see on your profile. You can ask for a copy of your data (subject access) or for it to be erased by contacting us.`,
  },
  {
    slug: 'accessibility',
    title: 'Accessibility statement',
    summary: '',
    body: `We want everyone to be able to use this platform. It is built with the NHS.UK frontend and tested against WCAG 2.2 level AA with automated checks on every page, and it works without JavaScript.

If you find a problem, tell us through the Get involved page.`,
  },
]
