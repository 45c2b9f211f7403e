"""The demo organisation: an NHS trust's patient experience service and a Jobcentre Plus district.

Everyone here is invented (names, staff numbers, the trust itself); the email domains end in ``.example``, which
is reserved and can never deliver mail. Managers are listed before the people who report to them.
"""

from __future__ import annotations

from typing import NamedTuple

DEMO_PASSWORD = "frontline-demo"  # noqa: S105 (documented in the README; demo data only)

TRUST = "Northfield Teaching Hospitals NHS Foundation Trust"
DISTRICT = "Jobcentre Plus/Tyne and Wear district"

UNITS: dict[str, str] = {
    "patient-experience": f"{TRUST}/Patient Experience",
    "pals": f"{TRUST}/Patient Experience/PALS",
    "pals-north": f"{TRUST}/Patient Experience/PALS/North team",
    "pals-south": f"{TRUST}/Patient Experience/PALS/South team",
    "complaints": f"{TRUST}/Patient Experience/PALS/Complaints team",
    "psychology": f"{TRUST}/Workforce and Organisational Development/Staff Psychology and Wellbeing",
    "trust-hr": f"{TRUST}/Workforce and Organisational Development/HR business partners",
    "digital": f"{TRUST}/Digital Services",
    "district": DISTRICT,
    "district-support": f"{DISTRICT}/District support team",
    "newcastle": f"{DISTRICT}/Newcastle Central office",
    "newcastle-1": f"{DISTRICT}/Newcastle Central office/Work coach team 1",
    "newcastle-2": f"{DISTRICT}/Newcastle Central office/Work coach team 2",
    "gateshead": f"{DISTRICT}/Gateshead Riverside office",
    "gateshead-coaches": f"{DISTRICT}/Gateshead Riverside office/Work coach team",
    "gateshead-service": f"{DISTRICT}/Gateshead Riverside office/Customer service team",
}


class Person(NamedTuple):
    key: str  # the part of the email before the @
    name: str
    job_title: str
    unit: str  # a key of UNITS
    manager: str | None  # the manager's key
    staff_number: str
    roles: str = ""  # roles besides staff, separated by spaces


