"""The demo catalog: a nested genre tree and a few hundred plausible books.

Everything comes from one seeded random generator, so every run on every machine yields the same
titles, ISBNs, prices and stock; that is what lets `seed_demo` recognise what it created before.
Pure data, no database access: the management command does the writes through catalog.services.
"""

import random
import re
from dataclasses import dataclass
from decimal import Decimal

from .isbn import isbn13_from_prefix

DEFAULT_SEED = 20250101
MIN_PRICE = Decimal("7.99")
MAX_PRICE = Decimal("59.00")
# 979-8 is a real registration group; the next "8" keeps demo ISBNs apart from the test factories'.
ISBN_PREFIX = "97988"


@dataclass(frozen=True)
class GenreSpec:
    slug: str
    name: str
    parent_slug: str | None


@dataclass(frozen=True)
class BookSpec:
    title: str
    author: str
    isbn: str
    description: str
    price: Decimal
    stock: int
    genre_slug: str


def _words(text: str) -> list[str]:
    return text.split("|")


# (slug, name, parent slug), parents first.
GENRES = [
    GenreSpec(*row)
    for row in [
        ("fiction", "Fiction", None),
        ("mystery", "Mystery", "fiction"),
        ("cozy-mystery", "Cozy Mystery", "mystery"),
        ("police-procedural", "Police Procedural", "mystery"),
        ("science-fiction", "Science Fiction", "fiction"),
        ("space-opera", "Space Opera", "science-fiction"),
        ("cyberpunk", "Cyberpunk", "science-fiction"),
        ("fantasy", "Fantasy", "fiction"),
        ("epic-fantasy", "Epic Fantasy", "fantasy"),
        ("urban-fantasy", "Urban Fantasy", "fantasy"),
        ("literary-fiction", "Literary Fiction", "fiction"),
        ("historical-fiction", "Historical Fiction", "fiction"),
        ("romance", "Romance", "fiction"),
        ("thriller", "Thriller", "fiction"),
        ("non-fiction", "Non-fiction", None),
        ("history", "History", "non-fiction"),
        ("ancient-history", "Ancient History", "history"),
        ("modern-history", "Modern History", "history"),
        ("science", "Science", "non-fiction"),
        ("physics-astronomy", "Physics & Astronomy", "science"),
        ("biology", "Biology", "science"),
        ("biography-memoir", "Biography & Memoir", "non-fiction"),
        ("business", "Business & Economics", "non-fiction"),
        ("cooking", "Cooking", "non-fiction"),
        ("travel", "Travel", "non-fiction"),
        ("childrens", "Children's", None),
        ("picture-books", "Picture Books", "childrens"),
        ("middle-grade", "Middle Grade", "childrens"),
        ("young-adult", "Young Adult", "childrens"),
        ("poetry", "Poetry", None),
    ]
]

# Words every theme may use.
COMMON_WORDS = {
    "name": _words(
        "Agnes|Theo|Marguerite|Felix|Ines|Rafael|Harriet|Tomasz|Odile|Jonah|Priya|Elias|Maeve|Kofi|Lena"
        "|August|Yara|Silas|Noor|Wren"
    ),
    "town": _words(
        "Little Hadley|Port Averill|Kestrel Bay|Millbrook|Saint Elowen|Harrowgate|Lower Fenwick|Ashcombe"
        "|Greywater|Marlow Cross"
    ),
    "city": _words(
        "Lisbon|Vienna|Marseille|Calcutta|Buenos Aires|Edinburgh|Trieste|Kyoto|Alexandria|Prague"
        "|Chicago|Odessa"
    ),
    "adj": _words(
        "Silent|Crooked|Hollow|Gilded|Burning|Forgotten|Winter|Scarlet|Quiet|Borrowed|Distant|Salt|Iron"
        "|Paper|Midnight|Last"
    ),
    "season": _words("Winter|Summer|Autumn|Spring|Harvest"),
}

