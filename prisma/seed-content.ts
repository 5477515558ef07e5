// The sample content of RE3M 2025. The event's name, dates, city, organiser, special guest and
// themes are real; every other person, company, venue, price and session is fictional sample
// content. prisma/seed-data.ts writes it; nothing here touches the database.
import type { DiscountKind, Prisma, SessionKind } from "../app/generated/prisma/client";

export const EVENT_SLUG = "re3m-2025";

// ---------------------------------------------------------------------------------------------
// Time: the agenda is written in Toronto wall-clock time and stored in UTC.

const EVENT_DAYS = { 1: "2025-09-09", 2: "2025-09-10" } as const;

type Clock = `${number}${number}:${number}${number}`;

/** The UTC instant of a Toronto wall-clock time on day 1 or 2 (September is EDT, UTC-4). */
export function at(day: 1 | 2, time: Clock): Date {
  return new Date(`${EVENT_DAYS[day]}T${time}:00-04:00`);
}

// ---------------------------------------------------------------------------------------------
// Row types. Each `define*` helper keeps the keys (slugs, names) as literal types, so a session
// that names a speaker, track or room that does not exist is a type error, not a runtime surprise.

export type RoomSeed<N extends string = string> = { name: N; capacity: number; position: number };
export type TrackSeed<S extends string = string> = {
  slug: S;
  name: string;
  color: string;
  position: number;
  // Each track keeps to one room, so the room of a track session follows from its track.
  room: RoomName;
};
export type SpeakerSeed<S extends string = string> = {
  slug: S;
  name: string;
  role: string;
  company: string;
  bio: string;
  featured?: boolean;
};
/** A speaker slug, or a slug with an explicit role where the default for the kind does not fit. */
export type SpeakerRef = SpeakerSlug | { slug: SpeakerSlug; role: string };
export type SessionSeed = {
  slug: string;
  title: string;
  kind: SessionKind;
  startsAt: Date;
  endsAt: Date;
  // No track = a plenary session in the Plenary Hall.
  track?: TrackSlug;
  summary?: string;
  // Published unless marked as a draft.
  draft?: true;
  speakers?: SpeakerRef[];
};
export type TierSeed<N extends string = string> = {
  name: N;
  rank: number;
  benefits: string[];
  includesAttendeeList: boolean;
};
export type SponsorSeed = {
  slug: string;
  name: string;
  tier: TierName;
  description: string;
  website: string;
  accent: string;
  booth: string;
};
export type TicketTypeSeed<S extends string = string> = {
  slug: S;
  name: string;
  description: string;
  includes: string[];
  priceCents: number;
  capacity: number;
  position: number;
  maxPerOrder?: number;
  isPublic?: boolean;
};
export type DiscountSeed = {
  code: string;
  kind: DiscountKind;
  amount: number;
  maxUses: number | null;
  // Empty or absent = valid on every type; listed hidden types become unlocked by the code.
  ticketTypes?: TicketTypeSlug[];
};

const defineRooms = <N extends string>(rows: RoomSeed<N>[]) => rows;
const defineTracks = <S extends string>(rows: TrackSeed<S>[]) => rows;
const defineSpeakers = <S extends string>(rows: SpeakerSeed<S>[]) => rows;
const defineTiers = <N extends string>(rows: TierSeed<N>[]) => rows;
const defineTicketTypes = <S extends string>(rows: TicketTypeSeed<S>[]) => rows;

// ---------------------------------------------------------------------------------------------
// The event

export const EVENT = {
  slug: EVENT_SLUG,
  name: "Rare Earth Mines, Magnets & Motors 2025",
  shortName: "RE3M 2025",
  tagline: "Mine to magnet to motor: the whole rare earth supply chain in one room for two days.",
  description: [
    "Rare Earth Mines, Magnets & Motors 2025 brings the permanent-magnet value chain together in Toronto for two days: the companies that mine and separate rare earths, the metallurgists and magnet makers who turn oxides into NdFeB, and the motor makers whose electric vehicles, robots and aircraft depend on them.",
    "China's export controls on dysprosium, terbium and NdFeB magnets have turned supply security from a slide in a strategy deck into a line item in every motor programme. The agenda follows the material from ionic clays and hard-rock deposits through separation, metal making and magnet production to traction motors, humanoid-robot actuators and eVTOL lift motors, with a hard look at what it takes to build a mine-to-magnet supply chain outside China, and at the heavy-rare-earth-free magnets that reduce the need for one.",
    "Expect keynotes, plenary panels and three parallel tracks (Mine & Refine, Magnets & Materials, Motors & Mobility), hands-on workshops, a welcome reception and a fireside chat with special guest Steve Wozniak. RE3M 2025 is organised by Adamas Intelligence.",
  ].join("\n\n"),
  timeZone: "America/Toronto",
  startsOn: new Date(EVENT_DAYS[1]),
  endsOn: new Date(EVENT_DAYS[2]),
  venueName: "The Lakeshore Grand Hotel",
  venueAddress: "1 Harbourview Promenade, Toronto, ON M5J 0Z9",
  city: "Toronto",
  country: "Canada",
  organiser: "Adamas Intelligence",
  legalName: "Adamas Intelligence Inc.",
  legalAddress: "100 King Street West, Suite 5600, Toronto, ON M5X 1C9",
  contactEmail: "info@re3m.example",
  refundPolicy:
    "Tickets are refundable in full until 30 days before the event, less a $50 handling fee. After that we cannot refund, but you can transfer your ticket to a colleague at no charge from your ticket page.",
  specialGuest: "Steve Wozniak",
  themes: [
    "Robotics",
    "Automation",
    "Advanced air mobility",
    "The mine-to-magnet supply chain outside China",
    "China's export controls on dysprosium, terbium and NdFeB magnets",
    "Heavy-rare-earth-free magnets",
  ],
  currency: "CAD",
  taxName: "HST",
  taxRateBps: 1300,
} satisfies Prisma.EventCreateInput;

// ---------------------------------------------------------------------------------------------
// Rooms and tracks

export const ROOMS = defineRooms([
  { name: "Plenary Hall", capacity: 800, position: 0 },
  { name: "Room A", capacity: 220, position: 1 },
  { name: "Room B", capacity: 200, position: 2 },
  { name: "Room C", capacity: 180, position: 3 },
]);
export type RoomName = (typeof ROOMS)[number]["name"];
export const PLENARY_ROOM: RoomName = "Plenary Hall";

// Colours are dark enough for white text (contrast 4.5:1 or better).
export const TRACKS = defineTracks([
  { slug: "mine-and-refine", name: "Mine & Refine", color: "#B45309", position: 0, room: "Room A" },
  { slug: "magnets-and-materials", name: "Magnets & Materials", color: "#1D4ED8", position: 1, room: "Room B" },
  { slug: "motors-and-mobility", name: "Motors & Mobility", color: "#047857", position: 2, room: "Room C" },
]);
export type TrackSlug = (typeof TRACKS)[number]["slug"];

// ---------------------------------------------------------------------------------------------
// Speakers