TRUST_DOMAIN = "northfield.nhs.example"
TRUST_PEOPLE: list[Person] = [
    Person("margaret.ellis", "Margaret Ellis", "Head of patient experience", "patient-experience", None,
           "NTH10021", "panel"),
    Person("fatima.begum", "Fatima Begum", "Patient experience lead", "patient-experience", "margaret.ellis",
           "NTH10388", "champion panel"),
    Person("mark.davies", "Mark Davies", "PALS manager", "pals", "margaret.ellis", "NTH10142"),
    # PALS North
    Person("claire.bennett", "Claire Bennett", "Team leader, PALS North", "pals-north", "mark.davies", "NTH10517"),
    Person("priya.shah", "Priya Shah", "PALS officer", "pals-north", "claire.bennett", "NTH11230"),
    Person("aisha.rahman", "Aisha Rahman", "Senior PALS officer", "pals-north", "claire.bennett", "NTH10954",
           "champion"),
    Person("kwame.mensah", "Kwame Mensah", "Senior PALS officer", "pals-north", "claire.bennett", "NTH10766",
           "supporter"),
    Person("tom.brennan", "Tom Brennan", "PALS officer", "pals-north", "claire.bennett", "NTH11307"),
    Person("megan.lloyd", "Megan Lloyd", "PALS officer", "pals-north", "claire.bennett", "NTH11452"),
    Person("rhys.morgan", "Rhys Morgan", "PALS officer", "pals-north", "claire.bennett", "NTH11519"),
    Person("jack.thornton", "Jack Thornton", "PALS administrator", "pals-north", "claire.bennett", "NTH11604"),
    # PALS South
    Person("rachel.adeyemi", "Rachel Adeyemi", "Team leader, PALS South", "pals-south", "mark.davies", "NTH10603",
           "supporter"),
    Person("siobhan.oneill", "Siobhan O'Neill", "Senior PALS officer", "pals-south", "rachel.adeyemi", "NTH10842",
           "champion"),
    Person("mohammed.iqbal", "Mohammed Iqbal", "PALS officer", "pals-south", "rachel.adeyemi", "NTH11188"),
    Person("chloe.evans", "Chloe Evans", "PALS officer", "pals-south", "rachel.adeyemi", "NTH11276"),
    Person("ben.cartwright", "Ben Cartwright", "PALS officer", "pals-south", "rachel.adeyemi", "NTH11395"),
    Person("harpreet.kaur", "Harpreet Kaur", "PALS officer", "pals-south", "rachel.adeyemi", "NTH11471"),
    Person("liam.doyle", "Liam Doyle", "PALS assistant", "pals-south", "rachel.adeyemi", "NTH11688"),
    # Complaints
    Person("joanne.pearson", "Joanne Pearson", "Complaints manager", "complaints", "mark.davies", "NTH10299",
           "panel"),
    Person("seun.bakare", "Seun Bakare", "Complaints investigator", "complaints", "joanne.pearson", "NTH10877"),
    Person("emily.fraser", "Emily Fraser", "Complaints investigator", "complaints", "joanne.pearson", "NTH10931"),
    Person("ravi.patel", "Ravi Patel", "Complaints caseworker", "complaints", "joanne.pearson", "NTH11044"),
    Person("catherine.walsh", "Catherine Walsh", "Complaints caseworker", "complaints", "joanne.pearson",
           "NTH11123"),
    Person("zainab.hussain", "Zainab Hussain", "Complaints and PALS coordinator", "complaints", "joanne.pearson",
           "NTH11355"),
    # Staff psychology, HR and IT
    Person("eleanor.grant", "Eleanor Grant", "Consultant clinical psychologist", "psychology", None, "NTH10077",
           "supporter"),
    Person("daniel.hughes", "Daniel Hughes", "Clinical psychologist (supervisor)", "psychology", "eleanor.grant",
           "NTH10412", "supporter"),
    Person("nadia.kowalski", "Nadia Kowalski", "Staff wellbeing practitioner", "psychology", "eleanor.grant",
           "NTH10695", "supporter"),
    Person("helen.price", "Helen Price", "HR business partner", "trust-hr", None, "NTH10158", "hr"),
    Person("sam.okoro", "Sam Okoro", "System administrator", "digital", None, "NTH10234", "admin"),
]