# Per theme: title and description templates, and the words their {slots} draw from.
# Within one book a slot keeps its word, so the description talks about what the title names;
# {slot_lc} is the same word in lower case.
THEMES = {
    "cozy": {
        "titles": [
            "Murder at the {shop}",
            "{food} and {crime}",
            "The {shop} Sleuth",
            "{food} to Die For",
            "Death by {food}",
            "The {adj} Teapot",
        ],
        "descriptions": [
            "{name} only wanted to run the {shop_lc} in {town} in peace, until a customer turned up dead "
            "behind the counter.",
            "When the judge of the {town} bake-off collapses after tasting the {food_lc}, {name} has three "
            "days to clear the family name.",
        ],
        "shop": _words("Bookshop|Tea Room|Bakery|Flower Stall|Antique Shop|Cheese Shop"),
        "food": _words("Scones|Shortbread|Lemon Tart|Cinnamon Buns|Plum Jam|Fudge|Crumpets"),
        "crime": _words("Scandal|Suspicion|Poison|Alibis|Blackmail|Burglary"),
    },
    "procedural": {
        "titles": [
            "The {adj} Witness",
            "Cold Case in {city}",
            "The {street} Killings",
            "Body in the {place}",
            "{adj} Evidence",
            "The Night Shift",
        ],
        "descriptions": [
            "Detective Inspector {name} inherits a case nobody wanted: a body in the {place_lc}, no "
            "identification and a witness who has vanished.",
            "Twenty years after the {street} killings, a new murder in {city} matches the old pattern "
            "exactly, down to details never made public.",
        ],
        "street": _words("Canal Street|Harbour Road|Mercer Lane|Old Kent Road|Station Row"),
        "place": _words("Reservoir|Quarry|Boathouse|Archive|Car Park|Chapel"),
    },
    "space_opera": {
        "titles": [
            "The {ship} Gambit",
            "Beyond the {cosmic}",
            "{planet} Rising",
            "The Last Fleet of {planet}",
            "Children of the {cosmic}",
            "The {adj} Armada",
        ],
        "descriptions": [
            "Captain {name} commands the {ship}, the oldest ship in the fleet and the only one still able "
            "to reach {planet} before the blockade closes.",
            "A thousand years after the empire of the {cosmic} collapsed, a salvage crew near {planet} "
            "finds a ship that still answers to its old codes.",
        ],
        "ship": _words("Meridian|Halcyon|Perihelion|Starwake|Corsair|Lodestar"),
        "cosmic": _words("Dark Nebula|Outer Rim|Void|Long Night|Binary Suns|Drift"),
        "planet": _words("Tessaly|Orun|Kepler's Reach|Vantor|Aurelia|Nyx Prime"),
    },
    "cyberpunk": {
        "titles": [
            "{neon} City",
            "The {tech} Protocol",
            "Ghosts in the {tech}",
            "{neon} Static",
            "Zero {tech}",
            "The Chrome {job}",
        ],
        "descriptions": [
            "In a megacity owned by three corporations, {name} steals memories for a living, until one of "
            "them turns out to be a stolen childhood.",
            "A burned-out {job_lc} takes one last job: carry a stolen AI across a city that wants it back.",
        ],
        "neon": _words("Neon|Acid|Glass|Cobalt|Signal"),
        "tech": _words("Machine|Network|Wetware|Grid|Firewall|Kernel"),
        "job": _words("Courier|Hacker|Fixer|Runner|Broker"),
    },
    "epic_fantasy": {
        "titles": [
            "The {adj} Crown",
            "{realm}: The First Age",
            "A Song of {element}",
            "The Heir of {realm}",
            "The {element} Throne",
            "Oath of the {order}",
        ],
        "descriptions": [
            "When the {order} falls, the last heir of {realm} must cross the {element_lc} wastes with a "
            "thief, a disgraced knight and a map no one can read.",
            "Magic is leaving {realm}, and {name}, a village healer sworn to the {order}, may be the reason.",
        ],
        "realm": _words("Valdmere|Ostrava|Caer Lune|the Ninefold Kingdom|Elderwyck|Thornhold"),
        "element": _words("Ash|Storm|Ember|Frost|Stone|Shadow"),
        "order": _words("Silver Order|Grey Council|Dragonguard|Lantern Guild|Iron Watch"),
    },
    "urban_fantasy": {
        "titles": [
            "{creature}s of {city}",
            "The {adj} Hex",
            "Night Market",
            "A Witch in {city}",
            "The {creature} Next Door",
            "Bound in {adj} Ink",
        ],
        "descriptions": [
            "{name} runs a pawn shop for magical objects in {city}, and someone is buying up every cursed "
            "item in the shop.",
            "The {creature_lc}s of {city} have kept a truce for a century. A dead body on the tram line ends "
            "it overnight.",
        ],
        "creature": _words("Vampire|Pixie|Werewolf|Ghost|Changeling|Gargoyle"),
    },
    "literary": {
        "titles": [
            "The {season} House",
            "What the {keeper} Kept",
            "A {adj} Inheritance",
            "The Orchard at {town}",
            "All the {adj} Rooms",
            "Small Hours",
        ],
        "descriptions": [
            "Three siblings return to the family house in {town} for one last {season_lc}, and to the "
            "question none of them has asked in twenty years.",
            "A quiet, luminous novel about {name}, a {keeper_lc} in {city}, and the letters never sent.",
        ],
        "keeper": _words("Gardener|Lighthouse Keeper|Archivist|Ferryman|Translator|Clockmaker"),
    },
    "historical": {
        "titles": [
            "The {trade}'s Daughter",
            "{city}, {year}",
            "The {adj} Winter of {year}",
            "A Map of {city}",
            "The Last {trade} of {city}",
        ],
        "descriptions": [
            "{city}, {year}. As the city braces for war, {name}, a young {trade_lc}, hides a stranger who "
            "carries a dangerous secret.",
            "Based on true events, a sweeping story of two families in {city} between {year} and the end of "
            "an empire.",
        ],
        "trade": _words("Watchmaker|Printer|Bookbinder|Silk Weaver|Glassblower|Cartographer"),
        "year": _words("1848|1871|1905|1914|1929|1938|1944"),
    },
    "romance": {
        "titles": [
            "{season} in {city}",
            "The {adj} Proposal",
            "Love at the {venue}",
            "One {season} Promise",
            "Second Chances in {town}",
            "The Wedding Planner's {adj} Mistake",
        ],
        "descriptions": [
            "{name} swore never to go back to {town}, but the {venue} needs saving and the new owner is "
            "the one who got away.",
            "Two rival florists, one {season_lc} wedding in {city} and no room for mistakes.",
        ],
        "venue": _words("Lighthouse Inn|Vineyard|Bookshop|Ski Lodge|Harbour Cafe"),
    },
    "thriller": {
        "titles": [
            "The {code} Protocol",
            "{number} Hours",
            "Dead Drop",
            "The {adj} Asset",
            "Kill Switch",
            "The {code} Directive",
        ],
        "descriptions": [
            "A former intelligence officer has {number_lc} hours to find the leak before the names of every "
            "agent in {city} go on sale.",
            "{name} wakes up in a {city} hotel with no memory, a stranger's passport and a message signed "
            "{code}: trust no one.",
        ],
        "code": _words("Cassandra|Nightjar|Obsidian|Meridian|Kestrel|Icarus"),
        "number": _words("Forty-Eight|Twelve|Seventy-Two|Six|Twenty-Four"),
    },
    "ancient": {
        "titles": [
            "{empire}: A New History",
            "The Rise and Fall of {empire}",
            "Lost Cities of {region}",
            "Daily Life in {empire}",
            "The {adj} Age of {empire}",
        ],
        "descriptions": [
            "Drawing on new archaeological finds, this history shows how {empire} was built by farmers, "
            "merchants and slaves as much as by kings.",
            "From the first settlements of {region} to the last ruler of {empire}, an accessible and "
            "gripping account of the ancient world.",
        ],
        "empire": _words("Rome|Persia|Carthage|Babylon|Byzantium|Egypt"),
        "region": _words("Mesopotamia|the Aegean|the Indus Valley|Anatolia|the Nile"),
    },
    "modern_history": {
        "titles": [
            "The Year {year}",
            "{city} Under Siege",
            "The Long {decade}",
            "Empire of {commodity}",
            "The {adj} Revolution",
        ],
        "descriptions": [
            "A vivid account of {city} in {year}, told through the diaries of those who lived it.",
            "How {commodity_lc} remade the modern world: trade, war and the people caught between them.",
        ],
        "year": _words("1789|1848|1917|1945|1968|1989"),
        "decade": _words("Twenties|Sixties|Nineteenth Century|Peace"),
        "commodity": _words("Cotton|Sugar|Oil|Tea|Rubber|Salt"),
    },
    "physics": {
        "titles": [
            "The {adj} Universe",
            "A Brief Tour of {topic}",
            "{topic} for the Curious",
            "Seven Lessons on {topic}",
            "Beyond the {topic} Horizon",
        ],
        "descriptions": [
            "A leading physicist explains {topic_lc} without equations, and why it still puzzles the people "
            "who study it.",
            "From the Big Bang to the fate of the stars, a clear and witty guide to {topic_lc}.",
        ],
        "topic": _words("Black Holes|Time|Quantum Mechanics|Dark Matter|Gravity|Light"),
    },
    "biology": {
        "titles": [
            "The Secret Life of {organism}",
            "{organism}: A Natural History",
            "The {adj} Gene",
            "Why {organism} Matter",
            "The Hidden Kingdom",
        ],
        "descriptions": [
            "An eye-opening look at {organism_lc}, the creatures that quietly run the planet.",
            "A biologist's journey through evolution, from the first cell to the {organism_lc} in your "
            "garden.",
        ],
        "organism": _words("Fungi|Trees|Octopuses|Bees|Birds|Microbes|Whales"),
    },
    "biography": {
        "titles": [
            "{person}: A Life",
            "The Making of {person}",
            "My Years in {city}",
            "Notes from {city}",
            "Becoming {person}",
        ],
        "descriptions": [
            "The definitive biography of {person}, drawing on letters and interviews never published before.",
            "A candid, funny memoir of growing up in {city} and finding a way out.",
        ],
        "person": _words(
            "Ada Lovelace|Nikola Tesla|Marie Curie|Frida Kahlo|Charles Darwin|Rosalind Franklin"
            "|Louis Armstrong"
        ),
    },
    "business": {
        "titles": [
            "The {adj} Company",
            "{number} Rules for {goal}",
            "Thinking in {concept}",
            "The {concept} Advantage",
            "Small Is {quality}",
        ],
        "descriptions": [
            "Based on a decade of research, a practical guide to {goal_lc} in a world that keeps changing.",
            "Why some companies thrive on {concept_lc} while others collapse, with lessons for every "
            "manager.",
        ],
        "number": _words("Seven|Ten|Twelve|Five"),
        "goal": _words("Better Decisions|Calm Leadership|Lasting Growth|Deep Work|Fair Negotiation"),
        "concept": _words("Systems|Bets|Networks|Habits|Margins"),
        "quality": _words("Profitable|Beautiful|Resilient"),
    },
    "cooking": {
        "titles": [
            "The {cuisine} Kitchen",
            "Simple {dish}",
            "{season} Suppers",
            "A Year of {dish}",
            "Salt, Fat and {ingredient}",
        ],
        "descriptions": [
            "More than a hundred recipes from the {cuisine} home kitchen, with stories from the cooks who "
            "shared them.",
            "Everyday {dish_lc} that take thirty minutes or less, built around {ingredient_lc} and a "
            "well-stocked pantry.",
        ],
        "cuisine": _words("Lebanese|Sicilian|Korean|Mexican|Persian|Basque|Vegetarian"),
        "dish": _words("Soups|Bakes|Salads|Noodles|One-Pot Dinners|Breads"),
        "ingredient": _words("Lemons|Garlic|Herbs|Smoke|Spice"),
    },
    "travel": {
        "titles": [
            "Walking the {route}",
            "{region} on Foot",
            "The Slow Road to {city}",
            "A Year in {region}",
            "Islands of {region}",
        ],
        "descriptions": [
            "A thousand kilometres along the {route}, with the people, food and weather met along the way.",
            "An affectionate, opinionated guide to {region} for travellers who like to take their time.",
        ],
        "route": _words("Camino|Silk Road|Pennine Way|Danube|Appalachian Trail"),
        "region": _words("Patagonia|the Balkans|Hokkaido|the Hebrides|Andalusia|Norway"),
    },
    "picture": {
        "titles": [
            "{animal} Can't Sleep",
            "The {adj} {animal}",
            "Where Is {animal}?",
            "{animal} and the Big Storm",
            "Good Night, {animal}",
        ],
        "descriptions": [
            "A bedtime story about a little {animal_lc} who is not tired at all. Not one bit.",
            "Bright pictures and a rhyming text follow {animal} on a very busy day.",
        ],
        "animal": _words("Bear|Owl|Hedgehog|Fox|Mouse|Otter|Penguin"),
    },
    "middle_grade": {
        "titles": [
            "{name} and the {object} of {place}",
            "The Secret of {place}",
            "The {adj} Map",
            "{name} Saves the Day",
            "The Museum at Midnight",
        ],
        "descriptions": [
            "Eleven-year-old {name} finds a {object_lc} in the attic and a door to {place} that should not "
            "be there.",
            "Summer in {town} was meant to be boring, until {name} and two cousins found the {object_lc}.",
        ],
        "object": _words("Clockwork Key|Lost Compass|Silver Locket|Dragon Egg|Star Chart"),
        "place": _words("Hollow Hill|Fogmoor|the Sunken Library|Whistle Wood|Mercy Lane"),
    },
    "young_adult": {
        "titles": [
            "The Girl Who {deed}",
            "{adj} Hearts",
            "We Were {adj}",
            "All of Us {adj}",
            "The Boy Who {deed}",
        ],
        "descriptions": [
            "{name} has one summer to find out what happened to the missing lifeguard, and the whole town "
            "is lying.",
            "Two teenagers on opposite sides of {city} discover they share the same dream.",
        ],
        "deed": _words("Stole the Stars|Fell Through Time|Spoke to Ghosts|Raced the Tide|Lied"),
    },
    "poetry": {
        "titles": [
            "{noun} and {noun}: Poems",
            "Field Notes on {noun}",
            "The {adj} Hour",
            "Ordinary {noun}",
            "Salt and Honey",
        ],
        "descriptions": [
            "A debut collection of poems about {noun_lc}, family and the places we leave.",
            "New and selected poems, moving from grief to an unexpected, hard-won joy.",
        ],
        "noun": _words("Rain|Tides|Orchards|Bones|Lanterns|Rivers|Bread|Birds"),
    },
}