export const SPEAKERS = defineSpeakers([
  {
    slug: "steve-wozniak",
    name: "Steve Wozniak",
    role: "Co-founder",
    company: "Apple",
    bio: "Steve Wozniak co-founded Apple Computer in 1976. He designed the Apple I and the Apple II, one of the first mass-produced personal computers. He joins RE3M 2025 as special guest for a fireside chat.",
    featured: true,
  },
  {
    slug: "miriam-okafor",
    name: "Dr. Miriam Okafor",
    role: "Director and Conference Chair",
    company: "Northern Institute of Magnet Science",
    bio: "Miriam Okafor leads the Northern Institute of Magnet Science, an applied research centre that works with miners, magnet makers and motor manufacturers on permanent-magnet materials and recycling. A physicist by training, she spent a decade in industrial R&D on sintered NdFeB before moving into research leadership. She chairs the RE3M 2025 programme committee and sits on several advisory panels on critical minerals.",
    featured: true,
  },
  {
    slug: "henrik-lindqvist",
    name: "Henrik Lindqvist",
    role: "President & CEO",
    company: "Boreal Rare Metals",
    bio: "Henrik Lindqvist has built mines on three continents over a 25-year career, most recently taking Boreal Rare Metals from resource definition to a fully permitted hard-rock rare earth project in northern Québec. He previously ran operations for a base-metals producer in Sweden and Chile. Henrik is an outspoken advocate of integrated offtake partnerships between miners and magnet makers.",
    featured: true,
  },
  {
    slug: "daniel-achterberg",
    name: "Daniel Achterberg",
    role: "Partner, International Trade",
    company: "Harbourfront Trade Law LLP",
    bio: "Daniel Achterberg advises manufacturers and miners on export controls, sanctions and trade remedies. He has guided clients through licensing regimes in North America, Europe and Asia and regularly briefs boards on supply-chain compliance. Before private practice he served as trade counsel in the public service.",
  },
  {
    slug: "fatima-al-sayed",
    name: "Fatima Al-Sayed",
    role: "Director General, Critical Minerals",
    company: "Office of Strategic Minerals",
    bio: "Fatima Al-Sayed leads the federal team that coordinates critical minerals policy, from geoscience and permitting to stockpiling and international partnerships. She has negotiated supply-chain cooperation agreements with allied governments and oversees a programme that co-funds separation and magnet demonstration plants. Earlier in her career she worked as a mining engineer in Ontario and Saudi Arabia.",
    featured: true,
  },
  {
    slug: "lucas-moreau",
    name: "Lucas Moreau",
    role: "Senior Analyst, Permanent Magnets",
    company: "Cairn Street Research",
    bio: "Lucas Moreau tracks supply, demand and prices across the rare earth and permanent-magnet markets, with a focus on NdPr, dysprosium and terbium. His quarterly outlook is used by procurement teams and investors across the chain. He previously worked in metals trading in Geneva and London.",
  },
  {
    slug: "min-jun-park",
    name: "Min-jun Park",
    role: "Vice President, Global Procurement",
    company: "Kinetra Automation",
    bio: "Min-jun Park is responsible for direct-materials sourcing at Kinetra Automation, a builder of industrial robots and motion-control systems. He has led the company's dual-sourcing programme for servo-motor magnets since 2021. Min-jun previously held supply-chain roles in consumer electronics in Seoul and Singapore.",
  },
  {
    slug: "sofia-castellanos",
    name: "Sofía Castellanos",
    role: "Vice President, Exploration",
    company: "Campo Alto Minerais",
    bio: "Sofía Castellanos is a geologist specialising in ionic adsorption clay deposits. She led the discovery and resource drilling of Campo Alto's flagship clay project and now oversees exploration in Brazil and Chile. Sofía holds a PhD in regolith geochemistry and has published widely on rare earth mobility in weathering profiles.",
  },
  {
    slug: "tomas-novak",
    name: "Tomáš Novák",
    role: "General Manager",
    company: "Meridian Rare Earth Refining",
    bio: "Tomáš Novák runs Meridian's separation plant, one of the few solvent-extraction facilities producing NdPr oxide outside China. A chemical engineer, he has commissioned hydrometallurgical plants in Europe, Africa and North America. He is a firm believer in sharing operating lessons across the industry.",
  },
  {
    slug: "aisha-bello",
    name: "Aisha Bello",
    role: "Principal Process Engineer",
    company: "Hydrometrix Process Engineering",
    bio: "Aisha Bello designs hydrometallurgical flowsheets for rare earth, lithium and nickel projects. She has taken separation circuits from bench tests through piloting to detailed engineering, and led the process design of Meridian's solvent-extraction plant. Aisha mentors early-career engineers through a professional association in Toronto.",
  },
  {
    slug: "rafael-ortega",
    name: "Dr. Rafael Ortega",
    role: "Director, Separation Technologies",
    company: "Northshore Separation Technologies",
    bio: "Rafael Ortega develops ion-exchange and continuous chromatographic processes for high-purity rare earth separation. He has led pilot campaigns producing dysprosium and terbium oxides above 99.9% purity. Before joining Northshore he was a research scientist in Spain and Canada.",
  },
  {
    slug: "james-whitehorse",
    name: "James Whitehorse",
    role: "Chief Executive Officer",
    company: "Lynx River Development Corporation",
    bio: "James Whitehorse leads the economic development corporation of a First Nation in northern Ontario, which holds equity stakes in energy and mining projects in its traditional territory. He has negotiated several impact-benefit agreements and sits on the boards of two infrastructure partnerships. James speaks regularly on Indigenous ownership in the critical minerals economy.",
  },
  {
    slug: "claire-beaulieu",
    name: "Claire Beaulieu",
    role: "Vice President, Sustainability & Permitting",
    company: "Tundra Ridge Minerals",
    bio: "Claire Beaulieu oversees environmental assessment, permitting and community relations for Tundra Ridge's rare earth project in the Northwest Territories. She has worked on mine permitting in Québec, Nunavut and Nevada. Claire is a professional biologist and a former regulator.",
  },
  {
    slug: "oluwaseun-adeyemi",
    name: "Oluwaseun Adeyemi",
    role: "Project Director",
    company: "Kestrel Lake Resources",
    bio: "Oluwaseun Adeyemi leads development of Kestrel Lake's monazite and xenotime project, from metallurgical testwork to the feasibility study. A metallurgist with 15 years in mineral sands and uranium, he brings hands-on experience of handling radioactive residues. He has worked in Nigeria, South Africa and Western Australia.",
  },
  {
    slug: "wei-ling-tan",
    name: "Dr. Wei Ling Tan",
    role: "Chief Technology Officer",
    company: "Polaris Magnetics",
    bio: "Wei Ling Tan leads research, development and process engineering at Polaris Magnetics, a producer of sintered NdFeB magnets for automotive and industrial customers. She is named on more than 30 patents on grain boundary diffusion and low-heavy-rare-earth magnet grades. Before Polaris she led a magnet R&D group in Singapore.",
    featured: true,
  },
  {
    slug: "stefan-brandt",
    name: "Stefan Brandt",
    role: "Head of Magnet Operations",
    company: "Vireo Magnet Works",
    bio: "Stefan Brandt has spent 20 years in powder metallurgy and sintered magnet manufacturing, including the ramp-up of two new sintering lines in Europe. At Vireo he is responsible for production, quality and plant engineering. He is a practical voice on what it really takes to make magnets at scale.",
  },
  {
    slug: "hannah-kowalczyk",
    name: "Hannah Kowalczyk",
    role: "Director, Supplier Quality",
    company: "Voltera Drive Systems",
    bio: "Hannah Kowalczyk leads supplier quality for Voltera's electric drive units, covering magnets, electrical steel laminations and power electronics. She has qualified more than a dozen new suppliers for series production. Hannah started her career as a materials engineer in automotive castings.",
  },
  {
    slug: "priya-raghunathan",
    name: "Priya Raghunathan",
    role: "Head of Strategic Sourcing",
    company: "Ardent Humanoids",
    bio: "Priya Raghunathan builds the supply base for Ardent's humanoid robots, from motors and gearboxes to sensors and batteries. She previously led electronics sourcing for a drone maker and a medical-device company. Priya focuses on securing capacity early for components that do not yet exist at scale.",
  },
  {
    slug: "emeka-nwosu",
    name: "Emeka Nwosu",
    role: "Director of Sales, Americas",
    company: "Corvid Permanent Magnets",
    bio: "Emeka Nwosu manages customer relationships for Corvid's sintered and bonded magnets across North and South America. An electrical engineer, he spent eight years designing motors before moving into technical sales. He currently leads Corvid's part in a magnet traceability pilot.",
  },
  {
    slug: "kenji-morimoto",
    name: "Kenji Morimoto",
    role: "Principal Scientist",
    company: "Tsubame Magnetic Materials",
    bio: "Kenji Morimoto has worked on permanent-magnet materials for more than 25 years, from cerium-substituted NdFeB to rare-earth-free compounds. He leads Tsubame's advanced materials group and has co-authored over 80 papers. Kenji is known for careful, sceptical assessments of new magnet chemistries.",
  },
  {
    slug: "sanna-virtanen",
    name: "Dr. Sanna Virtanen",
    role: "Applications Engineering Manager",
    company: "Corvid Permanent Magnets",
    bio: "Sanna Virtanen helps motor designers choose and specify magnets, from grade selection to coatings and test plans. She holds a doctorate in magnetic materials and worked in motor development for an industrial-drives maker in Finland. Sanna runs Corvid's customer training on magnet specification.",
  },
  {
    slug: "nadia-haddad",
    name: "Dr. Nadia Haddad",
    role: "Research Group Leader, Magnet Characterisation",
    company: "Northern Institute of Magnet Science",
    bio: "Nadia Haddad runs the institute's magnet testing laboratory, which measures hysteresis, thermal stability and corrosion for industry and government clients. She helped develop round-robin test protocols for high-temperature magnet grades. Nadia teaches a short course on magnet metrology for engineers.",
  },
  {
    slug: "hye-jin-cho",
    name: "Dr. Hye-jin Cho",
    role: "Senior Scientist",
    company: "Polaris Magnetics",
    bio: "Hye-jin Cho leads Polaris's work on heavy-rare-earth-free sintered magnets, from powder processing to grain boundary infiltration. She joined Polaris after postdoctoral research on magnet microstructures in Korea and Germany. Her team recently transferred its first dysprosium-free grade to production.",
  },
  {
    slug: "marcus-feld",
    name: "Marcus Feld",
    role: "Chief Technology Officer",
    company: "Voltera Drive Systems",
    bio: "Marcus Feld is responsible for Voltera's electric drive technology, including traction motors, inverters and e-axles supplied to vehicle makers in North America and Europe. He has led motor development programmes for 20 years and holds patents on rotor cooling and magnet segmentation. Marcus champions designing motors around supply-chain risk, not just performance.",
    featured: true,
  },
  {
    slug: "yusuf-demir",
    name: "Dr. Yusuf Demir",
    role: "Head of Actuation",
    company: "Ardent Humanoids",
    bio: "Yusuf Demir leads the team designing the joint actuators of Ardent's general-purpose humanoid robot. He previously developed high-torque-density motors for surgical robots and exoskeletons. Yusuf holds a PhD in electrical machines and enjoys explaining why every gram matters in a robot's leg.",
  },
  {
    slug: "arjun-mehta",
    name: "Arjun Mehta",
    role: "Director of Propulsion Engineering",
    company: "Stratolift Aero",
    bio: "Arjun Mehta leads the electric propulsion team at Stratolift Aero, developer of a piloted eVTOL air taxi. His group designs the lift and cruise motors, their inverters and their thermal management. Arjun previously worked on aircraft electrical systems and more-electric engine programmes.",
  },
  {
    slug: "chiara-bellini",
    name: "Dr. Chiara Bellini",
    role: "Founder & CEO",
    company: "Tessellate Motors",
    bio: "Chiara Bellini founded Tessellate Motors to commercialise axial-flux motors with Halbach-array rotors for aviation, robotics and high-performance vehicles. She previously led a university research group on electric machines and has since raised three funding rounds to scale manufacturing. Chiara is a frequent speaker on power-dense motor design.",
    featured: true,
  },
  {
    slug: "olivia-grant",
    name: "Olivia Grant",
    role: "Principal Analyst, Robotics & Automation",
    company: "Cairn Street Research",
    bio: "Olivia Grant forecasts shipments and component demand for industrial robots, mobile robots and humanoids. Her work links robot build plans to demand for motors, gearboxes and magnets. She previously worked in strategy consulting for industrial automation clients.",
  },
  {
    slug: "tariq-hussain",
    name: "Tariq Hussain",
    role: "Vice President, Engineering",
    company: "Axlewright Servo Systems",
    bio: "Tariq Hussain leads product engineering at Axlewright, a maker of servo motors and drives for packaging, machine-tool and robotics customers. He has redesigned Axlewright's motor range twice in response to magnet price swings. Tariq is a chartered engineer with a background in motor control.",
  },
  {
    slug: "rebecca-thornton",
    name: "Rebecca Thornton",
    role: "Technology Journalist & Host",
    company: "The Torque Report",
    bio: "Rebecca Thornton covers electrification, robotics and the materials behind them as host of The Torque Report, a podcast and newsletter for engineers and investors. She has interviewed hundreds of founders, engineers and policymakers. Rebecca previously reported on the auto industry from Detroit and Toronto.",
  },
  {
    slug: "anika-schreiber",
    name: "Anika Schreiber",
    role: "Vice President, Operations",
    company: "Granite Alloys",
    bio: "Anika Schreiber runs rare earth metal and alloy production at Granite Alloys, including molten-salt electrolysis and strip casting. She has 18 years of experience in light-metal smelting and specialty alloys. Anika is leading the expansion of Granite's metal line to 2,000 tonnes per year.",
  },
  {
    slug: "grace-mwangi",
    name: "Dr. Grace Mwangi",
    role: "Co-founder & CTO",
    company: "Second Loop Magnet Recycling",
    bio: "Grace Mwangi co-founded Second Loop to recover rare earths from manufacturing swarf and end-of-life products. Her team operates a hydrogen-processing demonstration plant and a small hydrometallurgical line. Grace holds a PhD in metallurgy and previously researched magnet recycling at a university in the United Kingdom.",
    featured: true,
  },
  {
    slug: "isabelle-fontaine",
    name: "Isabelle Fontaine",
    role: "Managing Director",
    company: "Greystone Critical Minerals Fund",
    bio: "Isabelle Fontaine manages a private capital fund investing in critical minerals projects from development to production. She has structured offtake-linked financings for rare earth, graphite and lithium projects. Before Greystone she was a mining investment banker in Toronto and Paris.",
    featured: true,
  },
  {
    slug: "rahul-khanna",
    name: "Rahul Khanna",
    role: "Head of Metals Trading",
    company: "Anchorage Metals Trading",
    bio: "Rahul Khanna runs a desk trading minor metals and rare earth oxides between producers, magnet makers and end users. He has 15 years of experience in physical metals markets in Singapore, London and Toronto. Rahul argues for transparent, exchange-based price discovery for rare earths.",
  },
  {
    slug: "amara-diallo",
    name: "Amara Diallo",
    role: "Head of Traceability",
    company: "Provenance Ledger Labs",
    bio: "Amara Diallo designs chain-of-custody systems for critical minerals, combining mass-balance accounting, sampling and digital product passports. She has run traceability pilots for cobalt, graphite and rare earths. Amara previously worked on responsible-sourcing audits in West Africa and Europe.",
  },
  {
    slug: "lina-zhou",
    name: "Dr. Lina Zhou",
    role: "Associate Professor, Electrical Machines",
    company: "Lakeshore Polytechnic University",
    bio: "Lina Zhou researches electric machines that use little or no rare earth material, including wound-field synchronous and ferrite-assisted reluctance motors. Her group builds prototype machines with automotive and industrial partners and tests them over real drive cycles. She previously worked as a motor design engineer at an industrial drives company.",
  },
  {
    slug: "ingrid-solberg",
    name: "Ingrid Solberg",
    role: "Senior Advisor, Advanced Air Mobility",
    company: "Transport Innovation Agency",
    bio: "Ingrid Solberg advises government on the certification and integration of electric and hybrid-electric aircraft. She has worked on airworthiness standards for electric propulsion and on vertiport planning. Ingrid is a former flight-test engineer and holds a commercial pilot licence.",
  },
  {
    slug: "hiroshi-tanabe",
    name: "Hiroshi Tanabe",
    role: "Reliability Engineering Manager",
    company: "Aerovolt Propulsion",
    bio: "Hiroshi Tanabe leads reliability and safety analysis for Aerovolt's electric propulsion units. He specialises in failure modes of permanent-magnet machines, including demagnetisation, bearing wear and insulation ageing. Hiroshi previously worked on rail traction motors.",
  },
  {
    slug: "pieter-de-vries",
    name: "Pieter de Vries",
    role: "Principal Engineer, Circular Design",
    company: "Rotorworks Electric",
    bio: "Pieter de Vries leads Rotorworks' design-for-recycling programme for industrial and automotive motors. He built a pilot disassembly cell that recovers magnets intact from end-of-life rotors. Pieter previously designed battery packs with recycling in mind.",
  },
  {
    slug: "gabriel-santos",
    name: "Gabriel Santos",
    role: "General Partner",
    company: "Flux Capital Partners",
    bio: "Gabriel Santos invests in early-stage companies across materials, electrification and advanced manufacturing. His portfolio includes magnet recyclers, motor start-ups and processing-technology companies. He was previously an engineer and strategy lead in the mining industry in Brazil and Canada.",
  },
  {
    slug: "ruth-abebe",
    name: "Ruth Abebe",
    role: "Director, Critical Minerals Finance",
    company: "Northern Infrastructure Bank",
    bio: "Ruth Abebe leads a public lender's critical minerals portfolio, providing loans and guarantees to mining, processing and manufacturing projects. She has arranged financing for separation plants, battery-materials facilities and clean-energy infrastructure. Ruth previously worked in project finance at a commercial bank.",
  },
]);
export type SpeakerSlug = (typeof SPEAKERS)[number]["slug"];