DISTRICT_DOMAIN = "dwp.example"
DISTRICT_PEOPLE: list[Person] = [
    Person("gareth.pritchard", "Gareth Pritchard", "District operations manager", "district", None, "TW204118",
           "panel"),
    Person("lorraine.bell", "Lorraine Bell", "District customer service champion", "district-support",
           "gareth.pritchard", "TW204562", "champion"),
    Person("yvonne.clarke", "Yvonne Clarke", "HR business partner", "district-support", "gareth.pritchard",
           "TW204377", "hr"),
    Person("deborah.kerr", "Deborah Kerr", "Employer and partnership manager", "district-support",
           "gareth.pritchard", "TW204690"),
    # Newcastle Central
    Person("paul.heron", "Paul Heron", "Jobcentre manager", "newcastle", "gareth.pritchard", "TW205013"),
    Person("michelle.charlton", "Michelle Charlton", "Team leader", "newcastle-1", "paul.heron", "TW205241",
           "supporter"),
    Person("imran.akhtar", "Imran Akhtar", "Work coach", "newcastle-1", "michelle.charlton", "TW205388", "champion"),
    Person("kirsty.armstrong", "Kirsty Armstrong", "Work coach", "newcastle-1", "michelle.charlton", "TW205402"),
    Person("dylan.fenwick", "Dylan Fenwick", "Work coach", "newcastle-1", "michelle.charlton", "TW205517"),
    Person("grace.nwosu", "Grace Nwosu", "Work coach", "newcastle-1", "michelle.charlton", "TW205623"),
    Person("stephen.milburn", "Stephen Milburn", "Work coach", "newcastle-1", "michelle.charlton", "TW205739"),
    Person("farah.ali", "Farah Ali", "Disability employment adviser", "newcastle-1", "michelle.charlton",
           "TW205804"),
    Person("anthony.dodds", "Anthony Dodds", "Team leader", "newcastle-2", "paul.heron", "TW205277"),
    Person("lucy.chen", "Lucy Chen", "Work coach", "newcastle-2", "anthony.dodds", "TW205911"),
    Person("wayne.hutchinson", "Wayne Hutchinson", "Work coach", "newcastle-2", "anthony.dodds", "TW206025"),
    Person("bethany.scott", "Bethany Scott", "Work coach", "newcastle-2", "anthony.dodds", "TW206132", "supporter"),
    Person("tariq.mahmood", "Tariq Mahmood", "Work coach", "newcastle-2", "anthony.dodds", "TW206248"),
    Person("natalie.young", "Natalie Young", "Work coach", "newcastle-2", "anthony.dodds", "TW206351"),
    Person("chidi.okonkwo", "Chidi Okonkwo", "Apprentice work coach", "newcastle-2", "anthony.dodds", "TW206467"),
    # Gateshead Riverside
    Person("karen.lowes", "Karen Lowes", "Jobcentre manager", "gateshead", "gareth.pritchard", "TW205066"),
    Person("jamal.edwards", "Jamal Edwards", "Team leader", "gateshead-coaches", "karen.lowes", "TW205290",
           "supporter"),
    Person("sophie.ridley", "Sophie Ridley", "Work coach", "gateshead-coaches", "jamal.edwards", "TW206573",
           "champion"),
    Person("andrew.nichol", "Andrew Nichol", "Work coach", "gateshead-coaches", "jamal.edwards", "TW206689"),
    Person("patricia.gallagher", "Patricia Gallagher", "Work coach", "gateshead-coaches", "jamal.edwards",
           "TW206702"),
    Person("hannah.forster", "Hannah Forster", "Work coach", "gateshead-coaches", "jamal.edwards", "TW206815"),
    Person("ahmed.farouk", "Ahmed Farouk", "Work coach", "gateshead-coaches", "jamal.edwards", "TW206921"),
    Person("eilidh.macleod", "Eilidh MacLeod", "Work coach", "gateshead-coaches", "jamal.edwards", "TW207034"),
    Person("gemma.thompson", "Gemma Thompson", "Customer service team leader", "gateshead-service", "karen.lowes",
           "TW205318"),
    Person("ryan.stobbart", "Ryan Stobbart", "Customer service officer", "gateshead-service", "gemma.thompson",
           "TW207146"),
    Person("joyce.adebayo", "Joyce Adebayo", "Customer service officer", "gateshead-service", "gemma.thompson",
           "TW207259"),
    Person("peter.laidlaw", "Peter Laidlaw", "Customer service officer", "gateshead-service", "gemma.thompson",
           "TW207363"),
]

ORGANISATIONS: tuple[tuple[str, list[Person]], ...] = (
    (TRUST_DOMAIN, TRUST_PEOPLE),
    (DISTRICT_DOMAIN, DISTRICT_PEOPLE),
)

DEMO_ADMIN_EMAIL = f"sam.okoro@{TRUST_DOMAIN}"

# One account to try each part of Frontline with (the README lists the same ones).
SIGN_IN_ACCOUNTS: tuple[tuple[str, str], ...] = (
    ("administrator", DEMO_ADMIN_EMAIL),
    ("HR", f"helen.price@{TRUST_DOMAIN}"),
    ("service champion", f"aisha.rahman@{TRUST_DOMAIN}"),
    ("supporter (clinical supervisor)", f"daniel.hughes@{TRUST_DOMAIN}"),
    ("award panel", f"margaret.ellis@{TRUST_DOMAIN}"),
    ("staff", f"priya.shah@{TRUST_DOMAIN}"),
    ("line manager", f"claire.bennett@{TRUST_DOMAIN}"),
)