# Genre slug -> (theme, share of the catalog, price band in whole dollars).
SHELVES = {
    "cozy-mystery": ("cozy", 14, (9, 17)),
    "police-procedural": ("procedural", 12, (10, 26)),
    "mystery": ("procedural", 6, (10, 24)),
    "space-opera": ("space_opera", 14, (9, 28)),
    "cyberpunk": ("cyberpunk", 9, (9, 24)),
    "epic-fantasy": ("epic_fantasy", 14, (10, 34)),
    "urban-fantasy": ("urban_fantasy", 9, (9, 20)),
    "literary-fiction": ("literary", 14, (14, 30)),
    "historical-fiction": ("historical", 12, (12, 28)),
    "romance": ("romance", 12, (7, 16)),
    "thriller": ("thriller", 14, (9, 27)),
    "ancient-history": ("ancient", 9, (18, 45)),
    "modern-history": ("modern_history", 10, (16, 42)),
    "physics-astronomy": ("physics", 9, (15, 38)),
    "biology": ("biology", 9, (15, 36)),
    "biography-memoir": ("biography", 11, (14, 35)),
    "business": ("business", 9, (18, 40)),
    "cooking": ("cooking", 10, (20, 58)),
    "travel": ("travel", 8, (14, 30)),
    "picture-books": ("picture", 9, (7, 16)),
    "middle-grade": ("middle_grade", 10, (7, 15)),
    "young-adult": ("young_adult", 11, (9, 19)),
    "poetry": ("poetry", 7, (10, 24)),
}