// ---------------------------------------------------------------------------------------------
// Sessions. Plenary sessions have no track; track sessions share the same slots across rooms.
// Speaker roles follow the kind (panel: first is Moderator, others Panellist; workshop:
// Facilitator; otherwise Speaker) unless given explicitly.

const MINE: TrackSlug = "mine-and-refine";
const MAGNETS: TrackSlug = "magnets-and-materials";
const MOTORS: TrackSlug = "motors-and-mobility";

const DAY_1: SessionSeed[] = [
  {
    slug: "registration-and-coffee-day-1",
    title: "Registration & Coffee",
    kind: "BREAK",
    startsAt: at(1, "08:00"),
    endsAt: at(1, "09:00"),
    summary: "Collect your badge in the hotel lobby; coffee and breakfast pastries are served in the Plenary Hall foyer.",
  },
  {
    slug: "welcome-and-opening-remarks",
    title: "Welcome & Opening Remarks",
    kind: "KEYNOTE",
    startsAt: at(1, "09:00"),
    endsAt: at(1, "09:20"),
    summary:
      "Conference chair Dr. Miriam Okafor opens RE3M 2025 with a map of the two days: where each track picks up the material, from ore body to rotor, and the questions we want answered by Wednesday evening. She sets out the numbers that frame the programme: forecast NdPr oxide demand, heavy rare earth content in today's motors, and the share of magnet capacity outside China.",
    speakers: ["miriam-okafor"],
  },
  {
    slug: "mine-to-magnet-outside-china",
    title: "Mine to Magnet Outside China: Where the Chain Actually Stands in 2025",
    kind: "KEYNOTE",
    startsAt: at(1, "09:20"),
    endsAt: at(1, "10:00"),
    summary:
      "Announced capacity is not delivered capacity. Henrik Lindqvist walks the chain stage by stage (concentrate, separated oxide, metal and alloy, sintered magnet) and shows where projects outside China are producing, where they are commissioning and where the gaps remain, with metal making and heavy rare earth separation the tightest. He closes with what offtakers and governments can do in the next 24 months to turn announcements into tonnes.",
    speakers: ["henrik-lindqvist"],
  },
  {
    slug: "export-controls-dysprosium-terbium-ndfeb",
    title: "Export Controls on Dysprosium, Terbium and NdFeB Magnets: What Changed and What Comes Next",
    kind: "PANEL",
    startsAt: at(1, "10:00"),
    endsAt: at(1, "10:45"),
    summary:
      "China's licensing of medium and heavy rare earths and magnet exports has lengthened lead times and opened a price gap for Dy and Tb between China and the rest of the world. A trade lawyer, a government official, a market analyst and a robotics buyer compare notes on licence timelines, end-use declarations, stockpiling and dual sourcing. Expect practical advice on keeping production lines running while alternative supply is built.",
    speakers: ["daniel-achterberg", "fatima-al-sayed", "lucas-moreau", "min-jun-park"],
  },
  {
    slug: "morning-coffee-day-1",
    title: "Morning Coffee & Exhibition",
    kind: "BREAK",
    startsAt: at(1, "10:45"),
    endsAt: at(1, "11:15"),
    summary: "Coffee in the exhibition area; sponsor booths are open.",
  },

  // Slot 1, 11:15-12:00
  {
    slug: "ionic-clay-deposits-beyond-southern-china",
    title: "Ionic Clay Deposits Beyond Southern China: Grades, Leaching and Permitting",
    kind: "TALK",
    track: MINE,
    startsAt: at(1, "11:15"),
    endsAt: at(1, "12:00"),
    summary:
      "Ionic adsorption clays supply most of the world's dysprosium and terbium, and new discoveries in Brazil, Chile and Southeast Asia are drawing attention. Sofía Castellanos compares head grades, desorption recoveries with ammonium sulphate and magnesium sulphate lixiviants, and the heavy-to-light ratio that makes a clay project matter. She also covers heap versus in-situ leaching and what regulators now expect on groundwater protection.",
    speakers: ["sofia-castellanos"],
  },
  {
    slug: "grain-boundary-diffusion-less-dy-and-tb",
    title: "Grain Boundary Diffusion: More Coercivity from Less Dysprosium and Terbium",
    kind: "TALK",
    track: MAGNETS,
    startsAt: at(1, "11:15"),
    endsAt: at(1, "12:00"),
    summary:
      "Grain boundary diffusion places Dy or Tb where it does the most good, in a thin shell around each Nd₂Fe₁₄B grain, instead of alloying it through the bulk. Dr. Wei Ling Tan presents production data on Tb diffusion raising coercivity by 8 to 10 kOe in thin sintered magnets while cutting heavy rare earth use by more than half. She also shows where the process runs out of road for thicker parts.",
    speakers: ["wei-ling-tan"],
  },
  {
    slug: "ev-traction-motors-after-export-controls",
    title: "EV Traction Motors After the Export Controls: Design Levers to Cut Heavy Rare Earths",
    kind: "TALK",
    track: MOTORS,
    startsAt: at(1, "11:15"),
    endsAt: at(1, "12:00"),
    summary:
      "Marcus Feld shows how Voltera brought the dysprosium content of its 200 kW traction motor close to zero without losing continuous power: better rotor cooling to lower magnet temperature, segmented magnets to cut eddy-current losses, and demagnetisation-aware field-weakening control. Each lever is quantified in grams of Dy per vehicle and dollars per motor.",
    speakers: ["marcus-feld"],
  },

  // Slot 2, 12:00-12:45
  {
    slug: "lessons-from-commissioning-an-sx-circuit",
    title: "From Concentrate to Oxide: Lessons from Commissioning an SX Circuit",
    kind: "TALK",
    track: MINE,
    startsAt: at(1, "12:00"),
    endsAt: at(1, "12:45"),
    summary:
      "Meridian's separation plant took fourteen months from first feed to on-spec NdPr oxide. Tomáš Novák and Aisha Bello share what the pilot plant did not predict: organic entrainment, crud formation, reagent consumption and the number of mixer-settler stages a 99.5% NdPr product really needs. A frank account for anyone about to build solvent extraction (SX) capacity.",
    speakers: ["tomas-novak", "aisha-bello"],
  },
  {
    slug: "sintered-ndfeb-capacity-reality-check",
    title: "Sintered NdFeB Capacity Outside China: A Plant-by-Plant Reality Check",
    kind: "TALK",
    track: MAGNETS,
    startsAt: at(1, "12:00"),
    endsAt: at(1, "12:45"),
    summary:
      "Dozens of magnet plants have been announced in Europe and North America; far fewer are pressing parts. Stefan Brandt, who has ramped up two sintering lines, walks through the real bottlenecks: strip-cast alloy supply, jet milling and oxygen control, sintering-furnace lead times and the skilled people to run them. He closes with realistic yield curves for a greenfield plant's first three years.",
    speakers: ["stefan-brandt"],
  },
  {
    slug: "actuators-for-humanoid-robots",
    title: "Actuators for Humanoid Robots: Torque Density, Magnets and Cost",
    kind: "TALK",
    track: MOTORS,
    startsAt: at(1, "12:00"),
    endsAt: at(1, "12:45"),
    summary:
      "A general-purpose humanoid carries 30 or more actuators, most built around frameless permanent-magnet motors. Dr. Yusuf Demir breaks down magnet mass per robot, why torque density pushes designs towards high-grade NdFeB, and how quasi-direct-drive and planetary-roller-screw actuators trade magnet content against gearing. If humanoids scale as forecast, he argues, they become a magnet demand category of their own.",
    speakers: ["yusuf-demir"],
  },
  {
    slug: "lunch-day-1",
    title: "Lunch",
    kind: "BREAK",
    startsAt: at(1, "12:45"),
    endsAt: at(1, "14:00"),
    summary: "A seated and standing lunch in the Plenary Hall foyer and exhibition area.",
  },

  // Slots 3 and 4, 14:00-15:30 (the Mine & Refine workshop spans both)
  {
    slug: "separation-flowsheet-clinic",
    title: "Separation Flowsheet Clinic: SX, IX and Continuous Chromatography",
    kind: "WORKSHOP",
    track: MINE,
    startsAt: at(1, "14:00"),
    endsAt: at(1, "15:30"),
    summary:
      "Bring your feed composition and target products; leave with a first-pass comparison of solvent extraction (SX), ion exchange (IX) and continuous chromatographic separation. The facilitators walk small groups through stage counts, reagent and energy intensity, capital cost per tonne of separated oxide, and when a hybrid flowsheet makes sense for Dy/Tb recovery. Laptops recommended; spreadsheets provided.",
    speakers: ["aisha-bello", "rafael-ortega"],
  },
  {
    slug: "qualifying-a-new-magnet-supplier",
    title: "Qualifying a New Magnet Supplier: What OEMs Actually Ask For",
    kind: "PANEL",
    track: MAGNETS,
    startsAt: at(1, "14:00"),
    endsAt: at(1, "14:45"),
    summary:
      "Switching magnet suppliers can take 18 to 36 months in automotive. A supplier-quality director moderates a candid exchange between magnet makers and buyers on PPAP, demagnetisation testing, corrosion coatings and dimensional tolerances, and on how new entrants can shorten the path to a production award.",
    speakers: ["hannah-kowalczyk", "stefan-brandt", "priya-raghunathan", "emeka-nwosu"],
  },
  {
    slug: "evtol-lift-motor-power-density",
    title: "eVTOL Lift-Motor Power Density: Why Magnet Temperature Grades Matter",
    kind: "TALK",
    track: MOTORS,
    startsAt: at(1, "14:00"),
    endsAt: at(1, "14:45"),
    summary:
      "Lift motors on eVTOL aircraft must deliver peak power in hover at power densities above 5 kW/kg, often with little cooling airflow. Arjun Mehta explains how magnet temperature grade, rotor retention sleeves and thermal margins set the design, and why the certification basis makes a late change of magnet supplier so costly.",
    speakers: ["arjun-mehta"],
  },
  {
    slug: "cerium-and-lanthanum-substitution",
    title: "Cerium and Lanthanum Substitution: Letting Abundant Rare Earths Carry the Load",
    kind: "TALK",
    track: MAGNETS,
    startsAt: at(1, "14:45"),
    endsAt: at(1, "15:30"),
    summary:
      "Cerium and lanthanum come out of the ground in surplus with every tonne of NdPr. Kenji Morimoto shows how dual-main-phase magnets that replace 20 to 30% of the Nd with Ce keep useful remanence for pumps, fans and e-bike motors, and how grain boundary engineering recovers coercivity. A pragmatic look at where balance-of-basket magnets fit, and where they do not.",
    speakers: ["kenji-morimoto"],
  },
  {
    slug: "halbach-arrays-in-axial-flux-motors",
    title: "Halbach Arrays in Practice: Axial-Flux Motors for Aviation and Robotics",
    kind: "TALK",
    track: MOTORS,
    startsAt: at(1, "14:45"),
    endsAt: at(1, "15:30"),
    summary:
      "Halbach arrays concentrate flux on one side of the rotor, removing back iron and raising torque density, at the cost of more magnet segments and harder assembly. Dr. Chiara Bellini shares manufacturing lessons from Tessellate's axial-flux motors: segment magnetisation angles, bonding fixtures, and where a Halbach rotor earns its extra magnet mass.",
    speakers: ["chiara-bellini"],
  },
  {
    slug: "afternoon-coffee-day-1",
    title: "Afternoon Coffee",
    kind: "BREAK",
    startsAt: at(1, "15:30"),
    endsAt: at(1, "16:00"),
    summary: "Coffee and snacks in the exhibition area.",
  },

  // Slot 5, 16:00-16:45
  {
    slug: "building-rare-earth-mines-in-canada",
    title: "Permitting, Partnerships and First Nations: Building Rare Earth Mines in Canada",
    kind: "PANEL",
    track: MINE,
    startsAt: at(1, "16:00"),
    endsAt: at(1, "16:45"),
    summary:
      "Canada has the deposits, the skills and the policy support, yet the time from discovery to production is still measured in decades. Panellists discuss impact-benefit agreements and equity partnerships with First Nations, coordination of federal and provincial permitting, management of radioactive residues, and what faster permitting can realistically mean without cutting corners.",
    speakers: ["claire-beaulieu", "fatima-al-sayed", "james-whitehorse", "oluwaseun-adeyemi"],
  },
  {
    slug: "choosing-a-magnet-route",
    title: "Bonded, Sintered or Hot-Deformed? Choosing a Magnet Route for Cost and Supply Security",
    kind: "TALK",
    track: MAGNETS,
    startsAt: at(1, "16:00"),
    endsAt: at(1, "16:45"),
    summary:
      "Each NdFeB route trades performance against shape freedom, feedstock and capital. Dr. Sanna Virtanen compares sintered, bonded and hot-deformed magnets on energy product, heavy rare earth needs, scrap rates and the availability of powder from outside China, and offers a decision matrix motor designers can use at the concept stage.",
    speakers: ["sanna-virtanen"],
  },
  {
    slug: "automation-at-scale-motor-demand",
    title: "Automation at Scale: Motor Demand from Factory Robots, AMRs and Cobots",
    kind: "PANEL",
    track: MOTORS,
    startsAt: at(1, "16:00"),
    endsAt: at(1, "16:45"),
    summary:
      "Industrial robots, autonomous mobile robots and collaborative arms each use several servo motors, and humanoids many more. An analyst, a buyer and two builders size the demand, discuss the shift to integrated joint modules, and debate whether automation companies have the purchasing power to secure magnets when carmakers compete for the same supply.",
    speakers: ["olivia-grant", "min-jun-park", "yusuf-demir", "tariq-hussain"],
  },

  {
    slug: "fireside-chat-with-steve-wozniak",
    title: "Fireside Chat with Steve Wozniak",
    kind: "KEYNOTE",
    startsAt: at(1, "17:00"),
    endsAt: at(1, "17:50"),
    summary:
      "Special guest Steve Wozniak, co-founder of Apple, joins host Rebecca Thornton for a conversation about engineering, curiosity and the machines that will shape the coming decades, from personal computers to robots and electric vehicles. Questions from the audience are welcome.",
    speakers: [
      { slug: "rebecca-thornton", role: "Moderator" },
      { slug: "steve-wozniak", role: "Special Guest" },
    ],
  },
  {
    slug: "welcome-reception",
    title: "Welcome Reception",
    kind: "NETWORKING",
    startsAt: at(1, "18:30"),
    endsAt: at(1, "21:00"),
    summary:
      "Drinks and canapés in the Plenary Hall foyer and on the lakeside terrace, open to all delegates and to holders of a Welcome Reception Only pass. A relaxed chance to meet speakers, sponsors and the people you buy from and sell to.",
  },
];

const DAY_2: SessionSeed[] = [
  {
    slug: "registration-and-coffee-day-2",
    title: "Registration & Coffee",
    kind: "BREAK",
    startsAt: at(2, "08:00"),
    endsAt: at(2, "09:00"),
    summary: "Badge collection for day-two arrivals; coffee and breakfast in the Plenary Hall foyer.",
  },
  {
    slug: "heavy-rare-earth-free-magnets-lab-to-line",
    title: "Heavy-Rare-Earth-Free Magnets: From Lab Curiosity to Production Line",
    kind: "KEYNOTE",
    startsAt: at(2, "09:00"),
    endsAt: at(2, "09:40"),
    summary:
      "Heavy-rare-earth-free NdFeB grades rated to 150 °C are in series production, and 180 °C is within reach. Dr. Wei Ling Tan reviews the three ingredients: ultrafine grains from hydrogen-decrepitated, jet-milled powder, engineered grain boundary phases, and rotor thermal design that keeps magnets cooler. She sets out a roadmap for taking Dy and Tb out of most traction and industrial motors by 2030.",
    speakers: ["wei-ling-tan"],
  },
  {
    slug: "the-motor-designers-view",
    title: "The Motor Designer's View: What Robots, Vehicles and Aircraft Need from the Magnet Industry",
    kind: "KEYNOTE",
    startsAt: at(2, "09:40"),
    endsAt: at(2, "10:20"),
    summary:
      "What will motor designers buy in 2030, and what should miners and magnet makers build now? Marcus Feld translates OEM roadmaps into magnet specifications: grades, tolerances, coatings, volumes, and the price signals that would justify designing rare earths out altogether. A call for earlier and closer collaboration across the chain.",
    speakers: ["marcus-feld"],
  },
  {
    slug: "morning-coffee-day-2",
    title: "Morning Coffee & Exhibition",
    kind: "BREAK",
    startsAt: at(2, "10:20"),
    endsAt: at(2, "10:50"),
    summary: "Coffee in the exhibition area; sponsor booths are open.",
  },

  // Slot 1, 10:50-11:35
  {
    slug: "monazite-and-xenotime-heavy-rare-earths",
    title: "Monazite and Xenotime as Heavy Rare Earth Sources: Thorium, Uranium and the Licence Question",
    kind: "TALK",
    track: MINE,
    startsAt: at(2, "10:50"),
    endsAt: at(2, "11:35"),
    summary:
      "Xenotime carries attractive dysprosium and terbium grades, and monazite from mineral-sands operations is already stockpiled around the world. Oluwaseun Adeyemi covers cracking routes (caustic digestion versus sulphuric acid bake), the thorium and uranium that come with them, and the licensing, transport and residue-storage obligations that decide whether a project is bankable.",
    speakers: ["oluwaseun-adeyemi"],
  },
  {
    slug: "hree-free-ndfeb-for-180-c",
    title: "Heavy-Rare-Earth-Free NdFeB: Microstructure Engineering for 180 °C Operation",
    kind: "TALK",
    track: MAGNETS,
    startsAt: at(2, "10:50"),
    endsAt: at(2, "11:35"),
    summary:
      "Without Dy or Tb, coercivity has to come from microstructure. Dr. Hye-jin Cho presents results on grain sizes below 2 µm, Pr-Cu and Nd-Ga grain boundary infiltration and low-oxygen processing that bring Dy-free sintered magnets to 20 kOe intrinsic coercivity, and discusses the corrosion and mechanical trade-offs that come with them.",
    speakers: ["hye-jin-cho"],
  },
  {
    slug: "rare-earth-free-motor-alternatives",
    title: "Rare-Earth-Free Alternatives: Wound-Field Synchronous and Ferrite-Assisted Reluctance Motors",
    kind: "TALK",
    track: MOTORS,
    startsAt: at(2, "10:50"),
    endsAt: at(2, "11:35"),
    summary:
      "When magnets are scarce or expensive, motor topology is the biggest lever. Dr. Lina Zhou compares wound-field synchronous machines, ferrite-assisted synchronous reluctance and induction motors with NdFeB interior-PM designs on efficiency maps, torque density and system cost, using drive-cycle results for passenger EVs and industrial drives.",
    speakers: ["lina-zhou"],
  },

  // Slot 2, 11:35-12:20
  {
    slug: "metal-and-alloy-making-bottleneck",
    title: "Metal and Alloy Making: The Forgotten Bottleneck Between Oxide and Magnet",
    kind: "TALK",
    track: MINE,
    startsAt: at(2, "11:35"),
    endsAt: at(2, "12:20"),
    summary:
      "Separated oxide is not yet magnet feedstock: it must be reduced to NdPr metal by molten-salt electrolysis and cast into strip alloy. Anika Schreiber explains why this step is almost entirely concentrated in China, what fluoride-electrolyte cells demand in power and skills, and how Granite Alloys is scaling a metal line from 200 to 2,000 tonnes per year.",
    speakers: ["anika-schreiber"],
  },
  {
    slug: "iron-nitride-and-manganese-magnets",
    title: "Iron Nitride and Manganese-Based Magnets: Realistic Timelines",
    kind: "TALK",
    track: MAGNETS,
    startsAt: at(2, "11:35"),
    endsAt: at(2, "12:20"),
    summary:
      "Rare-earth-free permanent magnets such as α″-Fe₁₆N₂, MnBi and MnAlC attract investment and headlines. Kenji Morimoto separates laboratory records from manufacturable reality, comparing energy product, thermal stability and cost per unit of magnetic energy with ferrite and NdFeB, and gives his view on which applications could adopt them first.",
    speakers: ["kenji-morimoto"],
  },
  {
    slug: "advanced-air-mobility-magnet-supply",
    title: "Advanced Air Mobility: Certification, Reliability and the Magnet Supply Question",
    kind: "PANEL",
    track: MOTORS,
    startsAt: at(2, "11:35"),
    endsAt: at(2, "12:20"),
    summary:
      "Electric aircraft need motors that are light, fault-tolerant and certifiable, and a magnet supply chain that can be documented for decades of production and spares. Panellists discuss redundant multi-phase architectures, magnet-related failure modes, supplier-change rules under aviation certification, and whether advanced air mobility will ever be big enough to influence magnet makers.",
    speakers: ["ingrid-solberg", "arjun-mehta", "chiara-bellini", "hiroshi-tanabe"],
  },
  {
    slug: "lunch-day-2",
    title: "Lunch",
    kind: "BREAK",
    startsAt: at(2, "12:20"),
    endsAt: at(2, "13:30"),
    summary: "Lunch in the Plenary Hall foyer and exhibition area.",
  },

  // Slots 3 and 4, 13:30-15:00 (the Magnets & Materials workshop spans both)
  {
    slug: "recycling-swarf-and-end-of-life-magnets",
    title: "Recycling Swarf and End-of-Life Magnets with Hydrogen Processing",
    kind: "TALK",
    track: MINE,
    startsAt: at(2, "13:30"),
    endsAt: at(2, "14:15"),
    summary:
      "Up to a third of the alloy entering a sintering plant leaves as grinding swarf and rejects. Dr. Grace Mwangi describes hydrogen processing of magnet scrap (HPMS), which turns clean scrap straight back into powder, and a hydrometallurgical route for oxidised swarf. She shares recovery yields, oxygen pick-up limits, and the collection logistics that make or break recycling of end-of-life motors and hard drives.",
    speakers: ["grace-mwangi"],
  },
  {
    slug: "magnet-specification-workshop",
    title: "Magnet Specification Workshop: Datasheets, Demagnetisation Curves and Test Reports",
    kind: "WORKSHOP",
    track: MAGNETS,
    startsAt: at(2, "13:30"),
    endsAt: at(2, "15:00"),
    summary:
      "A hands-on session for motor engineers and buyers. Working through anonymised datasheets and hysteresisgraph reports, participants learn to read B-H and J-H curves at temperature, spot optimistic knee points, specify irreversible-loss tests, and write a magnet drawing that a second supplier can quote against.",
    speakers: ["nadia-haddad", "sanna-virtanen"],
  },
  {
    slug: "designing-rotors-that-come-apart",
    title: "Motor Design for Recyclability: Designing Rotors That Come Apart",
    kind: "TALK",
    track: MOTORS,
    startsAt: at(2, "13:30"),
    endsAt: at(2, "14:15"),
    summary:
      "Glued, potted and sleeved rotors are efficient but nearly impossible to recycle economically. Pieter de Vries presents design-for-disassembly concepts (mechanically retained magnets, removable end caps and marked magnet grades) and shows how they change recovery rates and cost on a pilot disassembly line.",
    speakers: ["pieter-de-vries"],
  },
  {
    slug: "price-discovery-ndpr-and-dysprosium",
    title: "Price Discovery for NdPr and Dysprosium Oxide: Do We Need a Non-China Benchmark?",
    kind: "PANEL",
    track: MINE,
    startsAt: at(2, "14:15"),
    endsAt: at(2, "15:00"),
    summary:
      "Most rare earth contracts still reference Chinese domestic prices, which can sit far below the cost of producing elsewhere. Panellists debate price floors, cost-plus offtakes, exchange-traded contracts and the premium buyers will pay for traceable material from outside China, and who should carry the price risk while new supply ramps up.",
    speakers: ["lucas-moreau", "tomas-novak", "isabelle-fontaine", "rahul-khanna"],
  },
  {
    slug: "servo-motors-and-magnet-price-volatility",
    title: "Servo Motors for Automation: Managing Magnet Price Volatility in Fixed-Price Contracts",
    kind: "TALK",
    track: MOTORS,
    startsAt: at(2, "14:15"),
    endsAt: at(2, "15:00"),
    summary:
      "A servo motor maker quoting three-year fixed prices is in effect writing an option on NdPr and Dy. Tariq Hussain explains index-linked pricing clauses, safety-stock policy, grade flexibility on magnet drawings, and the hedging tools open to a mid-sized automation supplier.",
    speakers: ["tariq-hussain"],
  },
  {
    slug: "afternoon-coffee-day-2",
    title: "Afternoon Coffee",
    kind: "BREAK",
    startsAt: at(2, "15:00"),
    endsAt: at(2, "15:30"),
    summary: "Coffee and snacks in the exhibition area.",
  },

  // Slot 5, 15:30-16:15 (two sessions still being confirmed: drafts, hidden from the public site)
  {
    slug: "regional-spotlight-atlantic-canada",
    title: "Regional Spotlight: Rare Earth Projects in Atlantic Canada",
    kind: "TALK",
    track: MINE,
    startsAt: at(2, "15:30"),
    endsAt: at(2, "16:15"),
    draft: true,
    summary:
      "A rapid-fire update on rare earth exploration and processing projects in Nova Scotia, New Brunswick and Newfoundland and Labrador, including shared infrastructure and port access. Line-up to be confirmed by the programme committee.",
    speakers: ["claire-beaulieu"],
  },
  {
    slug: "traceability-and-magnet-passports",
    title: "Traceability and Magnet Passports: Proving Origin from Mine to Rotor",
    kind: "TALK",
    track: MAGNETS,
    startsAt: at(2, "15:30"),
    endsAt: at(2, "16:15"),
    summary:
      "Buyers, regulators and tariff rules increasingly ask where the rare earths in a magnet came from. Amara Diallo and Emeka Nwosu describe a chain-of-custody pilot that followed material from concentrate to finished magnet using mass-balance accounting, isotopic fingerprinting and digital product passports, and what it cost per kilogram of magnet.",
    speakers: ["amara-diallo", "emeka-nwosu"],
  },
  {
    slug: "sponsor-showcase-integrated-drive-units",
    title: "Sponsor Showcase: Next-Generation Integrated Drive Units",
    kind: "TALK",
    track: MOTORS,
    startsAt: at(2, "15:30"),
    endsAt: at(2, "16:15"),
    draft: true,
    summary:
      "A sponsor presentation on integrated e-axles and drive units for light commercial vehicles and robots. Presenting company and speaker to be confirmed.",
  },

  {
    slug: "financing-the-mine-to-magnet-chain",
    title: "Financing the Mine-to-Magnet Chain: Offtakes, Price Floors and Patient Capital",
    kind: "PANEL",
    startsAt: at(2, "16:30"),
    endsAt: at(2, "17:15"),
    summary:
      "Rare earth projects need large, long-dated capital for assets whose product prices are set elsewhere. A venture investor puts a mine developer, a fund manager and a public lender on the spot: what makes a project financeable today, from binding offtakes and government price floors to equity from OEMs, and how public lenders can bring private capital in rather than crowd it out.",
    speakers: ["gabriel-santos", "henrik-lindqvist", "isabelle-fontaine", "ruth-abebe"],
  },
  {
    slug: "closing-remarks",
    title: "Closing Remarks: Priorities for the Chain to 2030",
    kind: "KEYNOTE",
    startsAt: at(2, "17:15"),
    endsAt: at(2, "17:40"),
    summary:
      "Dr. Miriam Okafor draws together the threads of the two days: the commitments made on stage, the bottlenecks named most often, and three priorities for the chain before we next meet. Followed by closing drinks.",
    speakers: ["miriam-okafor"],
  },
  {
    slug: "closing-drinks",
    title: "Closing Drinks",
    kind: "NETWORKING",
    startsAt: at(2, "17:45"),
    endsAt: at(2, "18:45"),
    summary: "One last round of conversations in the Plenary Hall foyer before delegates head home.",
  },
];