FIRST_NAMES = _words(
    "Anna|Ben|Clara|David|Elena|Farid|Grace|Hugo|Iris|James|Kasia|Liam|Mina|Nathan|Olivia|Pablo|Rosa"
    "|Samuel|Tessa|Viktor|Zoe|Amara|Daniel|Helen|Kenji|Laura|Martin|Nadia|Oscar|Sofia"
)
LAST_NAMES = _words(
    "Abbott|Brennan|Castillo|Delacroix|Ellison|Fontaine|Garrow|Hartley|Ivanova|Jensen|Kowalski|Lindqvist"
    "|Moreau|Nakamura|Okafor|Pemberton|Quinn|Ravensworth|Sato|Thorne|Underwood|Vasquez|Whitlock|Yilmaz"
    "|Ashdown|Blackwood|Carver|Dunmore|Everly|Fairchild"
)
# A handful of authors per shelf, so an author's page lists several books, as in a real shop.
AUTHORS_PER_SHELF = 5
PRICE_ENDINGS = [Decimal("0.99"), Decimal("0.99"), Decimal("0.95"), Decimal("0.50"), Decimal("0.00")]
CLOSING_SENTENCES = [
    "A book readers finish in one sitting and think about for weeks.",
    "Warm, sharp and impossible to put down.",
    "The first in a series that has found readers all over the world.",
    "Now in paperback, with a new afterword by the author.",
    "Winner of the Booksellers' Choice award.",
    "",
]