export const SESSIONS: SessionSeed[] = [...DAY_1, ...DAY_2];

// ---------------------------------------------------------------------------------------------
// Sponsors

export const SPONSOR_TIERS = defineTiers([
  {
    name: "Platinum",
    rank: 1,
    includesAttendeeList: true,
    benefits: [
      "Premium 6 m × 3 m booth at the Plenary Hall entrance",
      "A speaking slot in a plenary panel",
      "Logo on stage screens, lanyards and delegate emails",
      "Six Full Delegate Passes",
      "List of attendees who opted in to sponsor contact",
    ],
  },
  {
    name: "Gold",
    rank: 2,
    includesAttendeeList: true,
    benefits: [
      "4 m × 3 m booth in the main exhibition",
      "A speaking slot in a parallel track",
      "Logo on stage screens and the event website",
      "Four Full Delegate Passes",
      "List of attendees who opted in to sponsor contact",
    ],
  },
  {
    name: "Silver",
    rank: 3,
    includesAttendeeList: false,
    benefits: [
      "3 m × 2 m booth in the exhibition",
      "Logo on the event website and venue signage",
      "Two Full Delegate Passes",
      "Badge scanning at the booth",
    ],
  },
  {
    name: "Exhibitor",
    rank: 4,
    includesAttendeeList: false,
    benefits: ["Table-top exhibition space", "Listing on the event website", "One Full Delegate Pass"],
  },
]);
export type TierName = (typeof SPONSOR_TIERS)[number]["name"];

// Accents are dark enough to read as text on white; each logo in public/sponsors uses its accent.
export const SPONSORS: SponsorSeed[] = [
  {
    slug: "polaris-magnetics",
    name: "Polaris Magnetics",
    tier: "Platinum",
    description:
      "Polaris Magnetics makes sintered NdFeB magnets for traction motors, wind generators and industrial drives at plants in Ontario and Ohio. Its low-heavy-rare-earth and dysprosium-free grades use grain boundary diffusion and fine-grain processing to cut Dy and Tb content without giving up temperature rating.",
    website: "https://polaris-magnetics.example",
    accent: "#1E3A8A",
    booth: "P1",
  },
  {
    slug: "boreal-rare-metals",
    name: "Boreal Rare Metals",
    tier: "Platinum",
    description:
      "Boreal Rare Metals is developing a permitted hard-rock rare earth deposit in northern Québec, with an on-site concentrator and a separation partnership in Ontario. The project targets NdPr and a meaningful share of dysprosium and terbium for North American magnet makers.",
    website: "https://boreal-rare-metals.example",
    accent: "#0F766E",
    booth: "P2",
  },
  {
    slug: "voltera-drive-systems",
    name: "Voltera Drive Systems",
    tier: "Gold",
    description:
      "Voltera designs and builds electric drive units, traction motors and inverters for passenger and commercial vehicles. Its engineering centres in Michigan and Ontario specialise in motor designs that need little or no heavy rare earth.",
    website: "https://voltera-drive.example",
    accent: "#6D28D9",
    booth: "G1",
  },
  {
    slug: "meridian-rare-earth-refining",
    name: "Meridian Rare Earth Refining",
    tier: "Gold",
    description:
      "Meridian operates a solvent-extraction plant that separates third-party concentrates into NdPr oxide and a mixed heavy rare earth product. It offers tolling and long-term supply agreements to miners and magnet makers.",
    website: "https://meridian-refining.example",
    accent: "#B91C1C",
    booth: "G2",
  },
  {
    slug: "hydrometrix-process-engineering",
    name: "Hydrometrix Process Engineering",
    tier: "Gold",
    description:
      "Hydrometrix is an engineering firm specialising in hydrometallurgy, from testwork and piloting to the detailed design of leaching and separation plants. It has delivered rare earth, lithium and nickel projects on four continents.",
    website: "https://hydrometrix.example",
    accent: "#0369A1",
    booth: "G3",
  },
  {
    slug: "second-loop-magnet-recycling",
    name: "Second Loop Magnet Recycling",
    tier: "Silver",
    description:
      "Second Loop recovers rare earths from magnet swarf, production rejects and end-of-life motors using hydrogen processing and hydrometallurgy. Its recycled alloy powder and oxides go back into the magnet supply chain.",
    website: "https://second-loop.example",
    accent: "#15803D",
    booth: "S1",
  },
  {
    slug: "tsubame-magnetic-materials",
    name: "Tsubame Magnetic Materials",
    tier: "Silver",
    description:
      "Tsubame develops advanced magnetic materials, including cerium-substituted NdFeB, bonded-magnet compounds and rare-earth-free candidates. It licenses processes and supplies powders to magnet makers.",
    website: "https://tsubame-materials.example",
    accent: "#BE185D",
    booth: "S2",
  },
  {
    slug: "greystone-critical-minerals-fund",
    name: "Greystone Critical Minerals Fund",
    tier: "Silver",
    description:
      "Greystone is a private capital fund investing in critical minerals projects from feasibility to production. It pairs equity with offtake structuring to help projects reach a financing decision.",
    website: "https://greystone-fund.example",
    accent: "#374151",
    booth: "S3",
  },
  {
    slug: "kinetra-automation",
    name: "Kinetra Automation",
    tier: "Silver",
    description:
      "Kinetra builds industrial robots, motion-control systems and servo drives for manufacturing and logistics. It buys servo motors and permanent magnets in volume and runs a dual-sourcing programme for both.",
    website: "https://kinetra-automation.example",
    accent: "#C2410C",
    booth: "S4",
  },
  {
    slug: "tessellate-motors",
    name: "Tessellate Motors",
    tier: "Exhibitor",
    description:
      "Tessellate designs and manufactures axial-flux motors with Halbach-array rotors for aviation, robotics and performance vehicles. Come and see a sectioned lift motor at the booth.",
    website: "https://tessellate-motors.example",
    accent: "#4338CA",
    booth: "E8",
  },
  {
    slug: "granite-alloys",
    name: "Granite Alloys",
    tier: "Exhibitor",
    description:
      "Granite Alloys produces rare earth metals and NdFeB strip-cast alloy by molten-salt electrolysis and vacuum casting. It supplies magnet makers outside China from its plant in Ontario.",
    website: "https://granite-alloys.example",
    accent: "#57534E",
    booth: "E9",
  },
  {
    slug: "northshore-separation-technologies",
    name: "Northshore Separation Technologies",
    tier: "Exhibitor",
    description:
      "Northshore develops ion-exchange and continuous chromatography systems for high-purity heavy rare earth separation. Its modular units range from pilot scale to small commercial plants.",
    website: "https://northshore-separation.example",
    accent: "#0E7490",
    booth: "E10",
  },
  {
    slug: "corvid-permanent-magnets",
    name: "Corvid Permanent Magnets",
    tier: "Exhibitor",
    description:
      "Corvid manufactures sintered and bonded magnets and magnet assemblies. Its applications engineers help motor designers choose grades, coatings and test plans.",
    website: "https://corvid-magnets.example",
    accent: "#1F2937",
    booth: "E11",
  },
  {
    slug: "gaussline-instruments",
    name: "Gaussline Instruments",
    tier: "Exhibitor",
    description:
      "Gaussline makes hysteresisgraphs, fluxmeters and magnetisers for magnet production lines and incoming inspection. Bring a sample to the booth for a live measurement.",
    website: "https://gaussline.example",
    accent: "#A16207",
    booth: "E12",
  },
];