_SLOT = re.compile(r"\{(\w+?)(_lc)?\}")


class _BookWords:
    """Fills templates for one book: the n-th {slot} of a template always gets the n-th word drawn
    for that slot, so title and description agree and "{noun} and {noun}" gets two different words."""

    def __init__(self, words: dict[str, list[str]], rng: random.Random):
        self.words, self.rng, self.drawn = words, rng, {}

    def fill(self, template: str) -> str:
        seen: dict[str, int] = {}

        def word(match: re.Match) -> str:
            slot, lower = match.group(1), match.group(2)
            index = seen[slot] = seen.get(slot, -1) + 1
            drawn = self.drawn.setdefault(slot, self.rng.sample(self.words[slot], len(self.words[slot])))
            return drawn[index].lower() if lower else drawn[index]

        return _SLOT.sub(word, template)


def _price(rng: random.Random, band: tuple[int, int]) -> Decimal:
    price = Decimal(rng.randint(*band)) + rng.choice(PRICE_ENDINGS)
    return min(max(price, MIN_PRICE), MAX_PRICE)


def _stock(rng: random.Random) -> int:
    """About one book in eight sold out, some running low, the rest comfortably stocked."""
    roll = rng.random()
    if roll < 0.12:
        return 0
    if roll < 0.25:
        return rng.randint(1, 4)
    return rng.randint(5, 40)