// ---------------------------------------------------------------------------------------------
// Tickets. No sales windows: the event is past in this environment, and the ticket page stays
// usable as a demo. Prices are in CAD cents, before HST.

const DELEGATE_INCLUDES = [
  "All keynotes, panels and track sessions on 9 and 10 September",
  "Workshops, subject to room capacity",
  "Lunch and coffee breaks on both days",
  "Welcome reception on 9 September",
  "Closing drinks on 10 September",
];

export const TICKET_TYPES = defineTicketTypes([
  {
    slug: "early-bird-delegate",
    name: "Early Bird Delegate",
    description:
      "The full two-day delegate pass at a reduced rate. Early-bird pricing is limited to the first 100 passes; once they are gone, the Full Delegate Pass price applies.",
    includes: DELEGATE_INCLUDES,
    priceCents: 119_500,
    capacity: 100,
    position: 0,
  },
  {
    slug: "full-delegate-pass",
    name: "Full Delegate Pass",
    description: "Two days of keynotes, plenary panels, all three tracks and the workshops, with meals and evening events.",
    includes: DELEGATE_INCLUDES,
    priceCents: 149_500,
    capacity: 400,
    position: 1,
  },
  {
    slug: "academic-and-government",
    name: "Academic & Government",
    description:
      "A full delegate pass for staff of universities, public research institutes and government agencies. Please register with your institutional email address; we may ask for proof of eligibility.",
    includes: DELEGATE_INCLUDES,
    priceCents: 69_500,
    capacity: 60,
    position: 2,
  },
  {
    slug: "startup-pass",
    name: "Startup Pass",
    description:
      "A full delegate pass for companies less than five years old with fewer than 25 employees. Limited to two passes per order.",
    includes: DELEGATE_INCLUDES,
    priceCents: 49_500,
    capacity: 40,
    position: 3,
    maxPerOrder: 2,
  },
  {
    slug: "investor-pass",
    name: "Investor Pass",
    description:
      "By invitation, with an access code. Everything in the Full Delegate Pass, plus the investor lounge and pre-arranged one-to-one meetings with project developers.",
    includes: [...DELEGATE_INCLUDES, "Investor lounge on both days", "Pre-arranged one-to-one meetings with project developers"],
    priceCents: 199_500,
    capacity: 30,
    position: 4,
    isPublic: false,
  },
  {
    slug: "welcome-reception-only",
    name: "Welcome Reception Only",
    description: "Join the welcome reception on the evening of 9 September without attending the sessions.",
    includes: ["Welcome reception on 9 September, 18:30 to 21:00", "Drinks and canapés"],
    priceCents: 15_000,
    capacity: 120,
    position: 5,
  },
]);
export type TicketTypeSlug = (typeof TICKET_TYPES)[number]["slug"];

// Amounts: PERCENT in basis points (10000 = free), FIXED in cents.
export const DISCOUNT_CODES: DiscountSeed[] = [
  { code: "MAGNET15", kind: "PERCENT", amount: 1_500, maxUses: 100 },
  { code: "SPEAKERGUEST", kind: "PERCENT", amount: 10_000, maxUses: 40 },
  { code: "TEAM200", kind: "FIXED", amount: 20_000, maxUses: 25 },
  // Takes nothing off; it exists to unlock the code-only Investor Pass.
  { code: "INVESTOR", kind: "PERCENT", amount: 0, maxUses: null, ticketTypes: ["investor-pass"] },
];

export const ORGANISER_NAME = "Event Organiser";