def _title_and_description(theme: dict, rng: random.Random, taken: set[str]) -> tuple[str, str]:
    """A title no earlier book has (a few redraws, then a volume number) and a matching blurb."""
    for _attempt in range(20):
        book_words = _BookWords(COMMON_WORDS | theme, rng)
        title = book_words.fill(rng.choice(theme["titles"]))
        if title not in taken:
            break
    else:
        title = f"{title}, Volume {sum(t.startswith(title) for t in taken) + 1}"
    blurb = book_words.fill(rng.choice(theme["descriptions"]))
    return title, f"{blurb} {rng.choice(CLOSING_SENTENCES)}".strip()


def demo_books(*, count: int, seed: int = DEFAULT_SEED) -> list[BookSpec]:
    """`count` books spread over the shelves in proportion to their share; same input, same books."""
    rng = random.Random(seed)
    authors = {
        slug: [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(AUTHORS_PER_SHELF)]
        for slug in SHELVES
    }
    slugs = list(SHELVES)
    shares = [share for _theme, share, _band in SHELVES.values()]
    titles: set[str] = set()
    books = []
    for number in range(count):
        slug = rng.choices(slugs, shares)[0]
        theme, _share, band = SHELVES[slug]
        title, description = _title_and_description(THEMES[theme], rng, titles)
        titles.add(title)
        books.append(
            BookSpec(
                title=title,
                author=rng.choice(authors[slug]),
                isbn=isbn13_from_prefix(f"{ISBN_PREFIX}{number:07d}"),
                description=description,
                price=_price(rng, band),
                stock=_stock(rng),
                genre_slug=slug,
            )
        )
    return books
